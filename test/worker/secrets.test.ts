/**
 * Secrets inside a source URL (`http://user:${PASS}@host/…?apikey=${TOKEN}`) are used for the
 * fetch and nowhere else: not in logs, state, events, changes, the outbox, alert payloads or the
 * web view. The test runs real cycles against a site that insists on both, then greps everything.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { enqueueChanges } from "../../src/alert/index.js";
import { createHostLimiter } from "../../src/collect/index.js";
import { parseConfig } from "../../src/config/index.js";
import { startHistoryServer } from "../../src/history/server.js";
import { createLogger } from "../../src/log.js";
import { openFsStore } from "../../src/store/index.js";
import { runCycle } from "../../src/worker/cycle.js";
import type { SourceChange } from "../../src/worker/types.js";
import { startServer, type TestServer } from "../helpers/http-server.js";
import { configYaml, makeWorkspace, planFixture, type Workspace } from "./support.js";

const PASS = "hunter2-correct-horse";
const TOKEN = "tok-9f8e7d6c5b4a";
const ENV = { DESK_PASS: PASS, WIRE_TOKEN: TOKEN };

let ws: Workspace;
const servers: TestServer[] = [];

beforeEach(async () => {
  ws = await makeWorkspace();
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await ws.cleanup();
});

/** Every file under `dir`, as text (bodies are compressed, so the page text itself is not searched). */
async function allText(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    parts.push(await readFile(join(entry.parentPath, entry.name), "utf8"));
  }
  return parts.join("\n");
}

describe("a source URL holding secrets", () => {
  it("sends them to the site but never logs, stores, alerts or shows them", async () => {
    const v1 = await planFixture("v1-draft.txt");
    let body = v1;
    const origin = await startServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname !== "/plan.txt") {
        res.writeHead(404).end("not found");
        return;
      }
      const basic = `Basic ${Buffer.from(`desk:${PASS}`).toString("base64")}`;
      if (url.searchParams.get("apikey") !== TOKEN || req.headers.authorization !== basic) {
        res.writeHead(401).end("who are you?");
        return;
      }
      // Later, the page moves to a path that is gone, taking the query along (errors quote URLs).
      if (body.length === 0) {
        res.writeHead(302, { location: `/gone.txt${url.search}` }).end();
        return;
      }
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(body);
    });
    servers.push(origin);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's ${VAR} syntax
    const url = `${origin.url.replace("http://", "http://desk:${DESK_PASS}@")}/plan.txt?apikey=\${WIRE_TOKEN}&lang=en`;
    const config = parseConfig(configYaml({ sources: [{ id: "wire", url }], failureThreshold: 1 }), {
      file: ws.configFile,
      env: ENV,
    });
    const logged: string[] = [];
    const logger = createLogger({
      level: "debug",
      destination: new Writable({
        write(chunk, _encoding, done) {
          logged.push(String(chunk));
          done();
        },
      }),
    });
    const store = await openFsStore(config.storageDir);
    const ctx = { config, store, logger, limiter: createHostLimiter({ perHost: 1, delayMs: 0 }) };
    const changes: SourceChange[] = [];
    const outcomes: string[] = [];

    for (const next of [v1, await planFixture("v2-amnesty.txt"), Buffer.alloc(0)]) {
      body = next;
      const report = await runCycle(ctx);
      outcomes.push(...report.outcomes.map((outcome) => `${outcome.status} ${outcome.error?.message ?? ""}`));
      changes.push(...report.outcomes.flatMap((outcome) => outcome.changes));
    }
    const alerts = await enqueueChanges(changes, { config, storageDir: config.storageDir });
    logger.info({ source: config.sources[0], config }, "the config, as a careless log line would show it");
    await store.close();
    const server = await startHistoryServer({ config, port: 0 });
    const pages = await Promise.all(
      ["/api/sources", "/api/sources/wire", "/sources/wire"].map(async (path) =>
        (await fetch(`${server.url}${path}`)).text(),
      ),
    );
    await server.close();

    expect(
      outcomes.map((line) => line.split(" ")[0]),
      outcomes.join("\n"),
    ).toEqual(["first-seen", "changed", "failed"]);
    expect(outcomes[2]).toContain("/gone.txt?apikey=***&lang=en answered HTTP 404");
    expect(config.sources[0]?.url).toBe(
      `${origin.url.replace("http://", "http://***:***@")}/plan.txt?apikey=***&lang=en`,
    );
    expect(alerts.map((alert) => alert.kind)).toEqual(["content", "source-broken"]);
    expect(alerts[0]?.source.url).toBe(config.sources[0]?.url);
    const everything = [
      await allText(ws.storeDir),
      logged.join(""),
      JSON.stringify(changes),
      JSON.stringify(alerts),
      outcomes.join("\n"),
      ...pages,
    ].join("\n");
    expect(everything).toContain("apikey=***");
    expect(everything).not.toContain(PASS);
    expect(everything).not.toContain(TOKEN);
  });
});
