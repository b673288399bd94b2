// Every command of temporal-ctl, declared once, in the order `--help` lists them. The runner
// (src/cli/register.ts) makes commander commands of it, src/cli/command-pages.ts the pages in
// docs/commands/, and completion reads the resulting tree. Handlers load only when their command runs.
import { SERVER_ROLES } from '../model/server-roles.js';
import { ENV_CONTRACTS, parseEndpoint, parseRolePort, type RolePort } from '../model/temporal-env.js';
import { parseExistingName, parseNewName } from './namespace-options.js';
import { countFlag, durationFlag, typed } from './option-parsers.js';
import { connection, namespaceFlag, namespaceInfo, services, timeout, yes } from './options.js';
import { CHANGES_PENDING, command, group, INTERRUPT_EXIT_CODES, type CommandSpec, type GroupSpec } from './spec.js';

const LIFECYCLE_JSON =
  '`{events: [{type, …}], stack?, endpoints?, clientEnv?}`: every step in order (the plan among them as `planned`); `endpoints` and `clientEnv` (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE) once the cluster is ready';

export const groups: readonly GroupSpec[] = [
  group({
    path: ['config'],
    summary: 'show or check the resolved configuration',
    examples: ['temporal-ctl config show', 'temporal-ctl config check --env-file ./prod.env'],
  }),
  group({
    path: ['images'],
    summary: 'list, pull, save and load the images the cluster needs (save and load: hosts without a registry)',
    examples: ['temporal-ctl images save temporal-images.tar', 'temporal-ctl images load temporal-images.tar'],
  }),
  group({
    path: ['namespace'],
    summary: 'create, list, describe, update and delete namespaces',
    examples: ['temporal-ctl namespace create media-planner --retention 7d', 'temporal-ctl namespace list'],
  }),
  group({
    path: ['certs'],
    summary: 'certificates for TEMPORAL_TLS=server or mtls',
    examples: ['temporal-ctl certs create'],
  }),
];

