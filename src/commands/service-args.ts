// Service names typed on the command line (canonical names or the reference compose names).
import { SERVICES, SERVICE_ALIASES, resolveService } from '../model/service-facts.js';
import { type ServiceName } from '../model/services.js';
import { UsageError } from '../errors.js';

/** Canonical names of the services; unknown names are a UsageError listing the valid ones. */
export function parseServices(names: readonly string[]): ServiceName[] {
  const unknown = names.filter((n) => resolveService(n) === undefined);
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown service ${unknown.map((n) => `"${n}"`).join(', ')}: use one of ${SERVICES.join(', ')} (aliases: ${Object.keys(SERVICE_ALIASES).join(', ')})`,
    );
  }
  return [...new Set(names.map((n) => resolveService(n)!))];
}
