/**
 * `node dist/bench/postgres.js [--sources 3000] [--workers 1,2,3] [--history-sources 10000] [--history-only]`:
 * the postgres driver's figures, printed.
 *
 * 1. One cycle over N loopback sources (19 KB news pages, first sight) with 1, 2 and 3
 *    `clausewatch run` processes on one database: the cycle is the span from the first check
 *    job's start to the last one's end, read from the queue's own table.
 * 2. History page latency with 10,000 sources × 10 versions, the same history in an fs store and
 *    in PostgreSQL, through the web view over HTTP (median of 5 requests per page).
 *
 * Uses CLAUSEWATCH_BENCH_DATABASE_URL, or starts a throwaway cluster (bench/pg-cluster.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { stringify } from "yaml";
import type { Config, SourceConfig } from "../src/config/index.js";
import { startHistoryServer } from "../src/history/server.js";
import { createLogger } from "../src/log.js";
import {
  migratePostgresStore,
  openFsStore,
  openPostgresStore,
  type SnapshotStore,
} from "../src/store/index.js";
import type { ClauseSet } from "../src/types.js";
import { renderPage } from "./pages.js";
import { type Cluster, startCluster } from "./pg-cluster.js";

const CLI = fileURLToPath(new URL("../src/cli.js", import.meta.url));

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function pageServer(count: number): Promise<{ url: string; close(): Promise<void> }> {
  const pages = Array.from({ length: count }, (_, n) => Buffer.from(renderPage(n, 0), "utf8"));
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const body = pages[Number(/^\/s(\d+)$/.exec(req.url ?? "")?.[1] ?? -1)];
    if (!body) res.writeHead(404).end();
    else res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface CycleFigures {
  workers: number;
  cycleSeconds: number;
  perSourceMs: number;
  checksPerWorker: number[];
}

async function measureCycle(
  url: string,
  siteUrl: string,
  sources: number,
  workers: number,
): Promise<CycleFigures> {
  const dir = await mkdtemp(join(tmpdir(), "clausewatch-bench-queue-"));
  const schema = `bench_${workers}_${Date.now().toString(36)}`;
  const configFile = join(dir, "clausewatch.yaml");
  const ids = Array.from({ length: sources }, (_, n) => n);
  await writeFile(
    configFile,
    stringify({
      storage: { driver: "postgres", url, schema, poolSize: 8, dir: "./local" },
      queue: { concurrency: 16, leaseSeconds: 600, pollSeconds: 0.5 },
      // Never fires during the run: the one cycle is the start tick.
      schedule: "0 0 1 1 *",
      jitterSeconds: 0,
      http: { perHost: 64, politenessMs: 0, retries: { attempts: 1, baseDelayMs: 1, maxDelayMs: 5 } },
      log: { level: "error" },
      plans: ids.map((n) => ({ id: `plan-${n}`, title: `Plan ${n}` })),
      sources: ids.map((n) => ({ id: `s${n}`, plan: `plan-${n}`, role: "draft", url: `${siteUrl}/s${n}` })),
      notify: [],
    }),
  );
  await migratePostgresStore({ url, schema });
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < workers; i++) {
      children.push(spawn(process.execPath, [CLI, "run", "--config", configFile], { stdio: "ignore" }));
    }
    const deadline = Date.now() + 30 * 60_000;
    await withClient(url, async (client) => {
      for (;;) {
        const done = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".events`);
        if (Number(done.rows[0]?.n) >= sources) return;
        if (Date.now() > deadline) throw new Error(`cycle over ${sources} sources did not finish`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
    return await withClient(url, async (client) => {
      const span = await client.query<{ seconds: number }>(
        `SELECT extract(epoch FROM max(completed_on) - min(started_on))::float AS seconds
         FROM "${schema}_queue".job WHERE name = 'clausewatch-check'`,
      );
      const perWorker = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM "${schema}_queue".job WHERE name = 'clausewatch-check' AND state = 'completed'
         GROUP BY output->>'worker' ORDER BY 1 DESC`,
      );
      const seconds = span.rows[0]?.seconds ?? Number.NaN;
      await client.query(`DROP SCHEMA "${schema}" CASCADE; DROP SCHEMA "${schema}_queue" CASCADE`);
      return {
        workers,
        cycleSeconds: seconds,
        perSourceMs: (seconds * 1000) / sources,
        checksPerWorker: perWorker.rows.map((row) => Number(row.n)),
      };
    });
  } finally {
    for (const child of children) child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  }
}

function clauseSet(sourceId: string, version: number): ClauseSet {
  const texts = Array.from(
    { length: 12 },
    (_, index) =>
      `Point ${index + 1} of ${sourceId}: the parties agree to measure ${index * 7 + (index === version % 12 ? version : 0)} units.`,
  );
  return {
    source: sourceId,
    style: "decimal",
    clauses: texts.map((text, index) => ({
      key: String(index + 1),
      label: String(index + 1),
      printed: `${index + 1}.`,
      kind: "numbered",
      depth: 0,
      index,
      text,
      norm: text.toLowerCase(),
      fingerprint: createHash("sha256").update(text).digest("hex").slice(0, 16),
    })),
    coverage: { words: 0, placed: 0 },
    warnings: [],
  };
}

/** 10 versions per source; the first source of each plan of 10 makes the plan's versions, the rest witness them. */
async function fillHistory(store: SnapshotStore, sources: number, versions: number): Promise<void> {
  const encoder = new TextEncoder();
  const perPlan = 10;
  let next = 0;
  const lane = async () => {
    while (next < sources) {
      const n = next++;
      const sourceId = `s${n}`;
      const planId = `plan-${Math.floor(n / perPlan)}`;
      const lineage: Array<Record<string, unknown> & { type: string }> = [];
      for (let v = 1; v <= versions; v++) {
        const at = new Date(Date.UTC(2025, 10, 1 + v, 8, n % 60)).toISOString();
        const set = clauseSet(`plan-${Math.floor(n / perPlan)}`, v);
        const bodyHash = await store.putBody(encoder.encode(set.clauses.map((c) => c.text).join("\n")));
        const record = await store.putSnapshot({
          sourceId,
          url: `https://example.test/${sourceId}`,
          finalUrl: `https://example.test/${sourceId}`,
          status: 200,
          fetchedAt: at,
          bodyHash,
          extractorVersion: "1",
          clauseSet: { ...set, source: sourceId },
        });
        await store.appendEvent(sourceId, {
          at,
          type: v === 1 ? "first-seen" : "changed",
          run: `r${v}`,
          durationMs: 12,
        });
        await store.appendChange({
          key: `${sourceId}:${v}:${v === 1 ? "baseline" : "content"}:${record.clauseSetHash}`,
          at,
          sourceId,
          planId,
          kind: v === 1 ? "baseline" : "content",
          toSnapshot: record.id,
          severity: v === 1 ? "none" : "substantive",
          headline: `Plan: version v${v}`,
        });
        if (n % perPlan === 0) {
          lineage.push({
            type: "version",
            planId,
            id: `v${v}`,
            fingerprint: record.clauseSetHash.slice(0, 24),
            firstSeen: at,
            sourceId,
            snapshotId: record.id,
            clauses: 12,
            ...(v > 1 ? { parent: `v${v - 1}` } : {}),
          });
        }
        lineage.push({
          type: "witness",
          planId,
          version: `v${v}`,
          sourceId,
          snapshotId: record.id,
          fingerprint: record.clauseSetHash.slice(0, 24),
          at,
          relation: n % perPlan === 0 ? "new-version" : "witness",
        });
        await store.setSourceState({
          sourceId,
          lastCheckAt: at,
          lastSnapshotId: record.id,
          consecutiveFailures: 0,
          health: "ok",
          recentClauseSetHashes: [record.clauseSetHash],
        });
      }
      await store.exclusive(planId, () => store.appendPlanLog(planId, "lineage", lineage));
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
}

async function timePages(store: SnapshotStore, sources: number): Promise<Record<string, number>> {
  const plans = Array.from({ length: sources / 10 }, (_, n) => ({ id: `plan-${n}`, title: `Plan ${n}` }));
  const sourceConfigs = Array.from(
    { length: sources },
    (_, n) =>
      ({
        id: `s${n}`,
        plan: `plan-${Math.floor(n / 10)}`,
        role: "draft",
        url: `https://example.test/s${n}`,
      }) as SourceConfig,
  );
  const config = { storageDir: "/nonexistent", plans, sources: sourceConfigs } as Pick<
    Config,
    "storageDir" | "plans" | "sources"
  >;
  const server = await startHistoryServer({
    config,
    store,
    port: 0,
    logger: createLogger({ level: "error", destination: process.stderr }),
  });
  const pages: Record<string, string> = {
    "plans list (/)": "/",
    "plan timeline": `/plans/plan-${Math.floor(sources / 20)}`,
    "compare v1..v10": `/plans/plan-${Math.floor(sources / 20)}/compare/v1..v10`,
    "source page": `/sources/s${Math.floor(sources / 2) + 5}`,
    "sources API": "/api/sources",
  };
  const figures: Record<string, number> = {};
  try {
    for (const [name, path] of Object.entries(pages)) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const response = await fetch(`${server.url}${path}`);
        await response.arrayBuffer();
        // A failing page is a figure too (printed as NaN with its status), not the end of the bench.
        if (!response.ok) console.log(`  ${name} (${path}): HTTP ${response.status}`);
        times.push(response.ok ? performance.now() - started : Number.NaN);
      }
      figures[name] = median(times);
    }
  } finally {
    await server.close();
  }
  return figures;
}

