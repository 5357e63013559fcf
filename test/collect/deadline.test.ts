import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createDeadline, DeadlineExceeded } from "../../src/collect/index.js";

describe("a source's deadline", () => {
  it("aborts with DeadlineExceeded once its working time is spent", async () => {
    const deadline = createDeadline(100);

    await sleep(300);

    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceeded);
    expect((deadline.signal.reason as DeadlineExceeded).budgetMs).toBe(100);
    deadline.dispose();
  });

  it("does not count time spent waiting in a queue", async () => {
    const deadline = createDeadline(200);

    await deadline.paused(() => sleep(500));

    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.remainingMs()).toBeGreaterThan(0);
    deadline.dispose();
  });

  it("counts the working time on both sides of a pause, and only that", async () => {
    const deadline = createDeadline(400);

    await sleep(200);
    // Longer than the whole budget: the clock stands still meanwhile.
    await deadline.paused(() => sleep(600));
    expect(deadline.signal.aborted).toBe(false);
    await sleep(80);
    expect(deadline.signal.aborted).toBe(false);
    await sleep(270);

    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceeded);
    deadline.dispose();
  });

  it("aborts with the parent's reason when the worker shuts down", () => {
    const shutdown = new AbortController();
    const deadline = createDeadline(60_000, shutdown.signal);

    shutdown.abort(new Error("shutting down"));

    expect(deadline.signal.reason).toEqual(new Error("shutting down"));
    deadline.dispose();
  });
});
