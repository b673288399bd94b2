// Temporal's namespace name rules, checked before any network call.
// The server accepts letters, digits, '-', '_' and '.', starting with a letter or
// digit, up to 255 characters; we keep to that subset.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const MAX_NAMESPACE_LENGTH = 255;

/** Returns a sentence describing what is wrong with the name, or undefined when it is valid. */
export function namespaceNameProblem(name: string): string | undefined {
  if (name === '') return 'namespace name is empty';
  if (name.length > MAX_NAMESPACE_LENGTH) return `namespace name "${name.slice(0, 20)}…" is longer than ${MAX_NAMESPACE_LENGTH} characters`;
  if (!NAME.test(name)) return `namespace name "${name}" may only hold letters, digits, '.', '_' and '-', and must start with a letter or digit`;
  return undefined;
}
