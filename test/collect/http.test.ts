import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingHttpHeaders } from "node:http";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CLAUSEWATCH_VERSION, collect } from "../../src/collect/index.js";
import { fetchErrorOf, QUICK, useServers } from "./support.js";

const serve = useServers();
const PLAN =
  "1. Ukraine's sovereignty will be confirmed.\n2. A non-aggression agreement will be concluded.\n";

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

describe("collect over http", () => {
  it("returns the decoded body with its provenance", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, {
        "content-type": "text/plain; charset=utf-8",
        etag: '"v1"',
        "last-modified": "Wed, 19 Nov 2025 10:00:00 GMT",
      });
      res.end(PLAN);
    });
    const url = `${server.url}/plan.txt`;

    const outcome = await collect({ sourceId: "plan", url }, QUICK);

    expect(outcome).toMatchObject({
      kind: "fetched",
      status: 200,
      url,
      finalUrl: url,
      redirects: [],
      attempts: 1,
      contentType: "text/plain; charset=utf-8",
      etag: '"v1"',
      lastModified: "Wed, 19 Nov 2025 10:00:00 GMT",
      charset: "utf-8",
      charsetSource: "header",
      text: PLAN,
      bodyHash: sha256(PLAN),
    });
    expect(outcome.kind === "fetched" && outcome.body.equals(Buffer.from(PLAN))).toBe(true);
    expect(Date.parse(outcome.fetchedAt)).not.toBeNaN();
  });

  it("sends the clausewatch user agent and merges custom headers over the defaults", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = await serve((req, res) => {
      seen.push(req.headers);
      res.end("ok");
    });

    await collect({ sourceId: "a", url: server.url, headers: { "X-Api-Key": "k1" } }, QUICK);
    await collect({ sourceId: "b", url: server.url, headers: { "User-Agent": "newsroom-bot/2" } }, QUICK);

    expect(seen[0]?.["user-agent"]).toBe(
      `clausewatch/${CLAUSEWATCH_VERSION} (+https://github.com/clausewatch)`,
    );
    expect(seen[0]?.["x-api-key"]).toBe("k1");
    expect(seen[0]?.["accept-encoding"]).toContain("gzip");
    expect(seen[1]?.["user-agent"]).toBe("newsroom-bot/2");
  });

  it("names the same version in the user agent as package.json", async () => {
    const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };

    expect(CLAUSEWATCH_VERSION).toBe(pkg.version);
  });

  it("sends If-None-Match with the previous ETag and reports a 304 as not modified", async () => {
    const seen: Array<string | undefined> = [];
    const server = await serve((req, res) => {
      seen.push(req.headers["if-none-match"]);
      if (req.headers["if-none-match"] === '"v7"') {
        res.writeHead(304, { etag: '"v7"' }).end();
        return;
      }
      res.writeHead(200, { etag: '"v7"' }).end(PLAN);
    });

    const outcome = await collect({ sourceId: "plan", url: server.url, etag: '"v7"' }, QUICK);

    expect(seen).toEqual(['"v7"']);
    expect(outcome).toMatchObject({ kind: "not-modified", status: 304, etag: '"v7"', attempts: 1 });
  });

  it("sends If-Modified-Since with the previous Last-Modified and reports a 304 as not modified", async () => {
    const stamp = "Thu, 20 Nov 2025 08:00:00 GMT";
    const server = await serve((req, res) => {
      const since = req.headers["if-modified-since"];
      if (since !== undefined && Date.parse(since) >= Date.parse(stamp)) {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { "last-modified": stamp }).end(PLAN);
    });

    const fresh = await collect({ sourceId: "plan", url: server.url }, QUICK);
    const again = await collect({ sourceId: "plan", url: server.url, lastModified: stamp }, QUICK);

    expect(fresh).toMatchObject({ kind: "fetched", lastModified: stamp });
    expect(again).toMatchObject({ kind: "not-modified", status: 304, lastModified: stamp });
  });

  it("reports unchanged when the body hash equals the previous one, and fetched when it differs", async () => {
    let body = PLAN;
    const server = await serve((_req, res) => {
      res.end(body);
    });

    const same = await collect({ sourceId: "plan", url: server.url, previousBodyHash: sha256(PLAN) }, QUICK);
    body = `${PLAN}3. A new point.\n`;
    const changed = await collect(
      { sourceId: "plan", url: server.url, previousBodyHash: sha256(PLAN) },
      QUICK,
    );

    expect(same).toMatchObject({ kind: "unchanged", status: 200, bodyHash: sha256(PLAN) });
    expect(same).not.toHaveProperty("text");
    expect(changed).toMatchObject({ kind: "fetched", bodyHash: sha256(body), text: body });
  });

  it.each([
    ["gzip", gzipSync],
    ["br", brotliCompressSync],
    ["deflate", deflateSync],
    ["deflate", deflateRawSync],
  ] as const)("decodes a %s body and hashes the decoded bytes", async (coding, compress) => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-encoding": coding });
      res.end(compress(Buffer.from(PLAN)));
    });

    const outcome = await collect({ sourceId: "plan", url: server.url }, QUICK);

    expect(outcome).toMatchObject({ kind: "fetched", text: PLAN, bodyHash: sha256(PLAN) });
  });

  it("refuses a compressed body that inflates past the byte cap", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" });
      res.end(gzipSync(Buffer.from("a".repeat(200_000))));
    });

    const error = await fetchErrorOf(
      collect({ sourceId: "bomb", url: server.url }, { ...QUICK, maxBytes: 64 * 1024 }),
    );

    expect(error.kind).toBe("permanent");
    expect(error.message).toContain("exceeds 64 KiB limit");
    expect(error.message).toContain(server.url);
  });

  it("refuses an unsupported content encoding as permanent", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-encoding": "zstd" }).end("whatever");
    });

    const error = await fetchErrorOf(collect({ sourceId: "z", url: server.url }, QUICK));

    expect(error.kind).toBe("permanent");
    expect(error.message).toContain('unsupported Content-Encoding "zstd"');
  });

  it("refuses a body whose Content-Length exceeds the cap before reading it", async () => {
    let written = 0;
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain", "content-length": String(10 * 1024 * 1024) });
      const timer = setInterval(() => {
        written += 1024;
        res.write("x".repeat(1024));
      }, 5);
      res.on("close", () => clearInterval(timer));
    });

    const error = await fetchErrorOf(collect({ sourceId: "big", url: server.url }, QUICK));

    expect(error.kind).toBe("permanent");
    expect(error.message).toContain("Content-Length 10485760 exceeds 5 MiB limit");
    expect(written).toBeLessThan(5 * 1024 * 1024);
  });

  it("stops reading a streamed body without Content-Length once it passes the cap", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => res.write("y".repeat(4096)), 1);
      res.on("close", () => clearInterval(timer));
    });

    const error = await fetchErrorOf(
      collect({ sourceId: "stream", url: server.url }, { ...QUICK, maxBytes: 32 * 1024 }),
    );

    expect(error.kind).toBe("permanent");
    expect(error.message).toContain("body exceeds 32 KiB limit");
  });

  it("follows redirects, records the chain and reports the final URL", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/a") res.writeHead(301, { location: "/b" }).end();
      else if (req.url === "/b") res.writeHead(302, { location: "/c?x=1" }).end("moved");
      else res.end(`final ${req.url}`);
    });

    const outcome = await collect({ sourceId: "r", url: `${server.url}/a` }, QUICK);

    expect(outcome).toMatchObject({
      kind: "fetched",
      url: `${server.url}/a`,
      finalUrl: `${server.url}/c?x=1`,
      redirects: [`${server.url}/b`, `${server.url}/c?x=1`],
      text: "final /c?x=1",
    });
  });

  it("refuses a redirect loop as permanent and names the chain", async () => {
    const server = await serve((req, res) => {
      res.writeHead(302, { location: req.url === "/a" ? "/b" : "/a" }).end();
    });

    const error = await fetchErrorOf(collect({ sourceId: "loop", url: `${server.url}/a` }, QUICK));

    expect(error.kind).toBe("permanent");
    expect(error.message).toContain(`redirect loop: ${server.url}/a → ${server.url}/b → ${server.url}/a`);
  });

  it("refuses more redirects than maxRedirects", async () => {
    let requests = 0;
    const server = await serve((req, res) => {
      requests += 1;
      const n = Number(req.url?.slice(1));
      res.writeHead(307, { location: `/${n + 1}` }).end();
    });

    const error = await fetchErrorOf(
      collect({ sourceId: "many", url: `${server.url}/0` }, { ...QUICK, maxRedirects: 3 }),
    );

    expect(error.kind).toBe("permanent");
    expect(error.message).toContain("redirected more than 3 times");
    expect(error.message).toContain(`${server.url}/4`);
    expect(requests).toBe(4);
  });

  it("refuses a redirect to a file: URL", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: "file:///etc/passwd" }).end();
    });

    const error = await fetchErrorOf(collect({ sourceId: "sneaky", url: server.url }, QUICK));

    expect(error.kind).toBe("permanent");
    expect(error.message).toContain("expected an http(s) URL");
  });

  it("times out a server that trickles its body forever, as a transient failure naming URL and limit", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => res.write("."), 40);
      res.on("close", () => clearInterval(timer));
    });

    const error = await fetchErrorOf(
      collect({ sourceId: "slow", url: `${server.url}/slow` }, { ...QUICK, timeoutMs: 300 }),
    );

    expect(error.kind).toBe("transient");
    expect(error.message).toContain(`${server.url}/slow timed out after 300 ms`);
  }, 5000);

  it("times out a server that never sends headers", async () => {
    const server = await serve(() => {});

    const error = await fetchErrorOf(
      collect({ sourceId: "mute", url: server.url }, { ...QUICK, timeoutMs: 300 }),
    );

    expect(error.kind).toBe("transient");
    expect(error.message).toContain("timed out after 300 ms");
  }, 5000);

  it("refuses a URL with an unsupported scheme", async () => {
    const error = await fetchErrorOf(collect({ sourceId: "ftp", url: "ftp://127.0.0.1/plan.txt" }, QUICK));

    expect(error.kind).toBe("permanent");
    expect(error.source).toBe("ftp");
    expect(error.message).toContain("unsupported scheme ftp:");
  });
});

