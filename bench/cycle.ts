/**
 * Worker-cycle benchmark: one `runCycle` over 100 and 1,000 loopback sources, through the real
 * collector, extractor, clause parser, diff and filesystem store (fsync on, as operators run it).
 *
 * Scenarios, each after a baseline cycle that stores everything:
 *   baseline   first sight: every page fetched, extracted, stored
 *   304        unchanged, the server answers If-None-Match with 304
 *   same-body  unchanged, no validators: the body hash ends the work
 *   changed    every page rewrote one clause: fetch, extract, diff, store, change record
 *
 * Every (size, concurrency) pair runs in a fresh child process, because `maxRSS` is a
 * process-lifetime peak. The pages are served by a grandchild process so that neither the server's
 * CPU nor its page cache counts against the worker. Prints figures; asserts nothing.
 *
 * Run directly: `node dist/bench/cycle.js [--sizes=100,1000] [--concurrency=8,16,32] [--no-fsync]`.
 * `CLAUSEWATCH_BENCH_PROF=<dir>` writes one V8 CPU profile per scenario and configuration there
 * (`cycle-<sources>-c<concurrency>-<scenario>.cpuprofile`, for Chrome DevTools or speedscope).
 */
import { type ChildProcess, fork } from "node:child_process";
import { createHash } from "node:crypto";
import { promises as fsp } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Session } from "node:inspector/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createHostLimiter } from "../src/collect/index.js";
import { parseConfig } from "../src/config/index.js";
import { createLogger } from "../src/log.js";
import { openFsStore } from "../src/store/index.js";
import { runCycle } from "../src/worker/cycle.js";
import { createParsePool } from "../src/worker/parse-pool.js";
import type { SourceStatus } from "../src/worker/types.js";

const DEFAULT_SIZES = [100, 1_000];
const DEFAULT_CONCURRENCIES = [8, 16, 32];
const CLAUSES_PER_PAGE = 28;
const RESULT_MARKER = "CYCLE_BENCH_RESULT ";
const SELF = fileURLToPath(import.meta.url);

type Scenario = "baseline" | "304" | "same-body" | "changed";
const SCENARIOS: Scenario[] = ["baseline", "304", "same-body", "changed"];
/** What every source should end as in each scenario; anything else is printed as a warning. */
const EXPECTED: Record<Scenario, SourceStatus> = {
  baseline: "first-seen",
  "304": "not-modified",
  "same-body": "unchanged",
  changed: "changed",
};

/** How the page server behaves: `etag` sends ETags and honours If-None-Match; `plain` sends no validators. */
interface ServeMode {
  mode: "etag" | "plain";
  /** Page text version: 0 is the baseline, each later version rewrites one more clause per page. */
  version: number;
}

export interface ScenarioFigures {
  scenario: Scenario;
  runs: number;
  /** Median wall time of one cycle. */
  wallMs: number;
  /** Fastest cycle. */
  minWallMs: number;
  /** CPU time (user + system) of the worker process per cycle, median, ms. */
  cpuMs: number;
  /** Event-loop utilisation during the cycles (1 = the main thread never waited). */
  loopUse: number;
  /** Process-lifetime peak RSS after this scenario's cycles, MB. */
  maxRssMb: number;
  /** V8 heap in use right after this scenario's last cycle (no forced GC), MB: retained vs peak. */
  heapMb: number;
  /** Outcome statuses of the last cycle, counted. */
  statuses: Partial<Record<SourceStatus, number>>;
  /** Server responses during the last cycle. */
  served: { ok: number; notModified: number };
}

export interface CycleBenchChildResult {
  sources: number;
  concurrency: number;
  fsync: boolean;
  pageKb: number;
  /** Peak RSS before the first cycle (modules loaded, config parsed, store open), MB. */
  startRssMb: number;
  scenarios: ScenarioFigures[];
  store: StoreSize;
}

// ---------------------------------------------------------------------------------------------
// Pages

