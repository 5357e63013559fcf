import type { HostLimiter, HostLimiterOptions } from "./types.js";

interface HostState {
  inFlight: number;
  lastStart: number;
  waiting: Array<() => void>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * At most `perHost` requests in flight per host, and at least `delayMs` between two request
 * starts to the same host. Hosts are independent; waiters start in arrival order.
 */
export function createHostLimiter(options: HostLimiterOptions): HostLimiter {
  if (!Number.isInteger(options.perHost) || options.perHost < 1) {
    throw new RangeError(`host limiter: perHost must be an integer ≥ 1, got ${options.perHost}`);
  }
  if (!Number.isFinite(options.delayMs) || options.delayMs < 0) {
    throw new RangeError(`host limiter: delayMs must be ≥ 0, got ${options.delayMs}`);
  }
  const hosts = new Map<string, HostState>();

  function pump(host: string, state: HostState): void {
    state.timer = undefined;
    while (state.waiting.length > 0 && state.inFlight < options.perHost) {
      const wait = state.lastStart + options.delayMs - performance.now();
      if (wait > 0) {
        state.timer = setTimeout(() => pump(host, state), wait);
        return;
      }
      const start = state.waiting.shift();
      if (start === undefined) return;
      state.inFlight += 1;
      state.lastStart = performance.now();
      start();
    }
    // Forget idle hosts once their politeness window has passed, so a long-running worker does not
    // keep one entry per host ever seen.
    if (
      state.inFlight === 0 &&
      state.waiting.length === 0 &&
      performance.now() - state.lastStart >= options.delayMs
    ) {
      hosts.delete(host);
    }
  }

  function acquire(host: string): Promise<() => void> {
    let state = hosts.get(host);
    if (state === undefined) {
      state = { inFlight: 0, lastStart: Number.NEGATIVE_INFINITY, waiting: [], timer: undefined };
      hosts.set(host, state);
    }
    const current = state;
    return new Promise((resolve) => {
      current.waiting.push(() => {
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          current.inFlight -= 1;
          if (current.timer === undefined) pump(host, current);
        });
      });
      if (current.timer === undefined) pump(host, current);
    });
  }

  return {
    async run<T>(url: string, task: () => Promise<T>): Promise<T> {
      const release = await acquire(hostOf(url));
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host || parsed.protocol;
  } catch {
    return url;
  }
}
