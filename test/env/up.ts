// The provisioning graph of `bash scripts/test-env up`: which of its steps (bash functions of
// scripts/lib/test-env-*.sh) wait for which, run side by side by ./jobs.ts with a log each in
// <state>/jobs/. scripts/test-env runs this after it has read the config (CFG_* in the environment),
// picked the services' ports and taken its lock; afterwards it reads what the jobs installed (file
// checks by then) and writes env.json. The steps stay bash: they are shell work (apt-get, go install,
// pg_ctl, setsid), and scripts/build-e2e-images shares them.
//   node dist/test/env/up.js      (from scripts/test-env up only)
// TEST_ENV_JOBS=N runs at most N jobs at once (1: one after another, in the order below; for a
// machine short of memory, or to compare).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { type Job, runJobs } from './jobs.js';

const SCRIPT = join(PROJECT_ROOT, 'scripts', 'test-env');

/** A job running bash functions of scripts/test-env one after another (`_run f1 args -- f2 args`). */
const job = (name: string, after: string[], ...calls: string[][]): Job => ({
  name,
  after,
  command: ['bash', SCRIPT, '_run', ...calls.flatMap((c, i) => (i === 0 ? c : ['--', ...c]))],
});

export function upJobs(temporalVersion: string): Job[] {
  const APT = 'install: apt packages';
  // Later jobs look up what an earlier one installed by calling its ensure_* again: a file check by then.
  const server = ['ensure_server_binaries', temporalVersion];
  return [
    // apt-get brings go, maven, java, pip, dockerd and postgresql on a new machine: most jobs wait for it.
    job(APT, [], ['ensure_apt_packages']),
    job('install: temporal CLI', [APT], ['ensure_temporal_cli']),
    job('install: temporalio (Python)', [APT], ['ensure_temporalio']),
    job('install: cdktf-cli', [], ['ensure_cdktf_cli']),
    // The two go builds share GOCACHE and the module cache (go locks both) and compete for 2 cores. The
    // server's is on the way to everything after it; the UI's is needed only at the end, so it runs
    // niced and takes the CPU the server's build leaves (its downloads, its single-threaded link).
    job('install: server + sql tool', [APT], server),
    { ...job('install: web ui', [APT], ['ensure_ui_binary']), nice: true },
    job('install: elasticsearch', [APT], ['ensure_elasticsearch']),
    job('docker engine', [APT], ['ensure_docker']),
    job('docker test image', ['docker engine'], ['ensure_test_image']),
    job('postgres', [APT], ['start_postgres']),
    job('elasticsearch', ['install: elasticsearch'], ['ensure_elasticsearch'], ['start_elasticsearch']),
    job('schema (schema-setup.sh)', ['postgres', 'elasticsearch', 'install: server + sql tool'], server, [
      'run_schema_setup',
    ]),
    job('temporal server', ['schema (schema-setup.sh)', 'install: temporal CLI'], ['ensure_temporal_cli'], server, [
      'start_temporal',
    ]),
    job('web ui', ['temporal server', 'install: web ui'], ['ensure_ui_binary'], ['start_ui']),
  ];
}

async function main(): Promise<number> {
  const state = process.env.TEST_ENV_STATE;
  const version = process.env.CFG_TEMPORAL_VERSION;
  if (!state || !version) {
    process.stderr.write('test/env/up: run by `bash scripts/test-env up` (TEST_ENV_STATE, CFG_* unset)\n');
    return 2;
  }
  const results = await runJobs(upJobs(version), {
    logDir: join(state, 'jobs'),
    print: (line) => process.stderr.write(`[test-env] ${line}\n`),
    concurrency: Number(process.env.TEST_ENV_JOBS) || undefined,
  });
  return results.every((r) => r.ok) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main();