describe("credentials and redirects", () => {
  it("sends configured headers to the configured origin only, never across a redirect to another", async () => {
    const seen: Record<string, Record<string, string | string[] | undefined>> = {};
    const other = await serve((req, res) => {
      seen.other = req.headers;
      res.end("the document");
    });
    const own = await serve((req, res) => {
      seen[req.url ?? ""] = req.headers;
      if (req.url === "/start") res.writeHead(302, { location: "/moved" }).end();
      else res.writeHead(302, { location: `${other.url}/elsewhere` }).end();
    });
    const headers = { Authorization: "Bearer s3cret", Cookie: "session=abc", "X-Api-Key": "k-123" };

    const outcome = await collect({ sourceId: "wire", url: `${own.url}/start`, headers }, QUICK);

    expect(outcome.kind).toBe("fetched");
    for (const path of ["/start", "/moved"]) {
      expect(seen[path]).toMatchObject({
        authorization: "Bearer s3cret",
        cookie: "session=abc",
        "x-api-key": "k-123",
      });
    }
    expect(Object.keys(seen.other ?? {}).filter((name) => /authorization|cookie|api-key/.test(name))).toEqual(
      [],
    );
  });

  it("sends a URL's user and password as Basic authorization to its own origin only", async () => {
    const seen: Array<string | undefined> = [];
    const other = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.end("the document");
    });
    const own = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(302, { location: other.url }).end();
    });
    const url = own.url.replace("http://", "http://desk:p%40ss@");

    const outcome = await collect({ sourceId: "wire", url }, QUICK);

    expect(outcome.kind === "fetched" && outcome.finalUrl).toBe(`${other.url}/`);
    expect(seen).toEqual([`Basic ${Buffer.from("desk:p@ss").toString("base64")}`, undefined]);
  });
});
