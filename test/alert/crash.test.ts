/**
 * Kills `clausewatch check --once` with SIGKILL while it delivers alerts, round after round, then
 * lets a last run finish: every alert must have reached every receiver at least once, and a
 * repeat must carry the same delivery id as the first copy (at-least-once, deduplicable).
 *
 * Receivers: two webhook notifiers on loopback receivers when the config accepts `type: webhook`;
 * otherwise a log notifier whose lines the test reads from the child's stdout.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type AlertRow, listAlerts } from "../../src/alert/index.js";
import type { Alert } from "../../src/alert/types.js";
import { parseConfig } from "../../src/config/index.js";
import { openFsStore } from "../../src/store/index.js";
import { CLI } from "../helpers/cli.js";
import { startServer, type TestServer } from "../helpers/http-server.js";
import { makeTempDir } from "./delivery-support.js";

const SOURCES = ["s0", "s1", "s2"];
const KILL_ROUNDS = 10;
const WEBHOOK_FILE = new URL("../../src/alert/notifiers/webhook.ts", import.meta.url);

/** Deterministic randomness, so a failing run can be replayed from the seed in its message. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A plan whose point 2 names a different figure each round, so every round is a new version. */
function planText(round: number, sourceIndex: number): string {
  return [
    "1. The ceasefire starts at once.",
    `2. Troops are limited to ${(1000 + round * 100 + sourceIndex).toLocaleString("en-US")} people.`,
    "3. Elections are held within 100 days.",
    "4. Sanctions are lifted in stages.",
    "",
  ].join("\n");
}

interface Receipt {
  notifier: string;
  deliveryId: string;
  alertIds: string[];
}

let dir: string;
let cleanup: () => Promise<void>;
const servers: TestServer[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await cleanup();
});

