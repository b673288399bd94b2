// Whether the history shards are enough for the history instances to share them. The ring hashes
// each shard to an instance by the instances' addresses, so with few shards per instance the split
// is uneven and an instance can own none (4 shards over 2 instances left one empty in a run here).
import { where, type Origins } from '../config/origins.js';
import type { ClusterConfig } from '../config/schema.js';
import { rolesTopology } from '../model/server-roles.js';

/** Below this many shards per history instance, an uneven or empty share is likely. */
export const MIN_SHARDS_PER_HISTORY_INSTANCE = 8;

/** A warning when roles run fewer than MIN_SHARDS_PER_HISTORY_INSTANCE shards per history instance. */
export function shardSpreadWarnings(c: ClusterConfig, origins: Origins): string[] {
  const instances = c.TEMPORAL_HISTORY_REPLICAS;
  if (!rolesTopology(c) || instances < 2 || c.NUM_HISTORY_SHARDS >= instances * MIN_SHARDS_PER_HISTORY_INSTANCE)
    return [];
  const enough = instances * MIN_SHARDS_PER_HISTORY_INSTANCE;
  return [
    `NUM_HISTORY_SHARDS: ${c.NUM_HISTORY_SHARDS} shards for ${instances} history instances can leave an instance with none (the ring hashes shards to instances unevenly); a new cluster should have at least ${enough}, since the count is fixed once the cluster has data${where(origins.NUM_HISTORY_SHARDS)}`,
  ];
}
