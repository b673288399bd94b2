// cdktf's Testing.app() makes a temp dir per call and never removes it (thousands per test run);
// the unit tests share one per process, removed when it exits. Testing.synth writes nothing there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, Testing } from 'cdktf';

let outdir: string | undefined;

/** A cdktf test app whose outdir is this process's one temp dir. */
export function testingApp(): App {
  if (!outdir) {
    const dir = mkdtempSync(join(tmpdir(), 'tctl-cdktf-test-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    outdir = dir;
  }
  return Testing.app({ outdir });
}
