// How long the frontend did not answer while an operation ran, asked with Temporal's CLI
// (`operator cluster health`) every 100 ms, as a user watching the cluster would.

/** Starts watching; `stop()` (after the operation returned) resolves with the longest outage in ms, Infinity while still down. */
export function watchOutage(healthy: () => Promise<boolean>): { stop: () => Promise<number> } {
  let watching = true;
  const longest = (async () => {
    let worst = 0;
    let downSince: number | undefined;
    while (watching) {
      const at = performance.now();
      if (!(await healthy())) downSince ??= at;
      else if (downSince !== undefined) {
        worst = Math.max(worst, at - downSince);
        downSince = undefined;
      }
      await new Promise((ok) => setTimeout(ok, 100));
    }
    // A check that began before the operation returned may have failed: the span ends at the next answer.
    const until = performance.now() + 10_000;
    while (downSince !== undefined && performance.now() < until)
      if (await healthy()) {
        worst = Math.max(worst, performance.now() - downSince);
        downSince = undefined;
      }
    return downSince === undefined ? worst : Number.POSITIVE_INFINITY;
  })();
  return {
    stop: () => {
      watching = false;
      return longest;
    },
  };
}
