/**
 * A source's deadline: a budget of working time that stops counting while the source only waits
 * its turn (a per-host slot, the politeness delay, a parsing thread), so that many sources on one
 * host never fail for having queued. When the budget is spent, or the worker shuts down, `signal`
 * aborts and everything the check is doing with it stops.
 */

/** Why a deadline's signal aborted: its budget ran out. */
export class DeadlineExceeded extends Error {
  override name = "DeadlineExceeded";
  constructor(readonly budgetMs: number) {
    super(`deadline of ${budgetMs} ms exceeded`);
  }
}

export interface Deadline {
  /** Aborts with DeadlineExceeded when the budget is spent, or with the parent's reason. */
  readonly signal: AbortSignal;
  readonly budgetMs: number;
  /** Runs `wait` with the clock stopped: queueing is not working time. */
  paused<T>(wait: () => Promise<T>): Promise<T>;
  /** Working time left, in milliseconds. */
  remainingMs(): number;
  /** Stops the clock for good (the check is over). */
  dispose(): void;
}

/** A deadline of `budgetMs` working time; aborts early with `parent` (a shutdown). */
export function createDeadline(budgetMs: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  let remaining = budgetMs;
  let runningSince: number | undefined;
  let pauses = 0;
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;

  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", onParentAbort, { once: true });

  // One timer at a time, armed for the budget left when it starts and left running through
  // pauses (a check pauses several times, and timers cost more than the arithmetic): when it
  // fires, the budget is worked out again, and it is armed anew for what is left.
  function arm(ms: number): void {
    timer = setTimeout(expire, Math.max(0, ms));
  }
  function expire(): void {
    timer = undefined;
    if (disposed || controller.signal.aborted || runningSince === undefined) return;
    const left = remaining - (performance.now() - runningSince);
    if (left <= 0) controller.abort(new DeadlineExceeded(budgetMs));
    else arm(left);
  }
  function start(): void {
    if (disposed || controller.signal.aborted) return;
    runningSince = performance.now();
    if (timer === undefined) arm(remaining);
  }
  function stop(): void {
    if (runningSince !== undefined) remaining -= performance.now() - runningSince;
    runningSince = undefined;
  }
  start();

  return {
    signal: controller.signal,
    budgetMs,
    async paused(wait) {
      if (pauses++ === 0) stop();
      try {
        return await wait();
      } finally {
        if (--pauses === 0) start();
      }
    },
    remainingMs() {
      const running = runningSince === undefined ? 0 : performance.now() - runningSince;
      return Math.max(0, remaining - running);
    },
    dispose() {
      disposed = true;
      stop();
      clearTimeout(timer);
      timer = undefined;
      parent?.removeEventListener("abort", onParentAbort);
    },
  };
}

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
