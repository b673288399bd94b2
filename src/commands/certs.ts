// `temporal-ctl certs create`: a CA, a server certificate and a client certificate for TEMPORAL_TLS,
// written where the TLS keys default to (TEMPORAL_STATE_DIR/certs/), files 600.
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { Context } from '../cli/context.js';
import { projectPaths } from '../project/paths.js';
import { example } from './help.js';

export function registerCerts(program: Command, ctx: Context): void {
  const certs = program
    .command('certs')
    .description('certificates for TEMPORAL_TLS=server|mtls')
    .addHelpText('after', example('temporal-ctl certs create'));
  certs
    .command('create')
    .description(
      'make a CA, a server certificate for the configured names and addresses, and a client certificate (TEMPORAL_STATE_DIR/certs, mode 600); -o json prints {"ca","clientCert","clientKey","serverName"}',
    )
    .option('--force', 'replace existing files (clients must then get the new CA)')
    .addHelpText('after', example('temporal-ctl certs create', 'temporal-ctl certs create --force --output json'))
    .action(async (flags: { force?: boolean }) => {
      const { config, projectDir } = ctx.load();
      const [{ issueCertificates }, files] = await Promise.all([import('../tls/issue.js'), import('../tls/files.js')]);
      const names = files.serverNames(config);
      const dir = files.certsDir(projectPaths(config, projectDir));
      const written = await files.writeCertificates(
        dir,
        issueCertificates({ serverNames: names }),
        Boolean(flags.force),
      );
      // The name clients verify: the configured one, else the server container's; the certificate's first name either way.
      const serverName = names[0]!;
      if (ctx.json) {
        ctx.out.json({ ca: written.ca, clientCert: written.clientCert, clientKey: written.clientKey, serverName });
        return;
      }
      ctx.out.line(
        `wrote ${dir} (files 600): ${[written.ca, written.serverCert, written.clientCert].map((p) => basename(p)).join(', ')} and their keys`,
      );
      ctx.out.line(`server certificate names: ${names.join(', ')}`);
      if (config.TEMPORAL_TLS === 'off')
        ctx.out.line(
          'TEMPORAL_TLS is off: set TEMPORAL_TLS=mtls (or server) in temporal.env, then `temporal-ctl start`',
        );
    });
}