describe.skipIf(!existsSync(CLI))("check --once killed during delivery", () => {
  it("still gets every alert to every receiver, repeats carrying the same delivery id", {
    timeout: 90_000,
  }, async () => {
    const seed = Date.now() % 100_000;
    const random = prng(seed);
    const pages = new Map<string, string>();
    const site = await startServer((req, res) => {
      const body = pages.get(req.url ?? "");
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(body);
    });
    servers.push(site);
    const serveRound = (round: number) => {
      for (const [index, id] of SOURCES.entries()) pages.set(`/${id}.txt`, planText(round, index));
    };

    const receipts: Receipt[] = [];
    let child: ChildProcess | undefined;
    /** Set per round: kill the child at this delivery (counted across receivers), before or after answering. */
    let killPlan: { at: number; afterAnswer: boolean } | undefined;
    let deliveriesThisRound = 0;
    let killsDuringDelivery = 0;
    const onDelivery = (): "kill-before" | "kill-after" | "answer" => {
      deliveriesThisRound++;
      if (!killPlan || deliveriesThisRound !== killPlan.at) return "answer";
      return killPlan.afterAnswer ? "kill-after" : "kill-before";
    };
    const kill = () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        killsDuringDelivery++;
        child.kill("SIGKILL");
      }
    };

    const receiver = async (notifier: string) => {
      const server = await startServer((req, res) => {
        let body = "";
        req.setEncoding("utf8").on("data", (chunk: string) => {
          body += chunk;
        });
        req.on("end", () => {
          const payload = JSON.parse(body) as Alert | { alerts: Alert[] };
          const alertIds = "alerts" in payload ? payload.alerts.map((alert) => alert.id) : [payload.id];
          receipts.push({ notifier, deliveryId: String(req.headers["x-clausewatch-delivery"]), alertIds });
          const action = onDelivery();
          if (action === "kill-before") {
            kill();
            return;
          }
          res.writeHead(200).end("ok", () => {
            if (action === "kill-after") kill();
          });
        });
      });
      servers.push(server);
      return server;
    };

    const configFile = join(dir, "clausewatch.yaml");
    const base = {
      storage: { dir: "./store" },
      schedule: "0 0 1 1 *",
      jitterSeconds: 0,
      http: { timeoutMs: 3000, retries: { attempts: 1, baseDelayMs: 1, maxDelayMs: 5 }, politenessMs: 0 },
      log: { level: "silent" },
      // One plan per source: every round's new figure is then a new version of that source's
      // plan, so every source raises an alert each round (lineage itself is tested elsewhere).
      plans: SOURCES.map((id) => ({ id: `plan-${id}`, title: `Plan ${id}` })),
      sources: SOURCES.map((id) => ({
        id,
        plan: `plan-${id}`,
        role: "draft",
        url: `${site.url}/${id}.txt`,
      })),
    };
    const [hookA, hookB] = existsSync(WEBHOOK_FILE)
      ? [await receiver("hook-a"), await receiver("hook-b")]
      : [];
    const webhookYaml =
      hookA && hookB
        ? stringify({
            ...base,
            notify: [
              { type: "webhook", id: "hook-a", url: `${hookA.url}/in`, timeoutMs: 2000 },
              { type: "webhook", id: "hook-b", url: `${hookB.url}/in`, timeoutMs: 2000 },
            ],
          })
        : undefined;
    const webhookAccepted = (() => {
      if (!webhookYaml) return false;
      try {
        parseConfig(webhookYaml, { file: configFile, env: {} });
        return true;
      } catch {
        return false;
      }
    })();
    const notifiers = webhookAccepted ? ["hook-a", "hook-b"] : ["desk"];
    await writeFile(
      configFile,
      webhookAccepted && webhookYaml
        ? webhookYaml
        : stringify({ ...base, notify: [{ type: "log", id: "desk" }] }),
    );

    /** Runs `check --once`; the log notifier's stdout lines count as receipts. */
    const runCheck = () =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
        (resolve, reject) => {
          deliveriesThisRound = 0;
          const started = spawn(process.execPath, [CLI, "check", "--once", "--config", configFile], {
            stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, NO_COLOR: "1" },
          });
          child = started;
          let stdout = "";
          let stderr = "";
          started.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
            stdout += chunk;
            let newline = stdout.indexOf("\n");
            while (newline >= 0) {
              const line = stdout.slice(0, newline);
              stdout = stdout.slice(newline + 1);
              newline = stdout.indexOf("\n");
              if (!line.startsWith("{")) continue;
              const alert = JSON.parse(line) as Alert & { deliveryId: string };
              receipts.push({ notifier: "desk", deliveryId: alert.deliveryId, alertIds: [alert.id] });
              const action = onDelivery();
              if (action !== "answer") kill();
            }
          });
          started.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
            stderr += chunk;
          });
          const fallback = setTimeout(() => started.kill("SIGKILL"), 20_000);
          started.on("error", reject);
          started.on("close", (code, signal) => {
            clearTimeout(fallback);
            resolve({ code, signal, stderr });
          });
        },
      );

    serveRound(0);
    const baseline = await runCheck();
    expect(baseline.code, baseline.stderr).toBe(0);
    for (let round = 1; round <= KILL_ROUNDS; round++) {
      serveRound(round);
      // Up to (sources × notifiers) deliveries are due this round, plus retries of earlier kills.
      killPlan = {
        at: 1 + Math.floor(random() * SOURCES.length * notifiers.length),
        afterAnswer: random() < 0.5,
      };
      const run = await runCheck();
      if (run.signal !== "SIGKILL") expect(run.code, `round ${round} (seed ${seed}): ${run.stderr}`).toBe(0);
    }
    killPlan = undefined;
    let pending: AlertRow[] = [];
    for (let final = 0; final < 3; final++) {
      const last = await runCheck();
      expect(last.code, `final run (seed ${seed}): ${last.stderr}`).toBe(0);
      pending = await listAlerts(join(dir, "store"), { status: "pending" });
      if (pending.length === 0) break;
    }

    const storageDir = join(dir, "store");
    const store = await openFsStore(storageDir, { lock: false });
    const changeKeys = (await store.listChanges())
      .filter((change) => change.kind !== "baseline")
      .map((change) => change.key)
      .sort();
    await store.close();
    const rows = await listAlerts(storageDir);
    const context = `seed ${seed}, ${killsDuringDelivery} kills during delivery`;
    expect(pending, context).toEqual([]);
    expect(rows.map((row) => row.id).sort(), context).toEqual(changeKeys);
    expect(changeKeys.length, context).toBeGreaterThanOrEqual(SOURCES.length * KILL_ROUNDS * 0.5);
    expect(
      rows.every((row) => row.status === "delivered"),
      context,
    ).toBe(true);
    for (const notifier of notifiers) {
      const got = new Set(
        receipts.filter((receipt) => receipt.notifier === notifier).flatMap((r) => r.alertIds),
      );
      expect(
        changeKeys.filter((key) => !got.has(key)),
        `${context}: alerts ${notifier} never received`,
      ).toEqual([]);
    }
    for (const receipt of receipts) {
      expect(receipt.deliveryId, context).toBe(`${receipt.alertIds[0]}:${receipt.notifier}`);
    }
    const copies = new Map<string, number>();
    for (const receipt of receipts) copies.set(receipt.deliveryId, (copies.get(receipt.deliveryId) ?? 0) + 1);
    const duplicated = [...copies.values()].filter((count) => count > 1).length;
    expect(killsDuringDelivery, context).toBeGreaterThanOrEqual(KILL_ROUNDS / 2);
    // Figures for the report, visible with --reporter=verbose.
    process.stdout.write(
      `crash test (${webhookAccepted ? "webhook" : "log"}): ${changeKeys.length} alerts, ${receipts.length} receipts, ${duplicated} delivery ids received more than once, ${killsDuringDelivery} kills during delivery, seed ${seed}\n`,
    );
  });
});
