/**
 * Lineage growth: what judging ONE new copy of a plan costs when the plan has 1 known version,
 * against the same copy when the plan has 50 versions and 100 witnesses — the way users run it,
 * `clausewatch check --once --source <id>` in a fresh process (nothing cached), against a
 * loopback page server, on a real fs store (fsync on).
 *
 * The stores are built through the real worker (`runCycle` with the CLI's own context, alerts
 * queued and delivered as `check` does): a wire source publishes the versions one cycle at a time,
 * and after each version two witness sources carry it, one typeset differently (the same text)
 * and one with a word reworded (a witness found by diffing). The 1-version store holds only the
 * version the copy is compared with, so both sides judge the same copy against the same parent.
 * Every side uses the same config (all 102 sources), so config parsing is not what differs.
 *
 * Two copies per document: a new version of the newest text (a figure changed), and a reworded
 * copy of a middle version (v25, a witness only a good candidate choice finds). Two documents: a
 * 28-point plan and a 304-clause document (200 points with their sub-items), where loading clause
 * sets matters. Each run gets its own copy of the store, made before the clock starts.
 *
 * "CLI" is the child's wall time; "in-process" is `runCycle` for the one source on a freshly
 * opened context (a fresh lineage, a fresh store handle, no clause set cached) with the clause
 * sets the lineage loads counted; "judge" is the time inside `lineage.observe`; "catch-up" is the
 * alert catch-up `check` runs at start over the store's changes (alert code, outside the
 * lineage, timed on the same fresh context before the cycle). Medians of
 * `CLAUSEWATCH_BENCH_LINEAGE_RUNS` (5) runs. Prints figures; asserts nothing.
 *
 * `CLAUSEWATCH_BENCH_PROF=<dir>` writes a V8 CPU profile of every CLI run there, in run order.
 */
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { stringify } from "yaml";
import { catchUpChanges, startAlerts } from "../src/alert/index.js";
import { openContext } from "../src/cli/context.js";
import { loadConfig } from "../src/config/index.js";
import { createLineage, readLineage } from "../src/lineage/index.js";
import { openFsStore } from "../src/store/index.js";
import { runCycle } from "../src/worker/cycle.js";
import { currentReading } from "../src/worker/reading.js";
import { generatePair, mulberry32 } from "./generate.js";

type Random = () => number;

const CLI = fileURLToPath(new URL("../src/cli.js", import.meta.url));
const PLAN = "bench-plan";
const VERSIONS = 50;
const WITNESSES = 100;
/** The copy that is not a new version rewords this version. */
const MIDDLE = 25;

interface Unit {
  text: string;
  bullets: string[];
}

interface BenchDocument {
  name: string;
  /** The versions' texts, oldest first. */
  texts: string[];
}

function unitsOf(text: string, bullets: boolean): Unit[] {
  const units: Unit[] = [];
  for (const line of text.split("\n")) {
    const item = /^\d+\. (.*)$/.exec(line);
    if (item) units.push({ text: item[1] ?? "", bullets: [] });
    else if (bullets && line.startsWith("— ")) units[units.length - 1]?.bullets.push(line);
  }
  return units;
}

function render(title: string, units: Unit[]): string {
  const lines = units.flatMap((unit, index) => [`${index + 1}. ${unit.text}`, ...unit.bullets]);
  return `${title}\n\n${lines.join("\n")}\n`;
}

/** A figure of one item raised: what makes a new version whatever else is kept. */
function raiseFigure(random: Random, units: Unit[]): Unit[] {
  const withFigure = units.flatMap((unit, index) => (/\d/.test(unit.text) ? [index] : []));
  const at = withFigure[Math.floor(random() * withFigure.length)] ?? 0;
  const unit = units[at] as Unit;
  const figure = /\d[\d,]*/.exec(unit.text);
  const next = [...units];
  next[at] = figure
    ? {
        ...unit,
        text: unit.text.replace(
          figure[0],
          (Number(figure[0].replace(/,/g, "")) + 1 + Math.floor(random() * 90)).toLocaleString("en-US"),
        ),
      }
    : { ...unit, text: `${unit.text.replace(/[.:;]$/, "")} within ${10 + Math.floor(random() * 80)} days.` };
  return next;
}

/** The same text as another desk typesets it: CRLF, doubled spaces after the numbers, a trailing space. */
function retypeset(text: string): string {
  return text
    .split("\n")
    .map((line) => `${line.replace(/^(\d+)\. /, "$1.  ")} `)
    .join("\r\n");
}

