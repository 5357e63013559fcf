/**
 * The worker cycle side by side with urlwatch, as users run both: one `clausewatch check --once`
 * process and one `urlwatch` process per cycle, over the same 100 and 1,000 loopback news pages
 * (30–60 KB, one plan per page, politeness off since urlwatch has none, fsync on as operators run
 * it). Wall, CPU and peak RSS come from GNU time; store bytes are counted after first sight and
 * after the changed cycles. urlwatch and GNU time are installed from Debian packages when missing.
 *
 * Scenarios, in this order (urlwatch keeps validators from the last 200 it saw, so 304 comes
 * before the cycles without them):
 *   first      fresh store: every page fetched, read, stored
 *   304        unchanged, the server answers If-None-Match with 304
 *   unchanged  same body, no validators: the body hash ends the work
 *   changed    no validators, one page in ten rewrote a clause: diff, store, change record
 *
 * Then the history-growth figures: 100 cycles over the same 100 sources with one page in ten
 * changing each cycle and a webhook receiving the alerts; the 100th cycle against the 2nd.
 *
 * Run directly: `node dist/bench/cycle.js [--sizes=100,1000] [--runs=3] [--history=100]`.
 * Prints figures; asserts nothing.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, promises as fsp } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CLAUSES_PER_PAGE, type PageServer, renderPage, type ServeMode, startPageServer } from "./pages.js";

const CLI = fileURLToPath(new URL("../src/cli.js", import.meta.url));
const TIME = "/usr/bin/time";
const CHANGED_EVERY = 10;

type Scenario = "first" | "304" | "unchanged" | "changed";
type Tool = "clausewatch" | "urlwatch";

interface Run {
  wallS: number;
  cpuS: number;
  rssMb: number;
  stdout: string;
  code: number;
}

interface ScenarioResult {
  scenario: Scenario;
  wallS: number;
  cpuS: number;
  rssMb: number;
  /** What the tool's own output says it did, counted, e.g. `first-seen 1000` or `NEW 1000`. */
  outcome: string;
}

interface ToolResult {
  tool: Tool;
  sources: number;
  scenarios: ScenarioResult[];
  /** Store bytes per source-version after first sight, and after the changed cycles. */
  firstBytes: StoreBytes;
  finalBytes: StoreBytes;
  versions: number;
}

interface StoreBytes {
  apparent: number;
  disk: number;
  files: number;
}

