import { describe, expect, it } from "vitest";
import { collect, createHostLimiter } from "../../src/collect/index.js";
import { QUICK, useServers } from "./support.js";

const serve = useServers();

describe("host limiter", () => {
  it("keeps at most perHost requests in flight and spaces request starts by delayMs", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const starts: number[] = [];
    const server = await serve((_req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      starts.push(performance.now());
      setTimeout(() => {
        inFlight -= 1;
        res.end("ok");
      }, 60);
    });
    // Open the pooled connections first so connection setup does not skew the arrival times.
    await Promise.all([
      collect({ sourceId: "w1", url: server.url }, QUICK),
      collect({ sourceId: "w2", url: server.url }, QUICK),
    ]);
    starts.length = 0;
    maxInFlight = 0;
    const limiter = createHostLimiter({ perHost: 2, delayMs: 100 });

    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        collect({ sourceId: `s${index}`, url: `${server.url}/${index}` }, QUICK, limiter),
      ),
    );

    expect(outcomes.every((outcome) => outcome.kind === "fetched")).toBe(true);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    const gaps = starts.slice(1).map((start, index) => start - (starts[index] ?? 0));
    // Arrival times carry loopback and event-loop jitter (the server shares this process and a busy
    // machine); a stalled first arrival shortens the next gap, hence the tolerance.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100 - 25);
  });

  it("starts tasks for one host no closer together than delayMs, in arrival order", async () => {
    const limiter = createHostLimiter({ perHost: 3, delayMs: 30 });
    const starts: Array<{ index: number; at: number }> = [];

    await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        limiter.run("http://example.test/doc", async () => {
          starts.push({ index, at: performance.now() });
        }),
      ),
    );

    expect(starts.map((start) => start.index)).toEqual([0, 1, 2, 3, 4]);
    const gaps = starts.slice(1).map((start, index) => start.at - (starts[index]?.at ?? 0));
    // A task runs a few microtasks after its slot was granted, so allow a millisecond.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(30 - 1);
  });

  it("applies a host's own limits where the config sets them", async () => {
    const limiter = createHostLimiter({
      perHost: 4,
      delayMs: 0,
      hosts: { "slow.test": { perHost: 1, delayMs: 40 } },
    });
    const times = (host: string) => {
      const starts: number[] = [];
      return Promise.all(
        Array.from({ length: 3 }, () =>
          limiter.run(`http://${host}/doc`, async () => {
            starts.push(performance.now());
          }),
        ),
      ).then(() => starts.slice(1).map((at, index) => at - (starts[index] ?? 0)));
    };

    const [slowGaps, fastGaps] = await Promise.all([times("slow.test"), times("fast.test")]);

    expect(Math.min(...slowGaps)).toBeGreaterThanOrEqual(40 - 1);
    expect(Math.max(...fastGaps)).toBeLessThan(40);
  });

  it("lets different hosts proceed independently", async () => {
    let releaseA: () => void = () => {};
    const bReached = new Promise<void>((resolve) => {
      releaseA = resolve;
    });
    const a = await serve((_req, res) => {
      void bReached.then(() => res.end("a"));
    });
    const b = await serve((_req, res) => {
      releaseA();
      res.end("b");
    });
    const limiter = createHostLimiter({ perHost: 1, delayMs: 0 });

    // If both hosts shared one slot, A would hold it until B ran, and A's deadline would fire.
    const [fromA, fromB] = await Promise.all([
      collect({ sourceId: "a", url: a.url }, { ...QUICK, timeoutMs: 2000 }, limiter),
      collect({ sourceId: "b", url: b.url }, { ...QUICK, timeoutMs: 2000 }, limiter),
    ]);

    expect(fromA).toMatchObject({ kind: "fetched", text: "a" });
    expect(fromB).toMatchObject({ kind: "fetched", text: "b" });
  });

  it("frees the slot when a request fails", async () => {
    const server = await serve((req, res) => {
      res.writeHead(req.url === "/bad" ? 404 : 200).end("x");
    });
    const limiter = createHostLimiter({ perHost: 1, delayMs: 0 });

    await collect({ sourceId: "bad", url: `${server.url}/bad` }, QUICK, limiter).catch(() => undefined);
    const outcome = await collect(
      { sourceId: "good", url: `${server.url}/good` },
      { ...QUICK, timeoutMs: 2000 },
      limiter,
    );

    expect(outcome.kind).toBe("fetched");
  });

  it("rejects a perHost below one", () => {
    expect(() => createHostLimiter({ perHost: 0, delayMs: 10 })).toThrow(/perHost must be an integer ≥ 1/);
  });
});

describe("waiting for a host", () => {
  it("never counts the wait for a slot or the politeness delay as fetch time", async () => {
    const server = await serve((_req, res) => res.end("ok"));
    // Ten requests one at a time, 250 ms apart: the last waits over 2 s, far past its 800 ms timeout.
    const limiter = createHostLimiter({ perHost: 1, delayMs: 250 });

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        collect({ sourceId: `s${i}`, url: `${server.url}/${i}` }, { ...QUICK, timeoutMs: 800 }, limiter),
      ),
    );

    expect(outcomes.map((outcome) => outcome.kind)).toEqual(Array(10).fill("fetched"));
  });

  it("leaves the queue when the caller gives up, without taking a slot", async () => {
    const server = await serve((_req, res) => setTimeout(() => res.end("ok"), 300));
    const limiter = createHostLimiter({ perHost: 1, delayMs: 0 });
    const first = collect({ sourceId: "first", url: server.url }, QUICK, limiter);
    const abandon = new AbortController();
    const queued = collect({ sourceId: "queued", url: server.url }, QUICK, limiter, {
      signal: abandon.signal,
    });

    abandon.abort(new Error("shutting down"));

    await expect(queued).rejects.toThrow("shutting down");
    expect((await first).kind).toBe("fetched");
  });
});
