// `cdktf synth` / `cdktf deploy` / `npm run synth`: the stack of the configured project and profile.
// The config loads as the CLI's does: TEMPORAL_ENV_FILE names a project's temporal.env elsewhere
// (else ./temporal.env). It uses that project's state file (TEMPORAL_STATE_DIR beside its env file),
// the one temporal-ctl uses, so both manage one cluster.
import { App } from 'cdktf';
import { loadConfig } from '../src/project/load.js';
import { stackName } from '../src/model/names-and-endpoints.js';
import { projectPaths, stackFiles } from '../src/project/paths.js';
import { ConfigError } from '../src/errors.js';
import { TemporalStack } from './temporal-stack.js';

try {
  const { config, projectDir } = loadConfig();
  const app = new App(); // outdir: $CDKTF_OUTDIR (cdktf CLI) or ./cdktf.out
  new TemporalStack(app, stackName(config), {
    config,
    stateFile: projectPaths(config, projectDir).stateFile,
    ...stackFiles(config, projectDir),
  });
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${error.message}\n${error.hint ?? ''}`);
  process.exitCode = 2;
}
