// Namespace name rules, checked before any network call.
//
// What the server itself enforces (go.temporal.io/server v1.31.2):
// - non-empty: "Namespace not set on request." (INVALID_ARGUMENT from RegisterNamespace);
// - length: service/frontend/workflow_handler.go validateNamespace() rejects names longer than the
//   dynamic config limit.maxIDLength (1000 bytes, common/dynamicconfig/constants.go MaxIDLengthLimit),
//   and the SQL stores are narrower: schema/postgresql/v12/temporal/schema.sql has `name VARCHAR(255)`;
// - characters: none restricted (a server accepts "a b/c").
// For NEW names temporal-ctl keeps to a safer subset: names end up in Web UI URLs, metric labels
// and in TEMPORAL_NAMESPACES (where ',' and ':' are separators), so letters, digits, '.', '_', '-',
// starting with a letter or digit. Existing names are only held to the server's own rules.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const MAX_NAMESPACE_LENGTH = 255;

/** A sentence describing what is wrong with a name for an EXISTING namespace (the server's rules). */
export function namespaceRefProblem(name: string): string | undefined {
  if (name === '') return 'namespace name is empty';
  if (name.length > MAX_NAMESPACE_LENGTH)
    return `namespace name "${name.slice(0, 20)}…" is longer than ${MAX_NAMESPACE_LENGTH} characters`;
  return undefined;
}

/** A sentence describing what is wrong with a name for a NEW namespace, or undefined when it is valid. */
export function namespaceNameProblem(name: string): string | undefined {
  const problem = namespaceRefProblem(name);
  if (problem) return problem;
  if (!NAME.test(name))
    return `namespace name "${name}" may only hold letters, digits, '.', '_' and '-', and must start with a letter or digit`;
  return undefined;
}