/** Small deterministic PRNG (mulberry32) so a page's wording depends only on its number. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const PARTIES = [
  "The river basin authority",
  "Each riparian province",
  "The joint monitoring commission",
  "The upstream operator",
  "The downstream councils",
  "The national water regulator",
  "Each party",
  "The independent auditor",
  "The emergency coordination office",
  "The provincial assemblies",
];
const MODALS = ["shall", "will", "may", "must", "undertakes to", "is entitled to"];
const ACTIONS = [
  "publish the seasonal allocation tables",
  "release a minimum environmental flow",
  "maintain gauging stations along the main channel",
  "notify the other parties of any planned diversion",
  "submit disputes to binding arbitration",
  "fund the rehabilitation of irrigation canals",
  "share real-time reservoir data",
  "suspend abstraction licences during declared droughts",
  "compensate farmers for flooded land",
  "consult fishing communities before dredging",
  "restrict new dam construction on tributaries",
  "report groundwater extraction above the agreed ceiling",
];
const QUALIFIERS = [
  (x: number) => `within ${x} days of the end of each season`,
  (x: number) => `of at least ${x} cubic metres per second`,
  (x: number) => `for a period of no less than ${x} months`,
  (x: number) => `covering ${x * 10} hectares or more`,
  (x: number) => `with a budget of ${x},000,000 euros per year`,
  (x: number) => `at no fewer than ${x} locations`,
  (x: number) => `unless ${x} per cent of the members object in writing`,
];
const REASONS = [
  "so that shortages are shared fairly across the basin",
  "in order to protect spawning grounds and wetlands",
  "because earlier arrangements left the delta without water in dry years",
  "to give downstream users time to adjust their planting",
  "as recommended by the technical working group",
  "without prejudice to existing customary rights",
];
const ALTERED_ACTIONS = [
  "defer the publication of allocation tables",
  "waive the minimum environmental flow",
  "close gauging stations that are no longer needed",
  "proceed with diversions without prior notice",
];

/** One clause's text; `revision` > 0 rewrites the clause that revision targets. */
function clauseText(n: number, index: number, revision: number): string {
  const random = prng(n * 7919 + index * 104729);
  const party = pick(random, PARTIES);
  let modal = pick(random, MODALS);
  let action = pick(random, ACTIONS);
  const qualifier = pick(random, QUALIFIERS);
  let figure = 5 + Math.floor(random() * 60) + (n % 17);
  const reason = pick(random, REASONS);
  // Each revision touches one more clause of the page, chosen by page number so pages differ.
  for (let r = 1; r <= revision; r++) {
    if ((n + r * 11) % CLAUSES_PER_PAGE !== index) continue;
    modal = modal === "may" ? "shall" : "may";
    action = pick(prng(n + r), ALTERED_ACTIONS);
    figure = figure * 2 + r;
  }
  return `${party} ${modal} ${action} ${qualifier(figure)}, ${reason}.`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A news-site page carrying the full text: navigation, a numbered "Most read" sidebar, ads, scripts, footer. */
export function renderPage(n: number, version: number): string {
  const clauses = Array.from({ length: CLAUSES_PER_PAGE }, (_, index) => clauseText(n, index, version));
  // Half the pages print numbers in paragraphs, half use an ordered list: both extraction paths.
  const body =
    n % 2 === 0
      ? `<ol class="points">\n${clauses.map((text) => `  <li>${escapeHtml(text)}</li>`).join("\n")}\n</ol>`
      : clauses.map((text, index) => `<p>${index + 1}. ${escapeHtml(text)}</p>`).join("\n");
  const mostRead = Array.from(
    { length: 5 },
    (_, index) =>
      `<li><a href="/news/${n + index}">Story ${n + index}: council approves budget after long night</a></li>`,
  ).join("\n");
  const sections = [
    "News",
    "Region",
    "Business",
    "Sport",
    "Opinion",
    "Culture",
    "Weather",
    "Farming",
    "Energy",
    "Transport",
  ];
  const megaNav = sections
    .map(
      (section) =>
        `<li><a href="/${section.toLowerCase()}">${section}</a><ul>${Array.from(
          { length: 6 },
          (_, index) =>
            `<li><a href="/${section.toLowerCase()}/topic-${index}">${section} topic ${index + 1}</a></li>`,
        ).join("")}</ul></li>`,
    )
    .join("\n");
  const related = Array.from(
    { length: 12 },
    (_, index) =>
      `<li class="teaser"><a href="/region/story-${n * 13 + index}"><img src="/img/${n * 13 + index}.jpg" alt="" width="160" height="90"><h4>Related story ${index + 1}: reservoir levels and what they mean for the harvest</h4><p>Engineers and growers explain how this season's figures compare with the long-term average, and what the councils plan next.</p></a></li>`,
  ).join("\n");
  // Sites inline large configuration and tracking scripts; the extractor has to skip them.
  const inlineScript = `window.__SITE_CONFIG__ = ${JSON.stringify({
    page: { id: n, section: "region", tags: ["water", "agreement", "basin", "draft"] },
    ads: Array.from({ length: 40 }, (_, index) => ({
      slot: `slot-${index}`,
      sizes: [
        [300, 250],
        [728, 90],
        [970, 250],
      ],
      targeting: { pos: index, kw: ["water", "region", "farming"] },
    })),
  })};`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Full text of the basin water-sharing agreement, draft ${n} - Valley Courier</title>
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; window.dataLayer.push({ page: "agreement-${n}", section: "region" });</script>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Full text of the basin water-sharing agreement, draft ${n}","publisher":{"@type":"Organization","name":"Valley Courier"}}</script>
<script>${inlineScript}</script>
<style>.wrap { max-width: 1100px; margin: 0 auto; } .aside { float: right; width: 280px; }</style>
</head>
<body>
<header class="masthead"><a href="/" class="brand">Valley Courier</a>
<nav><ul class="mega">
${megaNav}
</ul></nav>
</header>
<div class="wrap">
<aside class="aside"><h3>Most read</h3><ol>
${mostRead}
</ol></aside>
<main>
<article>
<h1>Full text of the basin water-sharing agreement (draft ${n})</h1>
<p class="byline">By the regional desk, updated ${10 + (n % 12)}:${String(n % 60).padStart(2, "0")}</p>
<p>The ${CLAUSES_PER_PAGE} points below were circulated to the provincial assemblies this week. We publish them in full; only the formatting has been changed.</p>
<div class="advert"><span>Advertisement</span>Compare energy tariffs in your area today.</div>
${body}
<p>Negotiators are expected to return to the text at the next plenary session, where amendments from the downstream councils will be tabled.</p>
</article>
<section class="related"><h3>More on this story</h3><ul>
${related}
</ul></section>
</main>
</div>
<footer><p>&copy; Valley Courier. All rights reserved.</p><p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a> <a href="/contact">Contact</a></p></footer>
<script src="/static/analytics.js" async></script>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// Page server (grandchild process)

async function servePages(): Promise<void> {
  let current: ServeMode = { mode: "etag", version: 0 };
  let served = { ok: 0, notModified: 0 };
  const cache = new Map<string, { body: Buffer; etag: string }>();
  function page(n: number, version: number): { body: Buffer; etag: string } {
    const key = `${version}:${n}`;
    let entry = cache.get(key);
    if (entry === undefined) {
      const body = Buffer.from(renderPage(n, version), "utf8");
      const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
      entry = { body, etag };
      cache.set(key, entry);
    }
    return entry;
  }
  const server = createServer({ keepAliveTimeout: 60_000 }, (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/s\/(\d+)$/.exec(req.url ?? "");
    if (match === null) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const { body, etag } = page(Number(match[1]), current.version);
    if (current.mode === "etag" && req.headers["if-none-match"] === etag) {
      served.notModified++;
      res.writeHead(304, { etag }).end();
      return;
    }
    served.ok++;
    const headers: Record<string, string | number> = {
      "content-type": "text/html; charset=utf-8",
      "content-length": body.byteLength,
    };
    if (current.mode === "etag") headers.etag = etag;
    res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  process.on("message", (message: { type: string; serve?: ServeMode }) => {
    if (message.type === "mode" && message.serve) {
      current = message.serve;
      process.send?.({ type: "mode-set" });
    } else if (message.type === "take-counts") {
      process.send?.({ type: "counts", served });
      served = { ok: 0, notModified: 0 };
    } else if (message.type === "stop") {
      server.close();
      server.closeAllConnections();
      process.exit(0);
    }
  });
  // Never outlive the worker that started us, even when it crashes before saying "stop".
  process.on("disconnect", () => process.exit(0));
  process.send?.({ type: "ready", port });
}

interface PageServer {
  port: number;
  setMode(serve: ServeMode): Promise<void>;
  takeCounts(): Promise<{ ok: number; notModified: number }>;
  stop(): Promise<void>;
}

function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string } & T) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`page server exited (${code}) before "${type}"`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

async function startPageServer(): Promise<PageServer> {
  const child = fork(SELF, ["--serve"], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: [] });
  const { port } = await nextMessage<{ port: number }>(child, "ready");
  return {
    port,
    async setMode(serve) {
      const ack = nextMessage(child, "mode-set");
      child.send({ type: "mode", serve });
      await ack;
    },
    async takeCounts() {
      const counts = nextMessage<{ served: { ok: number; notModified: number } }>(child, "counts");
      child.send({ type: "take-counts" });
      return (await counts).served;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "stop" });
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One measured configuration (worker child process)

function configYaml(storeDir: string, port: number, sources: number): string {
  const lines = [
    `storage: { dir: ${JSON.stringify(storeDir)} }`,
    "jitterSeconds: 0",
    "http:",
    "  perHost: 50",
    "  politenessMs: 0",
    "  timeoutMs: 30000",
    "  retries: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 }",
    "log: { level: silent }",
    "notify: []",
    "plans:",
    "  - { id: basin-agreement, title: Basin water-sharing agreement }",
    "sources:",
  ];
  for (let n = 1; n <= sources; n++) {
    lines.push(`  - { id: src-${n}, plan: basin-agreement, url: "http://127.0.0.1:${port}/s/${n}" }`);
  }
  return `${lines.join("\n")}\n`;
}

/** Profiles one scenario's cycles when CLAUSEWATCH_BENCH_PROF names a directory; otherwise does nothing. */
async function startProfile(): Promise<((name: string) => Promise<void>) | undefined> {
  const dir = process.env.CLAUSEWATCH_BENCH_PROF;
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async (name) => {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    await fsp.mkdir(dir, { recursive: true });
    await fsp.writeFile(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  };
}

function rssMb(): number {
  // maxRSS is in kilobytes.
  return process.resourceUsage().maxRSS / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export interface StoreSize {
  files: number;
  /** Sum of file sizes. */
  apparentMb: number;
  /** Allocated blocks: what small files really cost on the filesystem. */
  diskMb: number;
  /** Apparent MB per top-level entry (bodies, clausesets, snapshots, sources, changes.jsonl…). */
  byArea: Record<string, number>;
}

async function storeSize(dir: string): Promise<StoreSize> {
  let files = 0;
  let apparent = 0;
  let disk = 0;
  const byArea: Record<string, number> = {};
  for (const entry of await fsp.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const stat = await fsp.stat(file);
    const area = path.relative(dir, file).split(path.sep)[0] ?? "";
    files++;
    apparent += stat.size;
    disk += stat.blocks * 512;
    byArea[area] = (byArea[area] ?? 0) + stat.size / 2 ** 20;
  }
  return { files, apparentMb: apparent / 2 ** 20, diskMb: disk / 2 ** 20, byArea };
}

/** Cycles per scenario: cheap ones are repeated more, so the median means something on a busy machine. */
function runsFor(scenario: Scenario, sources: number): number {
  if (scenario === "baseline") return 1;
  if (scenario === "changed") return sources <= 100 ? 3 : 1;
  return sources <= 100 ? 5 : 3;
}

async function measureOne(
  sources: number,
  concurrency: number,
  fsync: boolean,
): Promise<CycleBenchChildResult> {
  const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "clausewatch-cycle-bench-"));
  const server = await startPageServer();
  try {
    const storeDir = path.join(tmp, "snapshots");
    const config = parseConfig(configYaml(storeDir, server.port, sources), {
      file: path.join(tmp, "clausewatch.yaml"),
    });
    const store = await openFsStore(config.storageDir, { fsync });
    // CLAUSEWATCH_BENCH_THREADS=N parses in N worker threads, as the CLI does; unset: main thread.
    const threads = Number(process.env.CLAUSEWATCH_BENCH_THREADS ?? 0);
    const reader = threads > 0 ? createParsePool({ threads }) : undefined;
    const ctx = {
      config,
      store,
      logger: createLogger({ level: "silent" }),
      limiter: createHostLimiter({ perHost: config.http.perHost, delayMs: config.http.politenessMs }),
      ...(reader ? { reader } : {}),
    };
    const startRssMb = rssMb();
    const scenarios: ScenarioFigures[] = [];
    let version = 0;
    try {
      for (const scenario of SCENARIOS) {
        const runs = runsFor(scenario, sources);
        const walls: number[] = [];
        const cpus: number[] = [];
        const stopProfile = await startProfile();
        const loopBefore = performance.eventLoopUtilization();
        let statuses: Partial<Record<SourceStatus, number>> = {};
        let served = { ok: 0, notModified: 0 };
        for (let run = 0; run < runs; run++) {
          if (scenario === "changed") version++;
          await server.setMode({ mode: scenario === "same-body" ? "plain" : "etag", version });
          const cpuBefore = process.cpuUsage();
          const started = performance.now();
          const report = await runCycle(ctx, { concurrency });
          walls.push(performance.now() - started);
          const cpu = process.cpuUsage(cpuBefore);
          cpus.push((cpu.user + cpu.system) / 1000);
          statuses = {};
          for (const outcome of report.outcomes)
            statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
          served = await server.takeCounts();
        }
        const loopUse = performance.eventLoopUtilization(loopBefore).utilization;
        await stopProfile?.(`cycle-${sources}-c${concurrency}-${scenario}`);
        scenarios.push({
          scenario,
          runs,
          wallMs: median(walls),
          minWallMs: Math.min(...walls),
          cpuMs: median(cpus),
          // Includes the short IPC waits between runs; negligible next to a cycle.
          loopUse,
          maxRssMb: rssMb(),
          heapMb: process.memoryUsage().heapUsed / 2 ** 20,
          statuses,
          served,
        });
      }
    } finally {
      await reader?.close();
      await store.close();
    }
    const pageKb = Buffer.byteLength(renderPage(1, 0)) / 1024;
    return { sources, concurrency, fsync, pageKb, startRssMb, scenarios, store: await storeSize(storeDir) };
  } finally {
    await server.stop();
    await fsp.rm(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Orchestration (parent process)

function runChild(sources: number, concurrency: number, fsync: boolean): Promise<CycleBenchChildResult> {
  const args = ["--child", String(sources), String(concurrency), fsync ? "fsync" : "no-fsync"];
  // The child inherits this process's Node flags, so `node --max-semi-space-size=64 cycle.js` tries a GC setting.
  const child = fork(SELF, args, { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  let out = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      const line = out.split("\n").find((candidate) => candidate.startsWith(RESULT_MARKER));
      if (code !== 0 || line === undefined) {
        reject(
          new Error(`cycle bench child (${sources} sources, concurrency ${concurrency}) exited ${code}`),
        );
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as CycleBenchChildResult);
    });
  });
}

function numberList(flag: string, fallback: number[]): number[] {
  const arg = process.argv.find((value) => value.startsWith(`${flag}=`));
  if (arg === undefined) return fallback;
  return arg
    .slice(flag.length + 1)
    .split(",")
    .map(Number)
    .filter((value) => Number.isInteger(value) && value > 0);
}

const fixed = (value: number, digits: number): string => value.toFixed(digits);

function statusNote(figures: ScenarioFigures, sources: number): string {
  const expected = EXPECTED[figures.scenario];
  const requests = figures.served.ok + figures.served.notModified;
  if (figures.statuses[expected] === sources && requests === sources) return "";
  return `  !! statuses ${JSON.stringify(figures.statuses)} after ${requests} requests, expected ${sources} ${expected}`;
}

function printResult(result: CycleBenchChildResult): void {
  for (const figures of result.scenarios) {
    const seconds = figures.wallMs / 1000;
    console.log(
      [
        String(result.sources).padStart(5),
        String(result.concurrency).padStart(4),
        figures.scenario.padEnd(10),
        String(figures.runs).padStart(4),
        fixed(figures.wallMs, 0).padStart(8),
        fixed(figures.minWallMs, 0).padStart(8),
        fixed(figures.wallMs / result.sources, 2).padStart(8),
        fixed(result.sources / seconds, 0).padStart(8),
        fixed(figures.cpuMs / result.sources, 2).padStart(7),
        fixed(figures.loopUse * 100, 0).padStart(5),
        fixed(figures.maxRssMb, 0).padStart(7),
        fixed(figures.heapMb, 0).padStart(5),
      ].join(" ") + statusNote(figures, result.sources),
    );
  }
}

export async function runCycleBench(): Promise<void> {
  const sizes = numberList("--sizes", DEFAULT_SIZES);
  const concurrencies = numberList("--concurrency", DEFAULT_CONCURRENCIES);
  const fsync = !process.argv.includes("--no-fsync");
  console.log(
    `cycle bench: ${CLAUSES_PER_PAGE}-clause pages from a loopback server (separate process), fs store with fsync ${fsync ? "on" : "off"}, ` +
      `${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((load) => load.toFixed(1))
        .join(" ")}, Node ${process.version}`,
  );
  console.log(
    "each (sources, concurrency) runs in a fresh process; RSS = process-lifetime peak so far (maxRSS); " +
      "heap = V8 heap in use after the scenario; wall = median of runs",
  );
  console.log(
    "cpu/src = worker process CPU (user+sys, all threads) per source; loop% = event-loop utilisation " +
      "(near 100 = the main thread is the bottleneck)",
  );
  console.log("sources conc scenario   runs  wall ms   min ms ms/src   src/s cpu/src loop%  RSS MB heap");
  const results: CycleBenchChildResult[] = [];
  for (const sources of sizes) {
    for (const concurrency of concurrencies) {
      const result = await runChild(sources, concurrency, fsync);
      results.push(result);
      printResult(result);
    }
  }
  console.log("");
  for (const sources of sizes) {
    const forSize = results.filter((result) => result.sources === sources);
    const first = forSize[0];
    if (first === undefined) continue;
    if (forSize.length > 1) {
      // Wall times on a shared machine swing; the spread is printed so one lucky run is not read as a trend.
      for (const scenario of SCENARIOS) {
        const walls = forSize.map((result) => ({
          concurrency: result.concurrency,
          ms:
            result.scenarios.find((figures) => figures.scenario === scenario)?.wallMs ??
            Number.POSITIVE_INFINITY,
        }));
        const best = [...walls].sort((a, b) => a.ms - b.ms)[0];
        const line = walls.map((wall) => `c${wall.concurrency} ${fixed(wall.ms / 1000, 2)} s`).join(" | ");
        console.log(`${sources} sources, ${scenario.padEnd(9)}: ${line} → fastest c${best?.concurrency}`);
      }
    }
    console.log(
      `${sources} sources: page ${fixed(first.pageKb, 1)} KB; RSS before the first cycle ${fixed(first.startRssMb, 0)} MB; ` +
        `store holding ${1 + runsFor("changed", sources)} versions of each page: ${first.store.files} files, ` +
        `${fixed(first.store.apparentMb, 1)} MB apparent, ${fixed(first.store.diskMb, 1)} MB on disk`,
    );
    const areas = Object.entries(first.store.byArea)
      .filter(([, mb]) => mb >= 0.05)
      .sort((a, b) => b[1] - a[1])
      .map(([area, mb]) => `${area} ${fixed(mb, 1)}`);
    console.log(`${sources} sources: store MB by area: ${areas.join(", ")}`);
  }
}

async function main(): Promise<void> {
  const [mode, size, concurrency, fsync] = process.argv.slice(2);
  if (mode === "--serve") return servePages();
  if (mode === "--child") {
    const result = await measureOne(Number(size), Number(concurrency), fsync !== "no-fsync");
    console.log(`${RESULT_MARKER}${JSON.stringify(result)}`);
    return;
  }
  await runCycleBench();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
