// Renders the configuration reference (docs/configuration.md) from the schema, so the docs can't drift.
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

/** A page's text with the generated reference between its markers (docs/configuration.md). */
export function withReference(page: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`no ${START} … ${END} block`);
  return `${page.slice(0, start + START.length)}\n${configReference()}\n${page.slice(end)}`;
}

// `node dist/src/config/reference.js [--write docs/configuration.md]`
if (process.argv[1]?.endsWith('config/reference.js')) {
  const target = process.argv[2] === '--write' ? process.argv[3] : undefined;
  if (target) {
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(target, withReference(readFileSync(target, 'utf8')));
  } else process.stdout.write(`${configReference()}\n`);
}
