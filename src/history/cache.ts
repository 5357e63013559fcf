/**
 * A bounded in-memory cache for values derived from immutable things (snapshots are content
 * addressed, so a clause set or a diff between two of them never goes stale). Each value has a
 * weight (clauses, entries); the least recently used go first once the total passes the limit.
 */
export interface WeightedCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V, weight: number): void;
}

export function createWeightedCache<V>(limit: number): WeightedCache<V> {
  const entries = new Map<string, { value: V; weight: number }>();
  let total = 0;
  return {
    get(key) {
      const found = entries.get(key);
      if (!found) return undefined;
      // Map order is insertion order: re-inserting marks the entry as the most recently used.
      entries.delete(key);
      entries.set(key, found);
      return found.value;
    },
    set(key, value, weight) {
      const previous = entries.get(key);
      if (previous) {
        total -= previous.weight;
        entries.delete(key);
      }
      entries.set(key, { value, weight });
      total += weight;
      for (const [oldest, entry] of entries) {
        if (total <= limit || entries.size === 1) break;
        entries.delete(oldest);
        total -= entry.weight;
      }
    },
  };
}
