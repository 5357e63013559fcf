import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, REDACTED, sourceLogger } from "../src/log.js";

/** A destination that keeps what was written and lets a test wait for the next write. */
function capture() {
  const chunks: string[] = [];
  let waiting: (() => void) | undefined;
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      waiting?.();
      done();
    },
  });
  return {
    stream,
    text: () => chunks.join(""),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    written: () =>
      new Promise<void>((resolve) => {
        if (chunks.length > 0) resolve();
        else waiting = resolve;
      }),
  };
}

describe("createLogger", () => {
  it("writes JSON lines that carry the source and run of a source logger", () => {
    const out = capture();
    const root = createLogger({ destination: out.stream });

    sourceLogger(root, "wire-fulltext", "run-42").warn({ url: "https://example.org/x" }, "fetch failed");

    const [line] = out.lines();
    expect(line).toMatchObject({
      level: "warn",
      msg: "fetch failed",
      source: "wire-fulltext",
      run: "run-42",
      url: "https://example.org/x",
    });
    expect(typeof line?.time).toBe("string");
  });

  it("drops lines below the configured level", () => {
    const out = capture();
    const root = createLogger({ destination: out.stream, level: "warn" });

    root.info("not shown");
    root.error("shown");

    expect(out.lines().map((line) => line.msg)).toEqual(["shown"]);
  });

  it("censors authorization headers, cookies and credential fields in logged objects", () => {
    const out = capture();
    const root = createLogger({ destination: out.stream });

    root.info(
      {
        request: {
          headers: { Authorization: "Bearer s3cr3t-a", cookie: "sid=s3cr3t-b", accept: "text/html" },
        },
        headers: { authorization: "Bearer s3cr3t-c" },
        account: { password: "s3cr3t-d" },
        token: "s3cr3t-e",
      },
      "request sent",
    );

    expect(out.text()).not.toMatch(/s3cr3t/);
    const [line] = out.lines();
    expect(line?.request).toEqual({
      headers: { Authorization: REDACTED, cookie: REDACTED, accept: "text/html" },
    });
    expect(line?.token).toBe(REDACTED);
  });

  it("censors every configured header value when a source's settings are logged", () => {
    const out = capture();
    const root = createLogger({ destination: out.stream });

    root.debug({ source: { id: "wire", http: { headers: { "X-Custom-Key": "s3cr3t" } } } }, "source loaded");
    root.info({ config: { sources: [{ http: { headers: { "X-Other": "s3cr3t" } } }] } }, "config loaded");

    expect(out.text()).not.toContain("s3cr3t");
    expect(out.text()).toContain(REDACTED);
  });

  it("censors extra paths the caller lists", () => {
    const out = capture();
    const root = createLogger({ destination: out.stream, redact: ["webhook.url"] });

    root.info({ webhook: { url: "https://hooks.example/T000/s3cr3t" } }, "delivering");

    expect(out.text()).not.toContain("s3cr3t");
  });

  it("writes human-readable text, not JSON, in pretty mode", async () => {
    const out = capture();
    const root = createLogger({ destination: out.stream, format: "pretty" });

    sourceLogger(root, "wire-fulltext", "run-7").info(
      { headers: { authorization: "Bearer s3cr3t" } },
      "fetched",
    );
    await out.written();

    const text = out.text();
    expect(text).toMatch(/INFO.*fetched/);
    expect(text).toContain("wire-fulltext");
    expect(text).not.toContain("s3cr3t");
    expect(() => JSON.parse(text.split("\n")[0] ?? "")).toThrow();
  });
});
