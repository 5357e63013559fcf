/**
 * Several `clausewatch run` processes on one PostgreSQL schema: a loopback site of many sources, a
 * webhook receiver that records every delivery, config files as a user writes them, and SQL to
 * read what the workers did.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { stringify } from "yaml";
import { migratePostgresStore } from "../../src/store/index.js";
import { CLI } from "../helpers/cli.js";
import { startServer, type TestServer } from "../helpers/http-server.js";
import { dropSchema, freshSchemaName, pgUrl } from "../helpers/pg.js";

/** A plan of four points whose point 2 carries `round`, so every round is a new version. */
export function planText(sourceIndex: number, round: number): string {
  return [
    "1. The ceasefire holds along the agreed line.",
    `2. Monitors number ${(100 + round * 10 + (sourceIndex % 7)).toLocaleString("en-US")} people.`,
    "3. Elections follow within 100 days.",
    "4. Sanctions are eased in stages.",
    "",
  ].join("\n");
}

export interface Site extends TestServer {
  /** Requests per path. */
  hits: Map<string, number>;
}

/** Serves `/sN.txt`; `text(index)` decides the body, `delayMs` how long each answer takes. */
export async function startSite(text: (index: number) => string, delayMs = 0): Promise<Site> {
  const hits = new Map<string, number>();
  const server = await startServer((req, res) => {
    const path = req.url ?? "";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const match = /^\/s(\d+)\.txt$/.exec(path);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const answer = () =>
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(text(Number(match[1])));
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  return { ...server, hits };
}

export interface Receipt {
  deliveryId: string;
  alertId: string;
  attempt: number;
}

export async function startReceiver(): Promise<TestServer & { receipts: Receipt[] }> {
  const receipts: Receipt[] = [];
  const server = await startServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const alert = JSON.parse(body) as { id: string };
      receipts.push({
        deliveryId: String(req.headers["x-clausewatch-delivery"]),
        alertId: alert.id,
        attempt: Number(req.headers["x-clausewatch-attempt"]),
      });
      res.writeHead(200).end("ok");
    });
  });
  return { ...server, receipts };
}

export interface Cluster {
  dir: string;
  schema: string;
  configFile: string;
  /** SQL against the cluster's database, tables of the test schema written as `$S.table`. */
  sql<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  cleanup(): Promise<void>;
}

export interface ClusterSpec {
  sources: number;
  siteUrl: string;
  receiverUrl?: string;
  schedule: string;
  leaseSeconds?: number;
  concurrency?: number;
}

export async function makeCluster(spec: ClusterSpec): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), "clausewatch-queue-"));
  const schema = freshSchemaName();
  const configFile = join(dir, "clausewatch.yaml");
  const ids = Array.from({ length: spec.sources }, (_, index) => index);
  await writeFile(
    configFile,
    stringify({
      storage: { driver: "postgres", url: pgUrl, schema, poolSize: 6, dir: "./local" },
      queue: {
        concurrency: spec.concurrency ?? 16,
        leaseSeconds: spec.leaseSeconds ?? 60,
        pollSeconds: 0.5,
      },
      schedule: spec.schedule,
      jitterSeconds: 0,
      http: {
        timeoutMs: 10_000,
        retries: { attempts: 1, baseDelayMs: 1, maxDelayMs: 5 },
        perHost: 64,
        politenessMs: 0,
      },
      log: { level: "warn" },
      // One plan per source: each round's new figure is a new version of that source's plan.
      plans: ids.map((index) => ({ id: `plan-${index}`, title: `Plan ${index}` })),
      sources: ids.map((index) => ({
        id: `s${index}`,
        plan: `plan-${index}`,
        role: "draft",
        url: `${spec.siteUrl}/s${index}.txt`,
      })),
      notify: spec.receiverUrl
        ? [{ type: "webhook", id: "hook", url: `${spec.receiverUrl}/in`, timeoutMs: 5000 }]
        : [],
    }),
  );
  // As an operator would before starting workers (they would also migrate on their own).
  await migratePostgresStore({ url: pgUrl, schema });
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  return {
    dir,
    schema,
    configFile,
    async sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
      return (await client.query<R>(text.replaceAll("$S", `"${schema}"`), values)).rows;
    },
    async cleanup() {
      await client.end();
      await dropSchema(schema);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Worker {
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  exited: Promise<void>;
}

export function startWorker(configFile: string): Worker {
  const child = spawn(process.execPath, [CLI, "run", "--config", configFile], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      return child.exitCode;
    },
  };
}

/** Polls `probe` until it returns true (or throws after `timeoutMs`, with `describe()` in the message). */
export async function waitFor(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => Promise<string> | string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`gave up waiting after ${timeoutMs} ms: ${await describe()}`);
}

/** Checks per tick (the run id of each check event) and per source. */
export async function checksPerTick(cluster: Cluster): Promise<Map<string, Map<string, number>>> {
  const rows = await cluster.sql<{ run: string; source_id: string; n: string }>(
    "SELECT event->>'run' AS run, source_id, count(*) AS n FROM $S.events GROUP BY 1, 2",
  );
  const ticks = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const perSource = ticks.get(row.run) ?? new Map<string, number>();
    perSource.set(row.source_id, Number(row.n));
    ticks.set(row.run, perSource);
  }
  return ticks;
}
