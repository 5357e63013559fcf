import type { HostLimiter, HostLimiterOptions } from "./types.js";

interface HostState {
  perHost: number;
  delayMs: number;
  inFlight: number;
  lastStart: number;
  waiting: Array<() => void>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * At most `perHost` requests in flight per host, and at least `delayMs` between two request
 * starts to the same host. Hosts are independent; waiters start in arrival order.
 */
function checkLimits(limits: { perHost: number; delayMs: number }, where: string): void {
  if (!Number.isInteger(limits.perHost) || limits.perHost < 1) {
    throw new RangeError(`host limiter: perHost${where} must be an integer ≥ 1, got ${limits.perHost}`);
  }
  if (!Number.isFinite(limits.delayMs) || limits.delayMs < 0) {
    throw new RangeError(`host limiter: delayMs${where} must be ≥ 0, got ${limits.delayMs}`);
  }
}

export function createHostLimiter(options: HostLimiterOptions): HostLimiter {
  checkLimits(options, "");
  for (const [host, limits] of Object.entries(options.hosts ?? {})) checkLimits(limits, ` for ${host}`);
  const hosts = new Map<string, HostState>();

  function pump(host: string, state: HostState): void {
    state.timer = undefined;
    while (state.waiting.length > 0 && state.inFlight < state.perHost) {
      const wait = state.lastStart + state.delayMs - performance.now();
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
      performance.now() - state.lastStart >= state.delayMs
    ) {
      hosts.delete(host);
    }
  }

  function acquire(host: string, hostname: string, signal?: AbortSignal): Promise<() => void> {
    let state = hosts.get(host);
    if (state === undefined) {
      const limits = options.hosts?.[hostname] ?? options;
      state = {
        perHost: limits.perHost,
        delayMs: limits.delayMs,
        inFlight: 0,
        lastStart: Number.NEGATIVE_INFINITY,
        waiting: [],
        timer: undefined,
      };
      hosts.set(host, state);
    }
    const current = state;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const start = () => {
        signal?.removeEventListener("abort", onAbort);
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          current.inFlight -= 1;
          if (current.timer === undefined) pump(host, current);
        });
      };
      // A waiter whose check was abandoned (deadline, shutdown) leaves the queue at once.
      const onAbort = () => {
        const at = current.waiting.indexOf(start);
        if (at >= 0) current.waiting.splice(at, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      current.waiting.push(start);
      if (current.timer === undefined) pump(host, current);
    });
  }

  return {
    slot(url: string, signal?: AbortSignal): Promise<() => void> {
      const { host, hostname } = hostOf(url);
      return acquire(host, hostname, signal);
    },
    async run<T>(url: string, task: () => Promise<T>): Promise<T> {
      const { host, hostname } = hostOf(url);
      const release = await acquire(host, hostname);
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

function hostOf(url: string): { host: string; hostname: string } {
  try {
    const parsed = new URL(url);
    return { host: parsed.host || parsed.protocol, hostname: parsed.hostname.toLowerCase() };
  } catch {
    return { host: url, hostname: url };
  }
}
