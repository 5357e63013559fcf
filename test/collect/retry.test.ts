import { describe, expect, it } from "vitest";
import { parseRetryAfter, retryDelayMs } from "../../src/collect/classify.js";
import { collect } from "../../src/collect/index.js";
import { startServer } from "../helpers/http-server.js";
import { fetchErrorOf, useServers } from "./support.js";

const serve = useServers();
const FAST_RETRIES = { retries: { attempts: 3, baseDelayMs: 5, maxDelayMs: 2000 } };

describe("collect retries", () => {
  it("retries a 500 and returns the body of the next success", async () => {
    let requests = 0;
    const server = await serve((_req, res) => {
      requests += 1;
      if (requests === 1) res.writeHead(500).end("database is down");
      else res.end("1. Point one.");
    });

    const outcome = await collect({ sourceId: "flaky", url: server.url }, FAST_RETRIES);

    expect(outcome).toMatchObject({ kind: "fetched", attempts: 2, text: "1. Point one." });
    expect(requests).toBe(2);
  });

  it("gives up on a persistent 503 after the configured attempts as a transient failure", async () => {
    let requests = 0;
    const server = await serve((_req, res) => {
      requests += 1;
      res.writeHead(503).end("maintenance until noon");
    });

    const error = await fetchErrorOf(collect({ sourceId: "down", url: server.url }, FAST_RETRIES));

    expect(requests).toBe(3);
    expect(error).toMatchObject({ kind: "transient", status: 503, code: "E_FETCH", source: "down" });
    expect(error.message).toContain(`GET ${server.url} answered HTTP 503`);
    expect(error.message).toContain('"maintenance until noon"');
    expect(error.message).toContain("gave up after 3 attempts");
  });

  it("waits as long as a 429's Retry-After asks before trying again", async () => {
    const starts: number[] = [];
    const server = await serve((_req, res) => {
      starts.push(Date.now());
      if (starts.length === 1) res.writeHead(429, { "retry-after": "1" }).end();
      else res.end("ok");
    });

    const outcome = await collect({ sourceId: "busy", url: server.url }, FAST_RETRIES);

    expect(outcome).toMatchObject({ kind: "fetched", attempts: 2 });
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("reads an HTTP-date Retry-After into seconds on the error", async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    const server = await serve((_req, res) => {
      res.writeHead(503, { "retry-after": at }).end();
    });

    const error = await fetchErrorOf(
      collect({ sourceId: "later", url: server.url }, { retries: { attempts: 1 } }),
    );

    expect(error.retryAfter).toBeGreaterThanOrEqual(28);
    expect(error.retryAfter).toBeLessThanOrEqual(31);
  });

  it("does not retry a 404 and quotes the page in the error", async () => {
    let requests = 0;
    const server = await serve((_req, res) => {
      requests += 1;
      res.writeHead(404, { "content-type": "text/html" }).end("<h1>No such   plan</h1>");
    });

    const error = await fetchErrorOf(collect({ sourceId: "gone", url: `${server.url}/plan` }, FAST_RETRIES));

    expect(requests).toBe(1);
    expect(error).toMatchObject({ kind: "permanent", status: 404 });
    expect(error.message).toContain(`GET ${server.url}/plan answered HTTP 404 Not Found, expected 2xx`);
    expect(error.message).toContain("<h1>No such plan</h1>");
    expect(error.message).toContain("permanent, 1 attempt");
  });

  it("retries a refused connection and reports it as transient after all attempts", async () => {
    const closed = await startServer(() => {});
    await closed.close();

    const error = await fetchErrorOf(collect({ sourceId: "off", url: closed.url }, FAST_RETRIES));

    expect(error.kind).toBe("transient");
    expect(error.status).toBeUndefined();
    expect(error.message).toContain(`GET ${closed.url} failed`);
    expect(error.message).toContain("gave up after 3 attempts");
    expect((error.cause as { code?: string }).code).toBe("ECONNREFUSED");
  });

  it("keeps the default for an option passed as undefined", async () => {
    let requests = 0;
    const server = await serve((_req, res) => {
      requests += 1;
      res.writeHead(500).end();
    });

    await fetchErrorOf(
      collect(
        { sourceId: "cfg", url: server.url },
        { timeoutMs: undefined, retries: { attempts: 2, baseDelayMs: 1 } },
      ),
    );

    expect(requests).toBe(2);
  });

  it("retries after the server hangs up without answering", async () => {
    let requests = 0;
    const server = await serve((req, res) => {
      requests += 1;
      if (requests === 1) req.socket.destroy();
      else res.end("second time lucky");
    });

    const outcome = await collect({ sourceId: "hangup", url: server.url }, FAST_RETRIES);

    expect(outcome).toMatchObject({ kind: "fetched", attempts: 2, text: "second time lucky" });
  });
});

describe("retry timing rules", () => {
  const retries = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

  it("draws a full-jitter wait below an exponentially growing ceiling", () => {
    const highest = () => 0.999_999;

    const waits = [2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, retries, undefined, highest));

    expect(waits).toEqual([99, 199, 399, 799, 999]);
    expect(retryDelayMs(4, retries, undefined, () => 0)).toBe(0);
  });

  it("honours Retry-After but never waits longer than maxDelayMs", () => {
    expect(retryDelayMs(2, retries, 0, () => 0.5)).toBe(0);
    expect(retryDelayMs(2, retries, 120, () => 0.5)).toBe(1000);
  });

  it("parses Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("Sat, 22 Nov 2025 12:00:00 GMT");

    expect(parseRetryAfter("7", now)).toBe(7);
    expect(parseRetryAfter("Sat, 22 Nov 2025 12:01:30 GMT", now)).toBe(90);
    expect(parseRetryAfter("Sat, 22 Nov 2025 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
