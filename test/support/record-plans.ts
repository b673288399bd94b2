// Records real `terraform show -json` plans for test/fixtures/terraform-plans/ (the unit tests of the
// plan summary read them). Run against a project deployed with `temporal-ctl start` on the e2e
// images and provider mirror (TF_CLI_CONFIG_FILE set):
//   node dist/test/support/record-plans.js /path/to/project/temporal.env
// Each scenario edits temporal.env as a user would (or the synthesized JSON where no config edit
// reaches, said in its note), plans with -out, reads the plan back, and restores the file. Only the
// fields the summary reads are kept (the rest is the configuration and prior state, ~200 KB each).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/project/load.js';
import { PROJECT_ROOT } from '../../src/installed-package.js';
import { synthesize } from '../../src/deploy/synth.js';

interface Scenario {
  readonly name: string;
  readonly note: string;
  readonly env?: Record<string, string>;
  readonly replace?: readonly string[];
  /** Edits the synthesized Terraform JSON before the plan. */
  readonly edit?: (doc: { resource: Record<string, Record<string, Record<string, unknown>>> }) => void;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'no-change', note: 'right after start' },
  { name: 'postgres-password', note: 'POSTGRES_PASSWORD changed', env: { POSTGRES_PASSWORD: 'changed-secret' } },
  { name: 'server-memory', note: 'TEMPORAL_MEMORY changed', env: { TEMPORAL_MEMORY: '1536m' } },
  {
    name: 'visibility-elasticsearch',
    note: 'TEMPORAL_VISIBILITY switched from postgres to elasticsearch',
    env: { TEMPORAL_VISIBILITY: 'elasticsearch' },
  },
  { name: 'schema-rerun', note: 'the failed one-shot rerun start asks for', replace: ['docker_container.schema'] },
  {
    name: 'volume-label-unguarded',
    note: "a volume's label changed in the synthesized JSON and its prevent_destroy removed: what terraform plans without the guard",
    edit: (doc) => {
      const volume = doc.resource.docker_volume!.postgres_data!;
      volume.labels = [...(volume.labels as unknown[]), { label: 'io.temporal-ctl.recorded', value: 'changed' }];
      delete volume.lifecycle;
    },
  },
];

const envFile = process.argv[2];
if (!envFile) throw new Error('usage: record-plans.js <temporal.env of a deployed project>');
const outDir = join(PROJECT_ROOT, 'test/fixtures/terraform-plans');
mkdirSync(outDir, { recursive: true });
const original = readFileSync(envFile, 'utf8');

for (const s of SCENARIOS) {
  try {
    writeFileSync(envFile, withValues(original, s.env ?? {}));
    const synth = await synthesize(loadConfig({ envFile, env: {} }));
    const file = join(synth.dir, 'cdk.tf.json');
    if (s.edit) {
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      s.edit(doc);
      writeFileSync(file, JSON.stringify(doc, null, 2));
    }
    const tf = (args: string[]) => execFileSync('terraform', [`-chdir=${synth.dir}`, ...args], { maxBuffer: 64 << 20 });
    tf(['plan', '-input=false', '-no-color', '-out=recorded.tfplan', ...(s.replace ?? []).map((a) => `-replace=${a}`)]);
    const plan = JSON.parse(tf(['show', '-json', 'recorded.tfplan']).toString('utf8'));
    const kept = {
      note: `recorded by test/support/record-plans.ts: ${s.note}`,
      format_version: plan.format_version,
      terraform_version: plan.terraform_version,
      // An unchanged resource keeps only its address and no-op action (its values are ~10 KB each).
      resource_changes: plan.resource_changes.map((r: { change: { actions: string[] } } & Record<string, unknown>) =>
        r.change.actions.join() === 'no-op'
          ? {
              address: r.address,
              mode: r.mode,
              type: r.type,
              name: r.name,
              provider_name: r.provider_name,
              change: { actions: ['no-op'] },
            }
          : r,
      ),
      output_changes: plan.output_changes,
      applyable: plan.applyable,
    };
    writeFileSync(join(outDir, `${s.name}.json`), `${JSON.stringify(kept, null, 1)}\n`);
    console.log(
      `${s.name}: ${plan.resource_changes.filter((r: { change: { actions: string[] } }) => r.change.actions[0] !== 'no-op').length} changes`,
    );
  } finally {
    writeFileSync(envFile, original);
  }
}

function withValues(text: string, values: Record<string, string>): string {
  let out = text;
  for (const [k, v] of Object.entries(values)) {
    const line = `${k}=${v}`;
    out = new RegExp(`^${k}=`, 'm').test(out) ? out.replace(new RegExp(`^${k}=.*$`, 'm'), line) : `${out}${line}\n`;
  }
  return out;
}
