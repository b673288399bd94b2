// Renders the configuration reference (README) from the schema, so the docs can't drift.
import { schema, type ConfigKey, type DefaultValue } from './schema.js';

function describeDefault(d: DefaultValue): string {
  // A computed default is shown as its formula: evaluated with each key it reads standing as $KEY.
  if (typeof d === 'function') {
    // Per profile when the formula reads the profile (it then stands as its value, not as $TEMPORAL_PROFILE).
    const formula = (p: string) => d((k) => (k === 'TEMPORAL_PROFILE' ? p : `$${k}`));
    const [dev, prod] = [formula('development'), formula('production')];
    return dev === prod ? `\`${dev}\`` : `development: \`${dev}\`; production: \`${prod}\``;
  }
  if (typeof d === 'string') return d === '' ? '(empty)' : `\`${d}\``;
  return `development: ${d.development === '' ? '(empty)' : `\`${d.development}\``}; production: ${d.production === '' ? '(empty, required)' : `\`${d.production}\``}`;
}

export function configReference(): string {
  const lines: string[] = [];
  let group = '';
  for (const key of Object.keys(schema) as ConfigKey[]) {
    const def = schema[key];
    if (def.group !== group) {
      group = def.group;
      lines.push('', `**${group}**`, '', '| key | default | meaning |', '| --- | --- | --- |');
    }
    lines.push(`| \`${key}\` | ${describeDefault(def.default)} | ${def.description.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n').trim();
}

const START = '<!-- config-reference:start -->';
const END = '<!-- config-reference:end -->';

/** README text with the generated reference between its markers. */
export function withReference(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README has no ${START} … ${END} block`);
  return `${readme.slice(0, start + START.length)}\n${configReference()}\n${readme.slice(end)}`;
}

// `node dist/src/config/reference.js [--write README.md]`
if (process.argv[1]?.endsWith('config/reference.js')) {
  const target = process.argv[2] === '--write' ? process.argv[3] : undefined;
  if (target) {
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(target, withReference(readFileSync(target, 'utf8')));
  } else process.stdout.write(`${configReference()}\n`);
}
