/**
 * The fs store's `check --once` kill tests, for the postgres driver: each round serves a new
 * version of every plan and SIGKILLs the check at a random delivery (before or after the receiver
 * answered) or at a random moment of the cycle. After every kill the store verifies clean; in
 * the end every change was detected once, every alert reached both receivers, and a repeat
 * carried the same delivery id.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { stringify } from "yaml";
import { listAlerts } from "../../src/alert/index.js";
import { migratePostgresStore, openPostgresStore } from "../../src/store/index.js";
import { CLI } from "../helpers/cli.js";
import { startServer, type TestServer } from "../helpers/http-server.js";
import { describePg, dropSchema, freshSchemaName, pgUrl } from "../helpers/pg.js";
import { planText } from "./support.js";

const SOURCES = ["s0", "s1", "s2"];
const NOTIFIERS = ["hook-a", "hook-b"];
const ROUNDS = 8;

const servers: TestServer[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Receipt {
  notifier: string;
  deliveryId: string;
  alertId: string;
}

describePg.skipIf(!existsSync(CLI))("check --once on the postgres driver, killed at random points", () => {
  it("leaves a store that verifies, detects each change once and delivers each alert", {
    timeout: 150_000,
  }, async () => {
    const schema = freshSchemaName();
    const dir = await mkdtemp(join(tmpdir(), "clausewatch-pgcrash-"));
    cleanups.push(
      () => dropSchema(schema),
      () => rm(dir, { recursive: true, force: true }),
    );
    await migratePostgresStore({ url: pgUrl, schema });
    let round = 0;
    const site = await startServer((req, res) => {
      const index = SOURCES.indexOf((req.url ?? "").slice(1, -4));
      if (index < 0) res.writeHead(404).end();
      // Staggered answers spread the sources' writes over the cycle.
      else
        setTimeout(
          () => res.writeHead(200, { "content-type": "text/plain" }).end(planText(index, round)),
          20 + index * 40,
        );
    });
    servers.push(site);

    let child: ChildProcess | undefined;
    let killAt: { delivery: number; afterAnswer: boolean } | undefined;
    let deliveries = 0;
    let kills = 0;
    const kill = () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        kills++;
        child.kill("SIGKILL");
      }
    };
    const receipts: Receipt[] = [];
    for (const notifier of NOTIFIERS) {
      const receiver = await startServer((req, res) => {
        let body = "";
        req.setEncoding("utf8").on("data", (chunk: string) => {
          body += chunk;
        });
        req.on("end", () => {
          receipts.push({
            notifier,
            deliveryId: String(req.headers["x-clausewatch-delivery"]),
            alertId: (JSON.parse(body) as { id: string }).id,
          });
          deliveries++;
          const now = killAt?.delivery === deliveries;
          if (now && !killAt?.afterAnswer) {
            kill();
            return;
          }
          res.writeHead(200).end("ok", () => {
            if (now) kill();
          });
        });
      });
      servers.push(receiver);
    }
    const configFile = join(dir, "clausewatch.yaml");
    await writeFile(
      configFile,
      stringify({
        storage: { driver: "postgres", url: pgUrl, schema, poolSize: 3, dir: "./local" },
        schedule: "0 0 1 1 *",
        jitterSeconds: 0,
        http: { timeoutMs: 3000, retries: { attempts: 1, baseDelayMs: 1, maxDelayMs: 5 }, politenessMs: 0 },
        log: { level: "silent" },
        plans: SOURCES.map((id) => ({ id: `plan-${id}`, title: `Plan ${id}` })),
        sources: SOURCES.map((id) => ({
          id,
          plan: `plan-${id}`,
          role: "draft",
          url: `${site.url}/${id}.txt`,
        })),
        notify: NOTIFIERS.map((id, index) => ({
          type: "webhook",
          id,
          url: `${servers[index + 1]?.url}/in`,
          timeoutMs: 2000,
        })),
      }),
    );
    const check = (timeKillMs?: number) =>
      new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve, reject) => {
        deliveries = 0;
        const started = spawn(process.execPath, [CLI, "check", "--once", "--config", configFile], {
          stdio: ["ignore", "ignore", "pipe"],
        });
        child = started;
        let stderr = "";
        started.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
          stderr += chunk;
        });
        const timer = timeKillMs === undefined ? undefined : setTimeout(kill, timeKillMs);
        const fallback = setTimeout(() => started.kill("SIGKILL"), 30_000);
        started.on("error", reject);
        started.on("close", (code, signal) => {
          clearTimeout(timer);
          clearTimeout(fallback);
          resolve({ code, signal, stderr });
        });
      });
    const verify = async () => {
      const store = await openPostgresStore({ url: pgUrl, schema, migrate: false, poolSize: 2 });
      try {
        return await store.verify();
      } finally {
        await store.close();
      }
    };

    const baseline = await check();
    expect(baseline.code, baseline.stderr).toBe(0);
    for (round = 1; round <= ROUNDS; round++) {
      // Odd rounds die at a random delivery, even ones at a random moment of the cycle.
      killAt =
        round % 2 === 1
          ? {
              delivery: 1 + Math.floor(Math.random() * SOURCES.length * NOTIFIERS.length),
              afterAnswer: Math.random() < 0.5,
            }
          : undefined;
      const run = await check(round % 2 === 0 ? 30 + Math.floor(Math.random() * 250) : undefined);
      if (run.signal !== "SIGKILL") expect(run.code, `round ${round}: ${run.stderr}`).toBe(0);
      expect(await verify(), `round ${round}`).toEqual([]);
    }
    killAt = undefined;
    round = ROUNDS;
    for (let final = 0; final < 3; final++) {
      const last = await check();
      expect(last.code, last.stderr).toBe(0);
    }

    const store = await openPostgresStore({ url: pgUrl, schema, migrate: false, poolSize: 2 });
    try {
      const changes = await store.listChanges();
      const pending = await listAlerts(store, { status: "pending" });
      const rows = await listAlerts(store);
      expect(kills).toBeGreaterThanOrEqual(ROUNDS / 2);
      expect(pending).toEqual([]);
      for (const sourceId of SOURCES) {
        const own = changes.filter((change) => change.sourceId === sourceId);
        expect(
          own.filter((change) => change.kind === "baseline"),
          sourceId,
        ).toHaveLength(1);
        // The key names the text reached: the same text twice would be a change detected twice.
        const texts = own
          .filter((change) => change.kind !== "baseline")
          .map((change) => change.key.split(":").pop());
        expect(new Set(texts).size, sourceId).toBe(texts.length);
      }
      const alerted = changes
        .filter((change) => change.kind !== "baseline")
        .map((change) => change.key)
        .sort();
      expect(rows.map((row) => row.id).sort()).toEqual(alerted);
      for (const notifier of NOTIFIERS) {
        const got = new Set(receipts.filter((r) => r.notifier === notifier).map((r) => r.alertId));
        expect(
          alerted.filter((id) => !got.has(id)),
          notifier,
        ).toEqual([]);
      }
      for (const receipt of receipts)
        expect(receipt.deliveryId).toBe(`${receipt.alertId}:${receipt.notifier}`);
    } finally {
      await store.close();
    }
  });
});