export const commands: readonly CommandSpec[] = [
  command({
    path: ['start'],
    onSwarm: true,
    summary: 'deploy the cluster, wait until every service is healthy, print the endpoints',
    description:
      'Checks prerequisites, pulls missing images, plans the stack with terraform and shows the plan, refuses a plan that deletes or replaces a volume, asks before replacing PostgreSQL, Elasticsearch or the server, applies exactly that plan, waits until every probe is healthy and every namespace is usable. An unchanged running cluster is left as it is.',
    options: [
      timeout('how long start may take in all: image pulls, terraform apply and the wait for health'),
      { flags: '--no-wait', description: 'return after terraform apply, without waiting for health' },
      { flags: '--apply', description: 'run terraform apply even when nothing seems changed' },
      yes,
    ],
    examples: [
      'temporal-ctl start --timeout 10m',
      'temporal-ctl start --env-file ./prod.env --no-wait',
      'temporal-ctl plan && temporal-ctl start --yes',
    ],
    output: 'events',
    json: LIFECYCLE_JSON,
    exitCodes: INTERRUPT_EXIT_CODES,
    handler: async () => (await import('./lifecycle.js')).start,
  }),
  command({
    path: ['plan'],
    onSwarm: true,
    summary: 'show what `start` would change, in the cluster’s terms; changes nothing',
    description:
      'Per service, volume, network and image: created, updated in place (which attributes), replaced (what forces it) or deleted.',
    options: [
      {
        flags: '--detailed-exitcode',
        description: `exit ${CHANGES_PENDING} when changes are pending (terraform's 2 is a usage error here)`,
      },
    ],
    examples: ['temporal-ctl plan', 'temporal-ctl plan --output json --detailed-exitcode'],
    output: 'document',
    json: '`{stack, pending, changes: [{kind, name, action, forcedBy, …}], warnings}`',
    exitCodes: [{ code: CHANGES_PENDING, meaning: 'with --detailed-exitcode: changes are pending' }],
    handler: async () => (await import('./plan.js')).plan,
  }),
  command({
    path: ['stop'],
    onSwarm: true,
    summary: 'stop every container of the cluster; the volumes (the data) stay and `start` resumes',
    description: 'On a swarm every service is scaled to zero, and `start` scales it back to the configured count.',
    examples: ['temporal-ctl stop', 'temporal-ctl stop --env-file ./prod.env --output json'],
    output: 'document',
    json: '`{stack, stopped: [container]}`',
    handler: async () => (await import('./containers.js')).stop,
  }),
  command({
    path: ['restart'],
    onSwarm: true,
    summary: 'restart the containers of some services (default: every long-running service)',
    description:
      'On a swarm a forced update of each service, one task at a time under its update settings; it returns once the swarm finished (whole services only, not `history-2`).',
    args: [services],
    examples: ['temporal-ctl restart server', 'temporal-ctl restart'],
    output: 'document',
    json: '`{stack, restarted: [container]}`',
    handler: async () => (await import('./containers.js')).restart,
  }),
  command({
    path: ['down'],
    onSwarm: true,
    summary: 'remove the cluster’s containers and network; the volumes stay unless --volumes',
    description:
      'With --volumes the data volumes go too: down lists them with their sizes and asks you to type the project name.',
    options: [
      { flags: '--volumes', description: 'also delete the data volumes (PostgreSQL, Elasticsearch); asks first' },
      yes,
    ],
    examples: ['temporal-ctl down', 'temporal-ctl down --volumes --yes'],
    output: 'events',
    json: '`{events: [{type, …}]}`: the resources removed and `volumes-kept` or `volumes-deleted`',
    exitCodes: INTERRUPT_EXIT_CODES,
    handler: async () => (await import('./lifecycle.js')).down,
  }),
  command({
    path: ['upgrade'],
    onSwarm: true,
    summary: 'upgrade the running server one minor release at a time, schema first, with a backup',
    description:
      'Reads the running release and the schema versions, refuses a downgrade or a skipped minor (naming the chain), shows the plan and asks, takes a backup, runs the schema job on the new admin-tools while the server keeps running, then replaces the server, waits until healthy and records the release in temporal.env.',
    options: [
      { flags: '--to <version>', description: 'the server release to reach (default: TEMPORAL_VERSION)' },
      { flags: '--chain', description: 'when --to is more than one minor ahead, run every step of the chain' },
      { flags: '--dry-run', description: 'show the chain and the plan of the first step; change nothing' },
      { flags: '--no-backup', description: 'skip the backup (there is then nothing to roll back to)' },
      { flags: '--backup-file <file>', description: 'where the backup goes (default <project>-<UTC>.tctl-backup)' },
      timeout("how long each step's pulls, apply and wait for health may take", '10m'),
      yes,
    ],
    examples: [
      'temporal-ctl upgrade --to 1.32.2 --dry-run',
      'temporal-ctl upgrade --to 1.32.2 --yes',
      'temporal-ctl upgrade --to 1.32.2 --chain --backup-file ./before-upgrade.tctl-backup',
    ],
    output: 'events',
    json: LIFECYCLE_JSON,
    exitCodes: INTERRUPT_EXIT_CODES,
    handler: async () => (await import('./lifecycle.js')).upgrade,
  }),
  command({
    path: ['scale'],
    onSwarm: true,
    summary:
      'change how many containers run each server role (TEMPORAL_TOPOLOGY=roles) through the plan, guard and apply of start',
    description:
      "Sets the replica counts, shows the plan and the history shards' owners, applies it as `start` applies a config edit (waiting until every instance is healthy and in the ring), then records the counts in temporal.env. A removed instance is stopped with a grace period, so the server hands its shards and task queues to the others.",
    args: [
      {
        name: 'role=count',
        description: `new counts, e.g. history=3 (roles: ${SERVER_ROLES.join(', ')}; 1 to 16 each)`,
        required: true,
        variadic: true,
        completions: SERVER_ROLES.map((r) => `${r}=`),
      },
    ],
    options: [
      { flags: '--dry-run', description: 'show the plan and the shard owners; change nothing' },
      timeout('how long the apply and the wait for health may take'),
      yes,
    ],
    examples: ['temporal-ctl scale history=3 --dry-run', 'temporal-ctl scale frontend=3 history=3 --yes'],
    output: 'events',
    json: LIFECYCLE_JSON,
    exitCodes: INTERRUPT_EXIT_CODES,
    handler: async () => (await import('./lifecycle.js')).scale,
  }),
  command({
    path: ['rotate-password'],
    onSwarm: true,
    summary: 'change the PostgreSQL password in the running database to POSTGRES_PASSWORD and roll it out',
    description:
      'Set the new POSTGRES_PASSWORD in temporal.secrets.env or the environment first (never a flag: it would land in shell history). The data and the postgres container stay; the schema job and the server are replaced.',
    options: [timeout('how long the apply and the wait for health may take'), yes],
    examples: ['temporal-ctl rotate-password', 'temporal-ctl rotate-password --env-file ./prod.env --yes'],
    output: 'events',
    json: LIFECYCLE_JSON,
    exitCodes: INTERRUPT_EXIT_CODES,
    handler: async () => (await import('./lifecycle.js')).rotatePassword,
  }),
  command({
    path: ['logs'],
    onSwarm: true,
    summary: 'print the logs of one, several or all services, interleaved with a service prefix',
    description:
      'With --follow, keeps printing across restarts and recreations of the containers until Ctrl-C (exit 0). Notes of temporal-ctl go to stderr.',
    args: [services],
    options: [
      { flags: '-f, --follow', description: 'keep printing new lines until Ctrl-C' },
      { flags: '--tail <lines>', description: 'only the last N lines of each container', parse: countFlag },
      { flags: '--since <duration>', description: 'only lines newer than this, e.g. 10m', parse: durationFlag },
    ],
    examples: [
      'temporal-ctl logs server --tail 50',
      'temporal-ctl logs --follow --since 10m',
      'temporal-ctl logs server --follow --output json | jq -c \'select(.fields.level == "error")\'',
    ],
    output: 'stream',
    json: '`{service, instance, container, time, stream, message, fields?}` per line; `fields` when the line is a JSON object',
    handler: async () => (await import('./logs.js')).logs,
  }),
  command({
    path: ['status'],
    onSwarm: true,
    summary: "each service's container state and protocol probe, the namespace, and a metrics summary",
    description:
      "Probes every service in parallel and checks that a worker can use TEMPORAL_NAMESPACE; under the table, rates from the server's Prometheus endpoint. Exit 1 when anything is unhealthy, which --wait waits for. JSON reference: docs/status-json.md.",
    options: [
      { flags: '--wait', description: 'poll until every service is healthy or --timeout passes' },
      timeout('how long --wait polls'),
      {
        flags: '--interval <duration>',
        description: 'pause between --wait rounds',
        parse: durationFlag,
        default: { value: 200, text: '200ms' },
      },
      { flags: '--no-metrics', description: "skip the summary of the server's metrics" },
      {
        flags: '--metrics-window <duration>',
        description: 'time between the two scrapes of the server metrics (rates need two)',
        parse: durationFlag,
        default: { value: 1_000, text: '1s' },
      },
    ],
    examples: ['temporal-ctl status', 'temporal-ctl status --output json --wait --timeout 60s'],
    output: 'document',
    json: 'see [status-json.md](../status-json.md): `{schemaVersion, healthy, stack, services, namespace, metrics, tls, …}`',
    handler: async () => (await import('./status.js')).status,
  }),
  command({
    path: ['top'],
    summary: "the server's metrics summary (requests, errors, persistence p95, shards, backlog) refreshed live",
    description:
      'On a terminal a block redrawn in place with sparklines; in a pipe one key=value line per interval. Ctrl-C exits 0.',
    options: [
      {
        flags: '--interval <duration>',
        description: 'time between scrapes (each figure is the rate over one interval)',
        parse: durationFlag,
        default: { value: 5_000, text: '5s' },
      },
    ],
    examples: ['temporal-ctl top', 'temporal-ctl top --interval 10s --output json > metrics.jsonl'],
    output: 'stream',
    json: '`{at, state: "ok", url, windowSeconds, requests, errors, persistence, shards, backlog}` per interval, `{at, state: "unreachable", url, detail}` when the endpoint does not answer',
    handler: async () => (await import('./top.js')).top,
  }),
  command({
    path: ['config', 'show'],
    onSwarm: true,
    summary: 'print every configuration key with its value and origin (secrets masked)',
    examples: ['temporal-ctl config show', 'temporal-ctl config show --output json'],
    output: 'document',
    json: '`{envFile, keys: [{key, value, origin}]}`',
    handler: async () => (await import('./config.js')).show,
  }),
  command({
    path: ['config', 'check'],
    onSwarm: true,
    summary: 'validate temporal.env and the environment; exit 2 with every problem listed',
    examples: ['temporal-ctl config check --env-file ./prod.env'],
    output: 'document',
    json: '`{valid: true, envFile, warnings}`',
    handler: async () => (await import('./config.js')).check,
  }),
  command({
    path: ['config', 'env'],
    onSwarm: true,
    summary: 'print the environment the server or the schema job gets, one shell-quoted KEY=value per line',
    description: "Defaults: the stack's in-network placement. Prints passwords: it exists to hand them to a process.",
    hidden: true,
    options: [
      {
        flags: '--service <name>',
        description: 'whose environment',
        choices: Object.keys(ENV_CONTRACTS),
        mandatory: true,
      },
      { flags: '--postgres <host:port>', description: 'where PostgreSQL answers', parse: typed(parseEndpoint) },
      {
        flags: '--elasticsearch <host:port>',
        description: 'where Elasticsearch answers',
        parse: typed(parseEndpoint),
      },
      { flags: '--bind-ip <ip>', description: 'address the server binds' },
      {
        flags: '--metrics <host:port>',
        description: "where the server's Prometheus endpoint listens",
        parse: typed(parseEndpoint),
      },
      { flags: '--broadcast-address <ip>', description: 'address the server advertises to its members' },
      {
        flags: '--role-port <NAME=PORT>',
        description: 'a role port, e.g. HISTORY_GRPC_PORT=7234 (repeatable)',
        parse: ((text: string, all: Partial<Record<RolePort, number>> = {}) => {
          const [name, port] = typed(parseRolePort)(text);
          return { ...all, [name]: port };
        }) as never,
        default: { value: {}, text: 'none' },
      },
      { flags: '--dynamic-config <path>', description: 'the dynamic config file the server reads' },
      { flags: '--schema-dir <dir>', description: 'root of the schema files' },
      { flags: '--sql-tool <path>', description: 'the temporal-sql-tool binary' },
      { flags: '--tls-files-on-host', description: "the server reads its TLS files at the config's paths" },
    ],
    examples: ['temporal-ctl config env --service schema --postgres 127.0.0.1:5433 --sql-tool ./temporal-sql-tool'],
    output: 'document',
    json: '`{env: {KEY: value}}`',
    handler: async () => (await import('./config-env.js')).env,
  }),
  command({
    path: ['images', 'list'],
    summary: 'every image the configuration needs, and whether the Docker engine has it',
    examples: ['temporal-ctl images list --output json'],
    output: 'document',
    json: '`{images: [{image, services, present, id, size}], missing: [image]}`',
    handler: async () => (await import('./images.js')).list,
  }),
  command({
    path: ['images', 'pull'],
    summary: 'pull every required image the engine lacks, with per-image progress (what start does first)',
    options: [timeout('how long the pulls may take together', '10m')],
    examples: ['temporal-ctl images pull', 'temporal-ctl images pull --env-file ./prod.env --timeout 30m'],
    output: 'events',
    json: '`{events: [{type, …}], images: [{image, services, present, id, size}], pulled: [image]}`',
    handler: async () => (await import('./images.js')).pull,
  }),
  command({
    path: ['images', 'save'],
    summary: 'write every required image into one tar, to carry to a host without registry access',
    args: [{ name: 'file', description: 'the tar to write', required: true }],
    examples: ['temporal-ctl images save --env-file ./prod.env temporal-images.tar'],
    output: 'document',
    json: '`{file, bytes, images: [image]}`',
    handler: async () => (await import('./images.js')).save,
  }),
  command({
    path: ['images', 'load'],
    summary: 'load a tar of images and report which required images are present; exit 1 if some are missing',
    args: [{ name: 'file', description: 'a tar written by `temporal-ctl images save`', required: true }],
    examples: ['temporal-ctl images load temporal-images.tar'],
    output: 'document',
    json: '`{file, loaded: [image], images: [{image, services, present, id, size}], missing: [image]}`',
    handler: async () => (await import('./images.js')).load,
  }),
  command({
    path: ['namespace', 'create'],
    onSwarm: true,
    summary: 'register a namespace and return once a worker can use it',
    args: [{ name: 'name', description: 'namespace to create', parse: parseNewName }],
    options: [
      ...namespaceInfo,
      { flags: '--if-not-exists', description: 'succeed when it already exists (warns when its retention differs)' },
      namespaceFlag,
      ...connection,
    ],
    examples: [
      'temporal-ctl namespace create media-planner --retention 7d --description "Media planner" --email team@example.com',
    ],
    output: 'document',
    json: '`{name, id, state, retention, retentionSeconds, description, ownerEmail, data, …, created, usableAfterMs}`',
    handler: async () => (await import('./namespace.js')).create,
  }),
  command({
    path: ['namespace', 'list'],
    onSwarm: true,
    summary: 'list the namespaces on the server with state and retention',
    options: connection,
    examples: ['temporal-ctl namespace list --output json'],
    output: 'document',
    json: '`[{name, id, state, retention, retentionSeconds, …}]`',
    handler: async () => (await import('./namespace.js')).list,
  }),
  command({
    path: ['namespace', 'describe'],
    onSwarm: true,
    summary: 'show state, retention, description, owner, id, data and archival states of a namespace',
    args: [{ name: 'name', description: 'namespace (default: TEMPORAL_NAMESPACE)', parse: parseExistingName }],
    options: [namespaceFlag, ...connection],
    examples: ['temporal-ctl namespace describe media-planner --output json'],
    output: 'document',
    json: '`{name, id, state, retention, retentionSeconds, description, ownerEmail, data, …}`',
    handler: async () => (await import('./namespace.js')).describe,
  }),
  command({
    path: ['namespace', 'update'],
    onSwarm: true,
    summary: 'change retention, description, owner email or data (data keys are merged)',
    args: [{ name: 'name', description: 'namespace (default: TEMPORAL_NAMESPACE)', parse: parseExistingName }],
    options: [...namespaceInfo, namespaceFlag, ...connection],
    examples: ['temporal-ctl namespace update media-planner --retention 14d'],
    output: 'document',
    json: 'the namespace as the server now holds it, as `namespace describe`',
    handler: async () => (await import('./namespace.js')).update,
  }),
  command({
    path: ['namespace', 'delete'],
    onSwarm: true,
    summary: "delete a namespace with the server's namespace deletion (its workflows are removed)",
    description: 'Asks you to type the name (or --yes); refuses temporal-system.',
    args: [{ name: 'name', description: 'namespace to delete', parse: parseExistingName }],
    options: [yes, namespaceFlag, ...connection],
    examples: ['temporal-ctl namespace delete media-planner --yes'],
    output: 'document',
    json: '`{name, deleted: true, renamedTo}`: the name the server gave it while it removes its data',
    handler: async () => (await import('./namespace.js')).remove,
  }),
  command({
    path: ['certs', 'create'],
    onSwarm: true,
    summary: 'make a CA, a server certificate for the configured names and a client certificate',
    description:
      'Written to TEMPORAL_STATE_DIR/certs (files 600), where the TLS path keys default to; existing files are kept unless --force.',
    options: [{ flags: '--force', description: 'replace existing files (clients must then get the new CA)' }],
    examples: ['temporal-ctl certs create', 'temporal-ctl certs create --force --output json'],
    output: 'document',
    json: '`{ca, clientCert, clientKey, serverName}`',
    handler: async () => (await import('./certs.js')).create,
  }),
  command({
    path: ['backup'],
    onSwarm: true,
    summary: 'dump the persistence (and SQL visibility) database of the running cluster into one file',
    description:
      'pg_dump runs inside the postgres container (on a swarm or with POSTGRES_HOST: in a client container on the cluster network) and streams back over the Docker API (a remote DOCKER_HOST works). The file carries a manifest and is written as FILE.partial, renamed when complete.',
    args: [{ name: 'file', description: 'where to write; default <project>-<UTC timestamp>.tctl-backup' }],
    examples: ['temporal-ctl backup', 'temporal-ctl backup ./backups/before-upgrade.tctl-backup --output json'],
    output: 'events',
    json: '`{events: [{type, …}], file, manifest: {serverVersion, historyShards, visibilityStore, namespaces, databases, totalBytes, …}}`',
    exitCodes: INTERRUPT_EXIT_CODES,
    handler: async () => (await import('./backup.js')).backup,
  }),
  command({
    path: ['restore'],
    onSwarm: true,
    summary: "restore a backup into this project's cluster: replaces its databases, starts it again",
    description:
      'For a cluster fresh from start, or stopped. Refuses another shard count or a schema newer than TEMPORAL_VERSION; asks before replacing databases that hold workflows; updates an older schema.',
    args: [{ name: 'file', description: 'a .tctl-backup file written by `temporal-ctl backup`', required: true }],
    options: [yes, timeout('how long to wait for the cluster to be healthy after the restore')],
    examples: [
      'temporal-ctl restore temporal-20261125T190102Z.tctl-backup',
      'temporal-ctl restore ./backup.tctl-backup --yes',
    ],
    output: 'events',
    json: '`{events: [{type, …}], file, restored: [{role, database, bytes}], ms, manifest}`',
    exitCodes: INTERRUPT_EXIT_CODES,
    handler: async () => (await import('./backup.js')).restore,
  }),
  command({
    path: ['completion'],
    onSwarm: true,
    summary: 'print a shell completion script (commands, flags, service names) for bash, zsh or fish',
    args: [{ name: 'shell', description: 'bash, zsh or fish', required: true, choices: ['bash', 'zsh', 'fish'] }],
    examples: [
      'source <(temporal-ctl completion bash)     # in ~/.bashrc',
      'source <(temporal-ctl completion zsh)      # in ~/.zshrc, after compinit',
      'temporal-ctl completion fish > ~/.config/fish/completions/temporal-ctl.fish',
    ],
    output: 'document',
    json: '`{shell, script}`',
    handler: async () => (await import('./completion.js')).completion,
  }),
];
