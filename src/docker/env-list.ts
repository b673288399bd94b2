/** A container's `KEY=value` environment list (the engine's Config.Env, the provider's `env`) as a map. */
export function envListMap(list: readonly string[]): Map<string, string> {
  return new Map(
    list.map((e) => {
      const eq = e.indexOf('=');
      return eq < 0 ? [e, ''] : [e.slice(0, eq), e.slice(eq + 1)];
    }),
  );
}