export async function runPostgresBench(): Promise<void> {
  const sources = Number(flag("sources", "3000"));
  const workerCounts = flag("workers", "1,2,3").split(",").map(Number);
  const historySources = Number(flag("history-sources", "10000"));
  const cycles = !process.argv.includes("--history-only");
  const given = process.env.CLAUSEWATCH_BENCH_DATABASE_URL;
  const cluster: Cluster | undefined = given ? undefined : await startCluster();
  const url = given ?? cluster?.url ?? "";
  try {
    const site = await pageServer(cycles ? sources : 0);
    try {
      console.log(
        `queue cycle: ${sources} loopback sources (19 KB pages, first sight), concurrency 16 per worker`,
      );
      for (const workers of cycles ? workerCounts : []) {
        const figures = await measureCycle(url, site.url, sources, workers);
        console.log(
          `  ${workers} worker(s): cycle ${figures.cycleSeconds.toFixed(1)} s (${figures.perSourceMs.toFixed(1)} ms/source); checks per worker ${figures.checksPerWorker.join(" / ")}`,
        );
      }
    } finally {
      await site.close();
    }

    console.log(`history pages: ${historySources} sources × 10 versions (median of 5 requests, over HTTP)`);
    const dir = await mkdtemp(join(tmpdir(), "clausewatch-bench-history-"));
    const schema = `bench_history_${Date.now().toString(36)}`;
    try {
      const fs = await openFsStore(dir, { fsync: false });
      const pgStore = await openPostgresStore({ url, schema, poolSize: 16 });
      let started = performance.now();
      await fillHistory(fs, historySources, 10);
      console.log(`  filled the fs store in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      started = performance.now();
      await fillHistory(pgStore, historySources, 10);
      console.log(`  filled the postgres store in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      await fs.close();
      const fsReader = await openFsStore(dir, { lock: false });
      const fsPages = await timePages(fsReader, historySources);
      const pgPages = await timePages(pgStore, historySources);
      await fsReader.close();
      await pgStore.close();
      for (const name of Object.keys(fsPages)) {
        console.log(
          `  ${name.padEnd(18)} fs ${(fsPages[name] ?? 0).toFixed(0).padStart(6)} ms   postgres ${(pgPages[name] ?? 0).toFixed(0).padStart(6)} ms`,
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
      await withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).catch(
        () => undefined,
      );
    }
  } finally {
    await cluster?.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runPostgresBench();
}
