// Parsers for the namespace flags. They throw commander's InvalidArgumentError,
// which commander reports as a usage error (exit 2) before any action runs.
import { InvalidArgumentError } from 'commander';
import { namespaceNameProblem, namespaceRefProblem } from '../config/namespace-name.js';
import { parseRetention as parseRetentionText } from '../namespaces/retention.js';
import { typed } from './option-parsers.js';

/** --retention: a human duration (72h, 7d, 30d) of at least Temporal's minimum, in ms. */
export const parseRetention = typed(parseRetentionText);

/** Keys of namespace data: identifiers, as Temporal's CLI asks for. */
const DATA_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** --data KEY=VALUE (repeatable): collects into a map; the value is stored as given (JSON stays JSON text). */
export function collectData(item: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = item.indexOf('=');
  if (eq <= 0)
    throw new InvalidArgumentError(
      `"${item}" is not KEY=VALUE; write e.g. --data team=payments or --data 'limits={"rps":10}'.`,
    );
  const key = item.slice(0, eq);
  if (!DATA_KEY.test(key))
    throw new InvalidArgumentError(
      `data key "${key}" must be an identifier (letters, digits, '_', '.', '-', starting with a letter or '_').`,
    );
  return { ...previous, [key]: item.slice(eq + 1) };
}

/** A name for a namespace that is about to be created (temporal-ctl's safe subset). */
export function parseNewName(text: string): string {
  const problem = namespaceNameProblem(text);
  if (problem) throw new InvalidArgumentError(`${problem}.`);
  return text;
}

/** A name of an existing namespace (the server's own rules only). */
export function parseExistingName(text: string): string {
  const problem = namespaceRefProblem(text);
  if (problem) throw new InvalidArgumentError(`${problem}.`);
  return text;
}
