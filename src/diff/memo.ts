/** Word-level caches for the diff stage: they live as long as the process, so each one is bounded. */

/** Past this many entries the oldest half of a cache is dropped. */
const CACHE_LIMIT = 100_000;

export function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_LIMIT) {
    let drop = CACHE_LIMIT / 2;
    for (const old of cache.keys()) {
      if (drop-- <= 0) break;
      cache.delete(old);
    }
  }
  cache.set(key, value);
}

/** `fn` with its answers kept per word: for pure functions of one string asked about the same words again and again. */
export function memoized<V>(fn: (key: string) => V): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const value = fn(key);
    remember(cache, key, value);
    return value;
  };
}
