// `temporal-ctl certs create`: a CA, a server certificate and a client certificate for TEMPORAL_TLS,
// written where the TLS keys default to (TEMPORAL_STATE_DIR/certs/), files 600.
import { basename } from 'node:path';
import { projectPaths } from '../project/paths.js';
import type { Call, CommandResult } from './spec.js';

export async function create({ ctx, flags }: Call<object, { force?: boolean }>): Promise<CommandResult> {
  const { config, projectDir } = ctx.load();
  const [{ issueCertificates }, files] = await Promise.all([import('../tls/issue.js'), import('../tls/files.js')]);
  const names = files.serverNames(config);
  const dir = files.certsDir(projectPaths(config, projectDir));
  const written = await files.writeCertificates(dir, issueCertificates({ serverNames: names }), Boolean(flags.force));
  // The name clients verify: the configured one, else the server container's; the certificate's first name either way.
  const serverName = names[0]!;
  return {
    document: { ca: written.ca, clientCert: written.clientCert, clientKey: written.clientKey, serverName },
    text: (out) => {
      out.line(
        `wrote ${dir} (files 600): ${[written.ca, written.serverCert, written.clientCert].map((p) => basename(p)).join(', ')} and their keys`,
      );
      out.line(`server certificate names: ${names.join(', ')}`);
      if (config.TEMPORAL_TLS === 'off')
        out.line('TEMPORAL_TLS is off: set TEMPORAL_TLS=mtls (or server) in temporal.env, then `temporal-ctl start`');
    },
  };
}
