// Sequential behaviour steps for suites whose tests build on each other (e2e, smoke): a step
// whose prerequisite failed is reported as skipped with the reason, not as a second failure.
import { it, type TestContext } from 'node:test';

export interface Ordered {
  /** Declares a step; `needs` names earlier steps that must have passed. Returns the name. */
  step(name: string, fn: (t: TestContext) => Promise<void>, needs?: string[]): string;
  /** True once any step failed (for --keep style debugging). */
  readonly failed: boolean;
}

export function ordered(): Ordered {
  const notPassed = new Set<string>();
  let failed = false;
  return {
    step(name, fn, needs = []) {
      it(name, async (t) => {
        const blocked = needs.find((n) => notPassed.has(n));
        if (blocked) {
          notPassed.add(name);
          t.skip(`not run: "${blocked}" did not pass`);
          return;
        }
        try {
          await fn(t);
        } catch (error) {
          notPassed.add(name);
          failed = true;
          throw error;
        }
      });
      return name;
    },
    get failed() {
      return failed;
    },
  };
}
