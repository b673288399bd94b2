// Service names typed on the command line (canonical names or the reference compose names), or one
// instance of a service with replicas (`history-2`).
import { SERVICES, SERVICE_ALIASES, parseInstance, resolveService } from '../model/service-facts.js';
import { UsageError } from '../errors.js';

/** A typed name as a canonical service (every instance of it) or an instance's name; undefined when unknown. */
const canonical = (n: string): string | undefined => resolveService(n) ?? parseInstance(n)?.name;

/** Canonical names of the services and instances; unknown names are a UsageError listing the valid ones. */
export function parseServices(names: readonly string[]): string[] {
  const unknown = names.filter((n) => canonical(n) === undefined);
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown service ${unknown.map((n) => `"${n}"`).join(', ')}: use one of ${SERVICES.join(', ')}, or an instance such as history-2 (aliases: ${Object.keys(SERVICE_ALIASES).join(', ')})`,
    );
  }
  return [...new Set(names.map((n) => canonical(n)!))];
}
