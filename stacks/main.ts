// `npm run synth` / `cdktf synth`: the stack for the configured project and profile into cdktf.out/.
import { App } from 'cdktf';
import { loadConfig } from '../src/config/load.js';
import { stackName } from '../src/config/derive.js';
import { ConfigError } from '../src/errors.js';
import { TemporalStack } from './temporal-stack.js';

try {
  const { config } = loadConfig();
  const app = new App(); // outdir: $CDKTF_OUTDIR (cdktf CLI) or ./cdktf.out
  new TemporalStack(app, stackName(config), { config });
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${error.message}\n${error.hint ?? ''}`);
  process.exitCode = 2;
}