/** Words the engine reads as cues (modality, negation, quantity, order). */
const CUES = new Set(
  "may can will shall must should cannot might would could never without none nothing unless except each every with within upon after before during through over against under between into their from that which".split(
    " ",
  ),
);

/** A word of the synthetic vocabulary, not a cue: neither it nor the word after it is read for meaning. */
function plainWord(word: string): boolean {
  return /^\p{Ll}{4,}$/u.test(word) && !CUES.has(word);
}

/** One word of one long item replaced by another word of the same item: wording, not meaning. */
function reword(random: Random, text: string): string {
  const lines = text.split("\n");
  const items = lines.flatMap((line, index) => (/^\d+\. (\p{L}+ ){8}/u.test(line) ? [index] : []));
  const at = items[Math.floor(random() * items.length)] ?? 0;
  const words = (lines[at] ?? "").split(" ");
  const plain = words.flatMap((word, index) =>
    index > 1 && plainWord(word) && plainWord(words[index - 1] ?? "") ? [index] : [],
  );
  const target = plain[Math.floor(random() * plain.length)] ?? 2;
  const other = plain.find((index) => words[index] !== words[target]) ?? target;
  words[target] = words[other] ?? "every";
  lines[at] = words.join(" ");
  return lines.join("\n");
}

function documents(): BenchDocument[] {
  const build = (name: string, title: string, base: Unit[], seed: number): BenchDocument => {
    const random = mulberry32(seed);
    const texts: string[] = [];
    let units = base;
    for (let v = 0; v <= VERSIONS; v++) {
      texts.push(render(title, units));
      units = raiseFigure(random, units);
    }
    return { name, texts };
  };
  return [
    build(
      "28-point plan",
      "Synthetic plan",
      unitsOf(generatePair({ clauses: 28, seed: 28 }).oldText, false),
      1,
    ),
    build(
      "304-clause document",
      "Synthetic code",
      unitsOf(generatePair({ clauses: 200, seed: 30 }).oldText, true),
      2,
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// Pages and config

interface PageServer {
  url: string;
  set(path: string, body: string): void;
  close(): Promise<void>;
}

async function startPages(): Promise<PageServer> {
  const pages = new Map<string, string>();
  const server = createServer((req, res) => {
    const body = pages.get(req.url ?? "/");
    if (body === undefined) res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    else res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (path, body) => pages.set(path, body),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const witnessId = (n: number) => `w${String(n).padStart(3, "0")}`;

/** The same 102 sources for every store: the wire, the witnesses and the copy under test. */
async function writeConfig(file: string, storeDir: string, pagesUrl: string): Promise<void> {
  const sources = [
    { id: "wire", plan: PLAN, role: "draft", url: `${pagesUrl}/wire` },
    ...Array.from({ length: WITNESSES }, (_, index) => ({
      id: witnessId(index + 1),
      plan: PLAN,
      role: "draft",
      url: `${pagesUrl}/${witnessId(index + 1)}`,
    })),
    { id: "copy", plan: PLAN, role: "draft", url: `${pagesUrl}/copy` },
  ];
  await writeFile(
    file,
    stringify({
      storage: { dir: storeDir },
      schedule: "0 0 1 1 *",
      jitterSeconds: 0,
      http: { timeoutMs: 10_000, perHost: 8, politenessMs: 0 },
      log: { level: "silent" },
      plans: [{ id: PLAN, title: "Bench plan" }],
      sources,
      notify: [{ type: "log", minSeverity: "minor" }],
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Stores

const sink = { write: () => true } as unknown as NodeJS.WritableStream;

/** `check --once` for the given sources, in this process, on one open context (as the CLI does each time). */
async function buildStore(
  dir: string,
  pages: PageServer,
  versions: string[],
  witnesses: boolean,
): Promise<{ seconds: number }> {
  const started = performance.now();
  const configFile = join(dir, "clausewatch.yaml");
  await writeConfig(configFile, join(dir, "store"), pages.url);
  const config = await loadConfig(configFile, {});
  const { ctx, close } = await openContext(config, { command: "bench", logTo: "stderr" });
  const alerts = startAlerts({
    config,
    storageDir: config.storageDir,
    logger: ctx.logger,
    store: ctx.store,
    outbox: ctx.store,
    intervalMs: 0,
    stdout: sink,
  });
  const cycle = async (sourceIds: string[]) => {
    const report = await runCycle(ctx, { sourceIds });
    const failed = report.outcomes.filter((outcome) => outcome.status === "failed");
    if (failed.length > 0) throw new Error(`bench store: ${failed.map((o) => o.sourceId).join(", ")} failed`);
    await alerts.enqueue(report.outcomes.flatMap((outcome) => outcome.changes));
    await alerts.deliver();
  };
  try {
    const random = mulberry32(7);
    for (const [index, text] of versions.entries()) {
      pages.set("/wire", text);
      await cycle(["wire"]);
      if (!witnesses) continue;
      const same = witnessId(2 * index + 1);
      const reworded = witnessId(2 * index + 2);
      pages.set(`/${same}`, retypeset(text));
      pages.set(`/${reworded}`, reword(random, text));
      await cycle([same, reworded]);
    }
  } finally {
    await alerts.stop();
    await close();
  }
  return { seconds: (performance.now() - started) / 1000 };
}

interface LineageCounts {
  versions: number;
  witnesses: number;
  divergent: number;
  bytes: number;
  /** readLineage on a freshly opened store handle, ms. */
  readMs: number;
  /** Versions a witness source created: the store is not what the bench meant to build. */
  unexpected: string[];
}

async function countLineage(storeDir: string): Promise<LineageCounts> {
  const store = await openFsStore(storeDir, { lock: false });
  try {
    const started = performance.now();
    const records = await readLineage(store, PLAN);
    const readMs = performance.now() - started;
    const witnesses = records.filter((record) => record.type === "witness");
    return {
      versions: records.filter((record) => record.type === "version").length,
      witnesses: witnesses.filter((record) => record.relation === "witness").length,
      divergent: witnesses.filter((record) => record.relation === "divergent").length,
      bytes: (await stat(join(storeDir, "plans", PLAN, "lineage.jsonl"))).size,
      readMs,
      unexpected: records.flatMap((record) =>
        record.type === "version" && record.sourceId !== "wire"
          ? [`${record.sourceId} made ${record.id}: ${record.explanation}`]
          : [],
      ),
    };
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Timed runs

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** A private copy of a built store and a config pointing at it. */
async function freshCopy(pristine: string, pagesUrl: string): Promise<{ dir: string; configFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), "clausewatch-bench-lineage-run-"));
  await cp(join(pristine, "store"), join(dir, "store"), { recursive: true });
  const configFile = join(dir, "clausewatch.yaml");
  await writeConfig(configFile, join(dir, "store"), pagesUrl);
  return { dir, configFile };
}

function runCli(args: string[]): Promise<{ ms: number; status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const profile = process.env.CLAUSEWATCH_BENCH_PROF;
    const flags = profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [];
    const child = spawn(process.execPath, [...flags, CLI, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ ms: performance.now() - started, status, stderr }));
  });
}

/** The copy's judgement as the lineage recorded it: "new-version v51 ← v50", "witness v25". */
async function judged(storeDir: string): Promise<string> {
  const records = await readLineage(storeDir, PLAN);
  const mine = records.filter((record) => record.type === "witness" && record.sourceId === "copy").at(-1);
  if (mine?.type !== "witness") return "not judged";
  const version = records.find((record) => record.type === "version" && record.id === mine.version);
  const parent = version?.type === "version" && version.parent ? ` ← ${version.parent}` : "";
  return `${mine.relation} ${mine.version}${mine.relation === "new-version" ? parent : ""}`;
}

interface Timed {
  cliMs: number;
  inProcessMs: number;
  /** Time inside `lineage.observe` (in-process runs). */
  judgeMs: number;
  /** `check`'s start-up alert catch-up over the store's changes (alert code, not the lineage). */
  catchUpMs: number;
  loads: number;
  judged: string;
}

async function timeCopy(pristine: string, pages: PageServer, runs: number): Promise<Timed> {
  const cli: number[] = [];
  const inProcess: number[] = [];
  const judge: number[] = [];
  const catchUp: number[] = [];
  let loads = 0;
  let outcome = "";
  for (let run = 0; run < runs; run++) {
    const copy = await freshCopy(pristine, pages.url);
    try {
      const result = await runCli(["check", "--once", "--config", copy.configFile, "--source", "copy"]);
      if (result.status !== 0)
        throw new Error(`check --once exited ${result.status}: ${result.stderr.slice(0, 400)}`);
      cli.push(result.ms);
      outcome = await judged(join(copy.dir, "store"));
    } finally {
      await rm(copy.dir, { recursive: true, force: true });
    }
  }
  for (let run = 0; run < runs; run++) {
    const copy = await freshCopy(pristine, pages.url);
    try {
      const config = await loadConfig(copy.configFile, {});
      const { ctx, close } = await openContext(config, { command: "bench", logTo: "stderr" });
      let counted = 0;
      let judging = 0;
      // The CLI's loader, counted, and the judgement timed.
      const lineage = createLineage(ctx.store, config.lineage, async (id) => {
        counted++;
        return currentReading(ctx, await ctx.store.getSnapshot(id));
      });
      ctx.lineage = {
        async observe(planId, sighting) {
          const started = performance.now();
          try {
            return await lineage.observe(planId, sighting);
          } finally {
            judging += performance.now() - started;
          }
        },
      };
      try {
        const caught = performance.now();
        await catchUpChanges({ config, storageDir: config.storageDir, store: ctx.store, outbox: ctx.store });
        catchUp.push(performance.now() - caught);
        const started = performance.now();
        const report = await runCycle(ctx, { sourceIds: ["copy"] });
        inProcess.push(performance.now() - started);
        judge.push(judging);
        if (report.outcomes[0]?.status === "failed") throw new Error("the copy's check failed");
      } finally {
        await close();
      }
      loads = counted;
    } finally {
      await rm(copy.dir, { recursive: true, force: true });
    }
  }
  return {
    cliMs: median(cli),
    inProcessMs: median(inProcess),
    judgeMs: median(judge),
    catchUpMs: median(catchUp),
    loads,
    judged: outcome,
  };
}

export async function runLineageBench(): Promise<void> {
  const runs = Number(process.env.CLAUSEWATCH_BENCH_LINEAGE_RUNS ?? 5);
  const root = await mkdtemp(join(tmpdir(), "clausewatch-bench-lineage-"));
  const pages = await startPages();
  try {
    console.log(
      `${cpus().length} CPUs, load ${loadavg()
        .map((load) => load.toFixed(1))
        .join(" ")}, Node ${process.version}`,
    );
    console.log(
      `one copy judged by \`check --once --source copy\` in a fresh process (CLI) and by runCycle on a freshly opened context (in-process); medians of ${runs} runs; fs store, fsync on`,
    );
    console.log(
      "document              copy                         plan history              CLI ms  in-proc ms  judge ms  sets loaded  catch-up ms  judged as",
    );
    for (const doc of documents()) {
      const newest = doc.texts[VERSIONS - 1] as string;
      const copies = [
        { name: "new version of the newest", text: doc.texts[VERSIONS] as string, single: newest },
        {
          name: `reworded copy of v${MIDDLE}`,
          text: reword(mulberry32(99), doc.texts[MIDDLE - 1] as string),
          single: doc.texts[MIDDLE - 1] as string,
        },
      ];
      const full = join(root, `${doc.name}-full`);
      await mkdir(full);
      const built = await buildStore(full, pages, doc.texts.slice(0, VERSIONS), true);
      const counts = await countLineage(join(full, "store"));
      console.log(
        `${doc.name}: store with ${counts.versions} versions, ${counts.witnesses} witnesses, ${counts.divergent} divergent built in ${built.seconds.toFixed(1)} s; lineage log ${(counts.bytes / 1024).toFixed(0)} KB, read in ${counts.readMs.toFixed(1)} ms`,
      );
      for (const line of counts.unexpected) console.log(`  unexpected: ${line}`);
      for (const copy of copies) {
        const single = join(root, `${doc.name}-${copy.name}-single`);
        await mkdir(single);
        await buildStore(single, pages, [copy.single], false);
        pages.set("/copy", copy.text);
        const small = await timeCopy(single, pages, runs);
        const large = await timeCopy(full, pages, runs);
        const row = (history: string, timed: Timed) =>
          console.log(
            `${doc.name.padEnd(21)} ${copy.name.padEnd(28)} ${history.padEnd(24)} ${timed.cliMs.toFixed(0).padStart(7)} ${timed.inProcessMs.toFixed(0).padStart(11)} ${timed.judgeMs.toFixed(0).padStart(9)} ${String(timed.loads).padStart(12)} ${timed.catchUpMs.toFixed(0).padStart(12)}  ${timed.judged}`,
          );
        row("1 version", small);
        row(`${counts.versions} versions, ${counts.witnesses + counts.divergent} witnesses`, large);
        console.log(
          `${"".padEnd(21)} ${"".padEnd(28)} ${"ratio".padEnd(24)} ${`${(large.cliMs / small.cliMs).toFixed(2)}×`.padStart(7)} ${`${(large.inProcessMs / small.inProcessMs).toFixed(2)}×`.padStart(11)} ${`${(large.judgeMs / small.judgeMs).toFixed(2)}×`.padStart(9)} ${"".padStart(12)} ${`${(large.catchUpMs / small.catchUpMs).toFixed(2)}×`.padStart(12)}`,
        );
      }
    }
  } finally {
    await pages.close();
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runLineageBench();
}