function option(name: string, fallback: string): string {
  const arg = process.argv.find((value) => value.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** urlwatch and GNU time, from Debian packages when missing and we may install; false if still missing. */
function ensurePeerTools(): { urlwatch: boolean; time: boolean } {
  const have = (file: string) => existsSync(file);
  if ((!have("/usr/bin/urlwatch") || !have(TIME)) && process.getuid?.() === 0) {
    try {
      execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
      execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "urlwatch", "time"], {
        stdio: "ignore",
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    } catch (error) {
      console.log(`could not install urlwatch/time from Debian packages: ${(error as Error).message}`);
    }
  }
  return { urlwatch: have("/usr/bin/urlwatch"), time: have(TIME) };
}

/** Runs one command under GNU time: wall, user+system CPU and peak RSS of the process tree's largest member. */
async function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const timeFile = path.join(os.tmpdir(), `clausewatch-bench-time-${process.pid}`);
  const child = spawn(TIME, ["-f", "%e %U %S %M", "-o", timeFile, command, ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number>((resolve) => child.once("exit", (status) => resolve(status ?? -1)));
  const figures = (await fsp.readFile(timeFile, "utf8")).trim().split("\n").pop() ?? "";
  await fsp.rm(timeFile, { force: true });
  const [wall, user, system, rssKb] = figures.split(" ").map(Number);
  if (code > 1) console.log(`  !! ${path.basename(command)} exited ${code}: ${stderr.trim().slice(0, 400)}`);
  return {
    wallS: wall ?? Number.NaN,
    cpuS: (user ?? 0) + (system ?? 0),
    rssMb: (rssKb ?? 0) / 1024,
    stdout,
    code,
  };
}

async function storeBytes(target: string): Promise<StoreBytes> {
  const total: StoreBytes = { apparent: 0, disk: 0, files: 0 };
  const stat = await fsp.stat(target);
  const entries = stat.isDirectory()
    ? (await fsp.readdir(target, { withFileTypes: true, recursive: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => path.join(entry.parentPath, entry.name))
    : [target];
  for (const file of entries) {
    const info = await fsp.stat(file);
    total.files++;
    total.apparent += info.size;
    total.disk += info.blocks * 512;
  }
  return total;
}

/** One tool set up against the page server: how to run a cycle and where its store is. */
interface Subject {
  tool: Tool;
  cycle(): Promise<Run>;
  /** Counts its output into an outcome summary. */
  outcome(stdout: string): string;
  store: string;
}

function countWords(words: string[]): string {
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([word, count]) => `${word} ${count}`)
    .join(", ");
}

async function clausewatchSubject(
  dir: string,
  port: number,
  sources: number,
  extra: string[] = [],
): Promise<Subject> {
  const lines = [
    `storage: { dir: ${JSON.stringify(path.join(dir, "snapshots"))} }`,
    "jitterSeconds: 0",
    "http:",
    "  perHost: 64",
    "  politenessMs: 0",
    "  retries: { attempts: 1 }",
    "log: { level: warn }",
    ...extra,
    "plans:",
  ];
  for (let n = 1; n <= sources; n++) lines.push(`  - { id: plan-${n}, title: Agreement ${n} }`);
  lines.push("sources:");
  for (let n = 1; n <= sources; n++)
    lines.push(`  - { id: page-${n}, plan: plan-${n}, url: "http://127.0.0.1:${port}/s/${n}" }`);
  const config = path.join(dir, "clausewatch.yaml");
  await fsp.writeFile(config, `${lines.join("\n")}\n`);
  return {
    tool: "clausewatch",
    store: path.join(dir, "snapshots"),
    cycle: () => timed(process.execPath, [CLI, "check", "--once", "--config", config], process.env),
    // Each line of `check` starts with the source id and its status.
    outcome: (stdout) =>
      countWords(
        stdout
          .split("\n")
          .map((line) => /^page-\d+\s+(\S+)/.exec(line)?.[1])
          .filter((status): status is string => status !== undefined),
      ),
  };
}

async function urlwatchSubject(dir: string, port: number, sources: number): Promise<Subject> {
  const jobs = Array.from(
    { length: sources },
    (_, index) => `name: page-${index + 1}\nurl: "http://127.0.0.1:${port}/s/${index + 1}"\n`,
  ).join("---\n");
  const urls = path.join(dir, "urls.yaml");
  const config = path.join(dir, "urlwatch.yaml");
  const cache = path.join(dir, "cache.db");
  await fsp.writeFile(urls, jobs);
  await fsp.writeFile(
    config,
    "display: { new: true, error: true, unchanged: false }\nreport:\n  text: { details: true, footer: false }\n  stdout: { enabled: true, color: false }\n",
  );
  // Its own HOME, so no hooks or settings of this machine's user take part.
  const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_CACHE_HOME: dir };
  return {
    tool: "urlwatch",
    store: cache,
    cycle: () => timed("/usr/bin/urlwatch", ["--urls", urls, "--config", config, "--cache", cache], env),
    outcome: (stdout) =>
      countWords(
        stdout
          .split("\n")
          .map((line) => /^\d+\. (NEW|CHANGED|ERROR)\b/.exec(line)?.[1])
          .filter((status): status is string => status !== undefined),
      ) || "nothing reported",
  };
}

/** The scenarios in order, on a fresh store; returns figures and store sizes. */
async function measureTool(subject: Subject, server: PageServer, sources: number, runs: number) {
  const scenarios: ScenarioResult[] = [];
  let version = 0;
  let changedVersions = 0;
  let firstBytes: StoreBytes | undefined;
  const plan: Array<[Scenario, number, () => ServeMode]> = [
    ["first", 1, () => ({ mode: "etag", version: 0 })],
    ["304", runs, () => ({ mode: "etag", version: 0 })],
    ["unchanged", runs, () => ({ mode: "plain", version: 0 })],
    ["changed", runs, () => ({ mode: "plain", version: ++version, every: CHANGED_EVERY })],
  ];
  for (const [scenario, count, mode] of plan) {
    const results: Run[] = [];
    for (let run = 0; run < count; run++) {
      await server.setMode(mode());
      results.push(await subject.cycle());
      await server.takeCounts();
      if (scenario === "changed") changedVersions += Math.ceil(sources / CHANGED_EVERY);
    }
    if (scenario === "first") firstBytes = await storeBytes(subject.store);
    scenarios.push({
      scenario,
      wallS: median(results.map((run) => run.wallS)),
      cpuS: median(results.map((run) => run.cpuS)),
      rssMb: Math.max(...results.map((run) => run.rssMb)),
      outcome: subject.outcome(results[results.length - 1]?.stdout ?? ""),
    });
  }
  return {
    tool: subject.tool,
    sources,
    scenarios,
    firstBytes: firstBytes as StoreBytes,
    finalBytes: await storeBytes(subject.store),
    versions: sources + changedVersions,
  } satisfies ToolResult;
}

const fixed = (value: number, digits: number): string =>
  Number.isFinite(value) ? value.toFixed(digits) : "–";

function printTable(results: ToolResult[]): void {
  const ours = results.find((result) => result.tool === "clausewatch");
  const peer = results.find((result) => result.tool === "urlwatch");
  if (!ours) return;
  const sources = ours.sources;
  console.log(
    `\n${sources} sources        clausewatch: wall   cpu    RSS │ urlwatch: wall   cpu    RSS │ wall ratio  (what each printed)`,
  );
  for (const mine of ours.scenarios) {
    const theirs = peer?.scenarios.find((figures) => figures.scenario === mine.scenario);
    console.log(
      [
        `  ${mine.scenario.padEnd(10)}`,
        `${fixed(mine.wallS, 2).padStart(16)} s ${fixed(mine.cpuS, 2).padStart(5)} ${fixed(mine.rssMb, 0).padStart(4)} MB`,
        `│${(theirs ? `${fixed(theirs.wallS, 2)} s ${fixed(theirs.cpuS, 2).padStart(5)} ${fixed(theirs.rssMb, 0).padStart(4)} MB` : "–").padStart(27)}`,
        `│ ${theirs ? `${fixed(mine.wallS / theirs.wallS, 2)}×`.padStart(9) : "–".padStart(9)}`,
        `  (${mine.outcome}${theirs ? ` | ${theirs.outcome}` : ""})`,
      ].join(" "),
    );
  }
  for (const result of results) {
    const perFirst = result.firstBytes.apparent / result.sources;
    const perFinal = result.finalBytes.apparent / result.versions;
    console.log(
      `  ${result.tool.padEnd(11)} store per source-version: ${fixed(perFirst / 1024, 1)} KB after first sight ` +
        `(${fixed(result.firstBytes.disk / result.sources / 1024, 1)} KB on disk, ${fixed(result.firstBytes.files / result.sources, 1)} files per source), ` +
        `${fixed(perFinal / 1024, 1)} KB after ${result.versions} source-versions (${fixed(result.finalBytes.disk / result.versions / 1024, 1)} KB on disk)`,
    );
  }
}

/** 100 cycles over the same sources, one page in ten changing each time, alerts delivered to a webhook. */
async function historyGrowth(server: PageServer, cycles: number, sources: number): Promise<void> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "clausewatch-history-bench-"));
  try {
    const subject = await clausewatchSubject(dir, server.port, sources, [
      "notify:",
      `  - { type: webhook, id: desk-hook, url: "http://127.0.0.1:${server.port}/hook", minSeverity: minor }`,
    ]);
    const figures: Array<{ cycle: number; wallS: number; cpuS: number }> = [];
    let hooks = 0;
    for (let cycle = 1; cycle <= cycles; cycle++) {
      await server.setMode({ mode: "plain", version: cycle - 1, every: CHANGED_EVERY });
      const run = await subject.cycle();
      hooks += (await server.takeCounts()).hooks;
      figures.push({ cycle, wallS: run.wallS, cpuS: run.cpuS });
    }
    const at = (cycle: number) => figures.find((entry) => entry.cycle === cycle);
    const second = at(2);
    const last = at(cycles);
    const store = await storeBytes(subject.store);
    console.log(
      `\nhistory growth: ${cycles} cycles over ${sources} sources, ${sources / CHANGED_EVERY} pages changing per cycle, ${hooks} webhook deliveries; store ${fixed(store.apparent / 2 ** 20, 1)} MB in ${store.files} files`,
    );
    const marks = [2, 10, 25, 50, 75, cycles].filter(
      (cycle, index, all) => cycle <= cycles && all.indexOf(cycle) === index,
    );
    for (const cycle of marks) {
      const entry = at(cycle);
      if (entry)
        console.log(
          `  cycle ${String(cycle).padStart(3)}: wall ${fixed(entry.wallS, 2)} s, cpu ${fixed(entry.cpuS, 2)} s`,
        );
    }
    // Single cycles swing on a shared machine: the last five against cycles 2-6 as well.
    const window = (from: number) => median(figures.slice(from, from + 5).map((entry) => entry.wallS));
    if (second && last)
      console.log(
        `  cycle ${cycles} / cycle 2: wall ${fixed(last.wallS / second.wallS, 2)}×, cpu ${fixed(last.cpuS / second.cpuS, 2)}×` +
          (cycles >= 12
            ? `; median of the last five / cycles 2-6: ${fixed(window(cycles - 5) / window(1), 2)}×`
            : ""),
      );
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

export async function runCycleBench(): Promise<void> {
  const sizes = option("sizes", "100,1000")
    .split(",")
    .map(Number)
    .filter((size) => size > 0);
  const runs = Number(option("runs", "3"));
  const historyCycles = Number(option("history", "100"));
  const tools = ensurePeerTools();
  if (!tools.time) {
    console.log("GNU time (/usr/bin/time) is missing and could not be installed: no cycle figures");
    return;
  }
  const pageKb = Array.from({ length: 20 }, (_, n) => Buffer.byteLength(renderPage(n + 1, 0)) / 1024);
  console.log(
    `cycle bench: ${CLAUSES_PER_PAGE}-point news pages of ${fixed(Math.min(...pageKb), 0)}-${fixed(Math.max(...pageKb), 0)} KB from a loopback server ` +
      `(own process), one plan per page, politeness off; one process per cycle (clausewatch check --once | urlwatch ${
        tools.urlwatch
          ? execFileSync("/usr/bin/urlwatch", ["--version"], { encoding: "utf8" })
              .trim()
              .replace(/^urlwatch /, "")
          : "missing"
      }); ` +
      `${os.cpus().length} CPUs, load ${os
        .loadavg()
        .map((load) => load.toFixed(1))
        .join(
          " ",
        )}, Node ${process.version}; wall and CPU: median of ${runs} (first sight: 1 run); RSS: peak`,
  );
  const server = await startPageServer();
  try {
    for (const sources of sizes) {
      const results: ToolResult[] = [];
      const subjects: Array<(dir: string) => Promise<Subject>> = [
        (dir) => clausewatchSubject(dir, server.port, sources),
        ...(tools.urlwatch ? [(dir: string) => urlwatchSubject(dir, server.port, sources)] : []),
      ];
      for (const make of subjects) {
        const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "clausewatch-cycle-bench-"));
        try {
          results.push(await measureTool(await make(dir), server, sources, runs));
        } finally {
          await fsp.rm(dir, { recursive: true, force: true });
        }
      }
      printTable(results);
    }
    if (historyCycles >= 2) await historyGrowth(server, historyCycles, 100);
  } finally {
    await server.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCycleBench();
}
