// Every string the stack writes into a resource or an output is a literal. Terraform's JSON syntax
// reads `${` and `%{` in any string as template syntax, so a password such as `p${x}%{y}` would be
// interpolated (another password in the container) or fail the apply with the value in the error.
// The escape is `$${` and `%%{`. It is applied once, here, to whatever each resource and output
// synthesizes, so no construct has to remember it, with two exceptions kept as they are:
// cdktf's tokens (references such as a docker_image's id, which resolve to `${...}` on purpose) and
// `lifecycle`, whose conditions are Terraform expressions the stack writes on purpose.
import { type IAspect, TerraformOutput, TerraformResource, Token, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';

/** `${` and `%{` doubled: Terraform then reads the text as it is. */
export const templateEscape = (text: string): string => text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');

/** cdktf's encoding of a string token inside a string (cdktf's BEGIN_STRING_TOKEN_MARKER ... END_TOKEN_MARKER). */
const STRING_TOKEN = /\$\{TfToken\[[^\]]*\]\}/g;

/** A string as a Terraform literal: the text escaped, any cdktf token inside it left to resolve. */
export function literal(text: string): string {
  if (!Token.isUnresolved(text)) return templateEscape(text);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(STRING_TOKEN)) {
    out += templateEscape(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + templateEscape(text.slice(last));
}

/** Escapes every string in plain data (arrays, objects); tokens and lifecycle expressions stay. */
function literals(value: unknown): unknown {
  if (typeof value === 'string') return literal(value);
  if (Array.isArray(value)) return value.map(literals);
  if (value === null || typeof value !== 'object' || Tokenization.isResolvable(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'lifecycle' ? v : literals(v)] as const));
}

/** Elements already escaping (aspects may run more than once: each synth, nested scopes). */
const escaping = new WeakSet<IConstruct>();

/** The aspect TemporalStack adds: each resource's and output's synthesized block, with its strings as literals. */
export class LiteralStrings implements IAspect {
  visit(node: IConstruct): void {
    if (escaping.has(node)) return;
    if (!TerraformResource.isTerraformResource(node) && !TerraformOutput.isTerraformOutput(node)) return;
    escaping.add(node);
    const synthesize = node.toTerraform.bind(node);
    node.toTerraform = () => literals(synthesize());
  }
}
