// Hidden `config env`: the server's or schema job's environment for another placement
// (scripts/test-env runs the same contract as the stack, on the host).
import {
  ENV_CONTRACTS,
  shellAssignments,
  stackPlacement,
  tlsFilesOnHost,
  withOverrides,
  type Endpoint,
  type EnvContract,
  type RolePort,
} from '../model/temporal-env.js';
import type { Call } from './spec.js';

interface EnvFlags {
  service: EnvContract;
  postgres?: Endpoint;
  elasticsearch?: Endpoint;
  bindIp?: string;
  metrics?: Endpoint;
  broadcastAddress?: string;
  rolePort: Partial<Record<RolePort, number>>;
  dynamicConfig?: string;
  schemaDir?: string;
  sqlTool?: string;
  tlsFilesOnHost?: boolean;
}

export async function env({ ctx, flags: o }: Call<object, EnvFlags>): Promise<undefined> {
  const where = withOverrides(stackPlacement(ctx.config), {
    postgres: o.postgres,
    elasticsearch: o.elasticsearch,
    bindOnIp: o.bindIp,
    metrics: o.metrics,
    broadcastAddress: o.broadcastAddress,
    rolePorts: o.rolePort,
    dynamicConfigPath: o.dynamicConfig,
    schemaDir: o.schemaDir,
    sqlTool: o.sqlTool,
    tlsFiles: o.tlsFilesOnHost ? tlsFilesOnHost(ctx.config) : undefined,
    postgresCa: o.tlsFilesOnHost ? ctx.config.POSTGRES_TLS_CA_CERT_PATH : undefined,
  });
  const contract = ENV_CONTRACTS[o.service](ctx.config, where);
  // The environment a server needs holds its passwords: the one output that prints them, unmasked.
  if (ctx.json) ctx.out.lineWithSecrets(JSON.stringify({ env: contract }, null, 2));
  else for (const line of shellAssignments(contract)) ctx.out.lineWithSecrets(line);
  return undefined;
}
