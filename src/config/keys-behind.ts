// Which keys a user changes to change a value: the key itself when it was set, else the keys its
// computed default reads (TEMPORAL_SERVER_IMAGE's default reads TEMPORAL_IMAGE_REGISTRY and
// TEMPORAL_VERSION), followed through defaults that are computed too. Read from the schema's
// default functions, so no second list of which key feeds which.
import type { Origins } from './origins.js';
import { schema, type ClusterConfig, type ConfigKey } from './schema.js';

/** The keys a key's computed default reads; none for a literal default. */
export function defaultReads(key: ConfigKey): ConfigKey[] {
  const def = schema[key].default;
  if (typeof def !== 'function') return [];
  const read: ConfigKey[] = [];
  def((k) => {
    read.push(k as ConfigKey);
    return '';
  });
  return read;
}

export function keysBehind(config: ClusterConfig, origins: Origins, key: ConfigKey): ConfigKey[] {
  if (origins[key] !== 'default' || typeof schema[key].default !== 'function') return [key];
  const read = defaultReads(key);
  // An empty key (no registry prefix) is not where the value comes from.
  const behind = [...new Set(read.flatMap((k) => keysBehind(config, origins, k)))].filter(
    (k) => String(config[k] ?? '') !== '',
  );
  return behind.length > 0 ? behind : [key];
}
