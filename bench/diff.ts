/**
 * Clause engine benchmark: parse + diff timing on the 28-point plan and on generated documents of
 * 300, 3,000 and 30,000 clauses, mapping accuracy against the generator's truth, and the CLI end
 * to end. Prints figures; asserts nothing (targets are printed beside the figures).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseClauses } from "../src/clauses/index.js";
import { type DiffResult, diffClauses } from "../src/diff/index.js";
import type { ClauseSet } from "../src/types.js";
import { type FateKind, type GeneratedTruth, generatePair, generateTermsDocument } from "./generate.js";

export interface TimedPair {
  label: string;
  oldClauses: number;
  newClauses: number;
  kb: number;
  runs: number;
  parseMs: number;
  diffMs: number;
  /** Fastest parse + diff of the runs: on a shared machine the least disturbed one. */
  bestTotalMs: number;
  /** Parse + diff of the first (warm-up) run, before the JIT has settled. */
  firstTotalMs: number;
  heapDeltaMb: number;
  maxRssMb: number;
  result: DiffResult;
}

type TruthKind = FateKind | "added";
type EngineKind = DiffResult["entries"][number]["kind"] | "missing";

export interface KindScore {
  kind: TruthKind;
  total: number;
  /** Same fate and the same new clause(s). */
  right: number;
  /** The same new clause(s), whatever kind the engine gave. */
  sameTargets: number;
  said: Map<EngineKind, number>;
}

export interface AccuracyReport {
  pairs: { truth: number; engine: number; shared: number; precision: number; recall: number };
  clausesRight: number;
  clausesTotal: number;
  kinds: KindScore[];
}

const SEED = 20251120;
const SIZES: Array<{ clauses: number; runs: number }> = [
  { clauses: 300, runs: 7 },
  { clauses: 3_000, runs: 7 },
  { clauses: 30_000, runs: 1 },
];
const PLAN_RUNS = 7;
const TERMS_RUNS = 7;
/** Runs before the timed ones, so figures are of code the JIT has settled on, as in a worker that has read a few documents. */
const WARM_UP = 3;
const CLI_RUNS = 3;
const CLI_CLAUSES = 3_000;

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("package.json not found above bench/diff");
    dir = parent;
  }
  return dir;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function parseBoth(oldText: string, newText: string): [ClauseSet, ClauseSet] {
  return [
    parseClauses({ source: "old.txt", format: "text", text: oldText }),
    parseClauses({ source: "new.txt", format: "text", text: newText }),
  ];
}

/** Warm-up runs (at most `WARM_UP`, never more than `runs`), then `runs` timed runs; parse (both sides) and diff timed separately. */
export function timePair(label: string, oldText: string, newText: string, runs: number): TimedPair {
  let firstTotalMs = 0;
  for (let run = 0; run < Math.min(WARM_UP, runs); run++) {
    const started = performance.now();
    const [oldSet, newSet] = parseBoth(oldText, newText);
    diffClauses(oldSet, newSet);
    if (run === 0) firstTotalMs = performance.now() - started;
  }
  const parseTimes: number[] = [];
  const diffTimes: number[] = [];
  const heapBefore = process.memoryUsage().heapUsed;
  let heapDelta = 0;
  let result: DiffResult | undefined;
  let sets: [ClauseSet, ClauseSet] | undefined;
  for (let run = 0; run < runs; run++) {
    const startParse = performance.now();
    sets = parseBoth(oldText, newText);
    const startDiff = performance.now();
    result = diffClauses(sets[0], sets[1]);
    const end = performance.now();
    parseTimes.push(startDiff - startParse);
    diffTimes.push(end - startDiff);
    // Without --expose-gc this is what the first run left live (clause sets, result) plus garbage not yet collected.
    if (run === 0) heapDelta = process.memoryUsage().heapUsed - heapBefore;
  }
  const [oldSet, newSet] = sets as [ClauseSet, ClauseSet];
  return {
    label,
    oldClauses: oldSet.clauses.length,
    newClauses: newSet.clauses.length,
    kb: Buffer.byteLength(oldText) / 1024,
    runs,
    parseMs: median(parseTimes),
    diffMs: median(diffTimes),
    bestTotalMs: Math.min(...parseTimes.map((parse, i) => parse + (diffTimes[i] as number))),
    firstTotalMs,
    heapDeltaMb: heapDelta / 2 ** 20,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    result: result as DiffResult,
  };
}

function engineFateKind(kind: EngineKind): TruthKind | "other" {
  if (kind === "unchanged" || kind === "renumbered") return "unchanged";
  if (kind === "moved" || kind === "modified" || kind === "split" || kind === "merged" || kind === "removed")
    return kind;
  if (kind === "added") return "added";
  return "other";
}

function sameNumbers(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  const sorted = [...b].sort((x, y) => x - y);
  return [...a].sort((x, y) => x - y).every((value, i) => value === sorted[i]);
}

/**
 * Scores the engine's entries against the generator's truth, clause by clause: an old clause is
 * right when its entry has the same fate (unchanged and renumbered count as one) and the same new
 * clause numbers; pairings are the (old, new) links of every entry that has both sides.
 */
export function scoreAccuracy(result: DiffResult, truth: GeneratedTruth): AccuracyReport {
  const byOld = new Map<number, { kind: EngineKind; news: number[] }>();
  const byNew = new Map<number, EngineKind>();
  const enginePairs = new Set<string>();
  // A generated clause's sub-items are clauses of their own in the outline ("12 •1"): an edit
  // there is the generated clause's modification, whose own line may be unchanged.
  const editedBelow = new Set<number>();
  for (const entry of result.entries) {
    const path = entry.old[0];
    if (entry.kind === "modified" && path !== undefined && !/^\d+$/.test(path))
      editedBelow.add(Number.parseInt(path, 10));
  }
  for (const entry of result.entries) {
    const olds = entry.old.map(Number).filter((a) => !Number.isNaN(a));
    const news = entry.new.map(Number).filter((b) => !Number.isNaN(b));
    if (olds.length === 0 && news.length === 0) continue;
    const kind: EngineKind =
      (entry.kind === "unchanged" || entry.kind === "renumbered") && olds.some((a) => editedBelow.has(a))
        ? "modified"
        : entry.kind;
    for (const a of olds) byOld.set(a, { kind, news });
    for (const b of news) byNew.set(b, kind);
    for (const a of olds) for (const b of news) enginePairs.add(`${a}>${b}`);
  }

  const truthPairs = new Set<string>();
  const kinds = new Map<TruthKind, KindScore>();
  const scoreOf = (kind: TruthKind) => {
    const existing = kinds.get(kind);
    if (existing) return existing;
    const created: KindScore = { kind, total: 0, right: 0, sameTargets: 0, said: new Map() };
    kinds.set(kind, created);
    return created;
  };
  let clausesRight = 0;
  let clausesTotal = 0;
  for (const [number, fate] of Object.entries(truth.fates)) {
    const a = Number(number);
    for (const b of fate.new) truthPairs.add(`${a}>${b}`);
    const engine = byOld.get(a) ?? { kind: "missing" as const, news: [] };
    const score = scoreOf(fate.kind);
    score.total++;
    clausesTotal++;
    score.said.set(engine.kind, (score.said.get(engine.kind) ?? 0) + 1);
    const targets = sameNumbers(engine.news, fate.new);
    if (targets) score.sameTargets++;
    if (targets && engineFateKind(engine.kind) === fate.kind) {
      score.right++;
      clausesRight++;
    }
  }
  for (const b of truth.added) {
    const kind = byNew.get(b) ?? "missing";
    const score = scoreOf("added");
    score.total++;
    clausesTotal++;
    score.said.set(kind, (score.said.get(kind) ?? 0) + 1);
    if (kind === "added") {
      score.sameTargets++;
      score.right++;
      clausesRight++;
    }
  }

  let shared = 0;
  for (const pair of enginePairs) if (truthPairs.has(pair)) shared++;
  const order: TruthKind[] = ["unchanged", "modified", "moved", "split", "merged", "removed", "added"];
  return {
    pairs: {
      truth: truthPairs.size,
      engine: enginePairs.size,
      shared,
      precision: enginePairs.size === 0 ? 1 : shared / enginePairs.size,
      recall: truthPairs.size === 0 ? 1 : shared / truthPairs.size,
    },
    clausesRight,
    clausesTotal,
    kinds: order.map((kind) => kinds.get(kind)).filter((score): score is KindScore => score !== undefined),
  };
}

interface TruthChange {
  kind: string;
  old: string[];
  new: string[];
}

interface FixtureTruthPair {
  old: string;
  new: string;
  changes: TruthChange[];
  summary: Record<string, number>;
}

/** Listed fixture changes the engine reproduced (same kind and keys), and whether the summary agrees. */
function scoreFixture(
  result: DiffResult,
  pair: FixtureTruthPair,
): { matched: number; total: number; summary: boolean } {
  const seen = new Set(
    result.entries.map((entry) => `${entry.kind}|${entry.old.join(",")}|${entry.new.join(",")}`),
  );
  const matched = pair.changes.filter((change) =>
    seen.has(`${change.kind}|${change.old.join(",")}|${change.new.join(",")}`),
  ).length;
  const summary = Object.entries(pair.summary).every(
    ([kind, count]) => result.summary[kind as keyof DiffResult["summary"]] === count,
  );
  return { matched, total: pair.changes.length, summary };
}

function pad(value: string, width: number, left = false): string {
  return left ? value.padEnd(width) : value.padStart(width);
}

function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

function printTimings(rows: TimedPair[]): void {
  console.log(
    [
      pad("document", 30, true),
      pad("clauses", 15),
      pad("KB", 7),
      pad("runs", 5),
      pad("parse ms", 9),
      pad("diff ms", 9),
      pad("total ms", 9),
      pad("best ms", 8),
      pad("µs/clause", 10),
      pad("heap Δ MB", 10),
      pad("maxRSS MB", 10),
    ].join(" "),
  );
  for (const row of rows) {
    const total = row.parseMs + row.diffMs;
    console.log(
      [
        pad(row.label, 30, true),
        pad(`${row.oldClauses} → ${row.newClauses}`, 15),
        pad(fixed(row.kb, 1), 7),
        pad(String(row.runs), 5),
        pad(fixed(row.parseMs, 1), 9),
        pad(fixed(row.diffMs, 1), 9),
        pad(fixed(total, 1), 9),
        pad(fixed(row.bestTotalMs, 1), 8),
        pad(fixed((total * 1000) / Math.max(1, row.oldClauses), 1), 10),
        pad(fixed(row.heapDeltaMb, 1), 10),
        pad(fixed(row.maxRssMb, 0), 10),
      ].join(" "),
    );
  }
}

function printAccuracy(label: string, report: AccuracyReport): void {
  const { pairs } = report;
  console.log(
    `\n${label}: pairings precision ${fixed(pairs.precision, 4)} recall ${fixed(pairs.recall, 4)} ` +
      `(${pairs.shared} shared, ${pairs.engine} engine, ${pairs.truth} truth); ` +
      `clauses right ${report.clausesRight}/${report.clausesTotal} (${fixed((100 * report.clausesRight) / report.clausesTotal, 2)}%)`,
  );
  console.log(
    `  ${pad("truth kind", 10, true)} ${pad("count", 6)} ${pad("right", 6)} ${pad("acc", 7)} ${pad("targets", 8)}  engine said`,
  );
  for (const score of report.kinds) {
    const said = [...score.said.entries()]
      .sort((x, y) => y[1] - x[1])
      .map(([kind, count]) => `${kind} ${count}`)
      .join(", ");
    console.log(
      `  ${pad(score.kind, 10, true)} ${pad(String(score.total), 6)} ${pad(String(score.right), 6)} ` +
        `${pad(`${fixed((100 * score.right) / Math.max(1, score.total), 1)}%`, 7)} ${pad(String(score.sameTargets), 8)}  ${said}`,
    );
  }
}

function runCommand(
  command: string,
  args: string[],
): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({
        ms: performance.now() - started,
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}

/** `git diff --no-index --word-diff` on the same pair, the peer the CLI is measured against; undefined without git. */
async function gitWordDiff(oldPath: string, newPath: string): Promise<number[] | undefined> {
  const times: number[] = [];
  for (let run = 0; run < CLI_RUNS; run++) {
    try {
      const result = await runCommand("git", ["diff", "--no-index", "--word-diff", oldPath, newPath]);
      // git exits 1 when the files differ.
      if (result.code !== 1) return undefined;
      times.push(result.ms);
    } catch {
      return undefined;
    }
  }
  return times;
}

async function benchCli(
  root: string,
  oldText: string,
  newText: string,
  expectedEntries: number,
): Promise<void> {
  const cli = path.join(root, "dist", "src", "cli.js");
  console.log(
    `\nCLI end to end (${CLI_CLAUSES} clauses, ${CLI_RUNS} runs, \`node dist/src/cli.js diff old.txt new.txt --format json\`)`,
  );
  if (!existsSync(cli)) {
    console.log(
      `  CLI not built: ${path.relative(root, cli)} is missing (build with \`npx tsc -p tsconfig.build.json\`); skipped`,
    );
    return;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "clausewatch-bench-"));
  try {
    const oldPath = path.join(dir, "old.txt");
    const newPath = path.join(dir, "new.txt");
    await writeFile(oldPath, oldText);
    await writeFile(newPath, newText);
    const times: number[] = [];
    let last: Awaited<ReturnType<typeof runCommand>> | undefined;
    for (let run = 0; run < CLI_RUNS; run++) {
      last = await runCommand(process.execPath, [cli, "diff", oldPath, newPath, "--format", "json"]);
      times.push(last.ms);
    }
    if (!last) return;
    let verdict: string;
    try {
      const parsed = JSON.parse(last.stdout) as Partial<DiffResult>;
      const entries = Array.isArray(parsed.entries) ? parsed.entries.length : -1;
      verdict =
        `JSON parses, schema ${String(parsed.schema)}, ${entries} entries ` +
        (entries === expectedEntries
          ? "(= in-process)"
          : `(in-process produced ${expectedEntries}: MISMATCH)`);
    } catch (error) {
      verdict = `stdout is not JSON (${(error as Error).message}); stderr: ${last.stderr.slice(0, 200).trim()}`;
    }
    const exitNote =
      last.code === 1 ? "exit 1 (changes), as expected" : `exit ${last.code} (expected 1 for changes)`;
    console.log(
      `  median wall ${fixed(median(times), 0)} ms (runs: ${times.map((t) => fixed(t, 0)).join(", ")}); ${exitNote}`,
    );
    console.log(`  ${verdict}; stdout ${fixed(Buffer.byteLength(last.stdout) / 1024, 0)} KB`);
    const git = await gitWordDiff(oldPath, newPath);
    console.log(
      git
        ? `  peer: \`git diff --no-index --word-diff\` median wall ${fixed(median(git), 0)} ms → clausewatch ${fixed(median(times) / median(git), 1)}× (target ≤ 5×)`
        : "  peer: git not found or failed; no ratio",
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A 1 MB terms document read as an outline (Markdown), and two versions of it diffed. */
function benchTermsDocument(): void {
  const { text, revised } = generateTermsDocument({ bytes: 1_000_000, seed: SEED });
  const read = (body: string) => parseClauses({ source: "terms.md", format: "markdown", text: body });
  const firstStarted = performance.now();
  read(text);
  const firstMs = performance.now() - firstStarted;
  for (let run = 1; run < WARM_UP; run++) read(text);
  const parseTimes: number[] = [];
  let oldSet: ClauseSet | undefined;
  for (let run = 0; run < TERMS_RUNS; run++) {
    const started = performance.now();
    oldSet = read(text);
    parseTimes.push(performance.now() - started);
  }
  const newSet = read(revised);
  for (let run = 0; run < WARM_UP; run++) diffClauses(oldSet as ClauseSet, newSet);
  const diffTimes: number[] = [];
  let result: DiffResult | undefined;
  for (let run = 0; run < TERMS_RUNS; run++) {
    const started = performance.now();
    result = diffClauses(oldSet as ClauseSet, newSet);
    diffTimes.push(performance.now() - started);
  }
  const set = oldSet as ClauseSet;
  const changed = (result as DiffResult).entries.filter((entry) => entry.severity !== "none").length;
  console.log(
    `
terms document, ${fixed(Buffer.byteLength(text) / 2 ** 20, 2)} MB Markdown: ${set.clauses.length.toLocaleString("en")} clauses, ` +
      `${fixed((100 * set.coverage.placed) / Math.max(1, set.coverage.words), 1)}% of words placed; parse ${fixed(median(parseTimes), 0)} ms median of ${TERMS_RUNS} after ${WARM_UP} warm-up runs ` +
      `(best ${fixed(Math.min(...parseTimes), 0)}, first run in this process ${fixed(firstMs, 0)}; target ≤ 100 ms); diff against a revision with one paragraph in twenty edited: ` +
      `${fixed(median(diffTimes), 0)} ms median of ${TERMS_RUNS} (best ${fixed(Math.min(...diffTimes), 0)}), ${changed} entries above none`,
  );
}

export async function runDiffBench(): Promise<void> {
  const root = repoRoot();
  const plan = path.join(root, "test", "fixtures", "plan");
  const load = os
    .loadavg()
    .map((value) => fixed(value, 1))
    .join(" ");
  // The machine is shared: a load above the core count inflates every wall-clock figure below.
  console.log(
    `clause engine bench — node ${process.version}, ${os.cpus().length} cores, load ${load}, seed ${SEED}`,
  );

  const rows: TimedPair[] = [];
  const read = (name: string) => readFileSync(path.join(plan, name), "utf8");
  const draft = read("v1-draft.txt");
  for (const name of ["counter.txt", "revision.txt"]) {
    rows.push(timePair(`plan v1-draft → ${name.replace(".txt", "")}`, draft, read(name), PLAN_RUNS));
  }

  // Before the generated sizes: the 30,000-clause results they keep make every later collection slower.
  benchTermsDocument();

  const generated: Array<{
    clauses: number;
    row: TimedPair;
    report: AccuracyReport;
    oldText: string;
    newText: string;
  }> = [];
  for (const size of SIZES) {
    const pair = generatePair({ clauses: size.clauses, seed: SEED });
    const row = timePair(
      `generated ${size.clauses.toLocaleString("en")}`,
      pair.oldText,
      pair.newText,
      size.runs,
    );
    rows.push(row);
    // Sub-items are clauses of their own in the outline; the generator counts top-level clauses.
    const topLevel = new Set(
      row.result.entries.flatMap((entry) => entry.old).filter((path) => /^\d+$/.test(path)),
    ).size;
    if (topLevel !== size.clauses)
      console.log(
        `note: the parser read ${topLevel} of ${size.clauses} generated clauses (→ accuracy below counts the rest as missing)`,
      );
    generated.push({
      clauses: size.clauses,
      row,
      report: scoreAccuracy(row.result, pair.truth),
      oldText: pair.oldText,
      newText: pair.newText,
    });
  }
  console.log("");
  printTimings(rows);

  // Step-to-step ratios of the per-clause cost: 1.00 is linear growth, above it super-linear.
  const perClause = (ms: number, row: TimedPair) => (ms * 1000) / Math.max(1, row.oldClauses);
  const growth = generated.map((g, i) => {
    const previous = generated[i - 1]?.row;
    const parse = perClause(g.row.parseMs, g.row);
    const diff = perClause(g.row.diffMs, g.row);
    const ratios = previous
      ? ` (×${fixed(parse / perClause(previous.parseMs, previous), 2)} | ×${fixed(diff / perClause(previous.diffMs, previous), 2)})`
      : "";
    return `${g.clauses.toLocaleString("en")}: ${fixed(parse, 0)} | ${fixed(diff, 0)}${ratios}`;
  });
  console.log(`growth, parse | diff µs per clause (× previous size; 1.00 = linear): ${growth.join("; ")}`);
  const truthFile = path.join(plan, "truth.json");
  if (existsSync(truthFile)) {
    const truth = JSON.parse(readFileSync(truthFile, "utf8")) as { pairs: FixtureTruthPair[] };
    const amnesty = read("v2-amnesty.txt");
    for (const name of ["counter.txt", "revision.txt"]) {
      const pair = truth.pairs.find((p) => p.old === "v2-amnesty.txt" && p.new === name);
      if (!pair) continue;
      const [oldSet, newSet] = parseBoth(amnesty, read(name));
      const score = scoreFixture(diffClauses(oldSet, newSet), pair);
      console.log(
        `fixture truth v2-amnesty → ${name}: ${score.matched}/${score.total} listed changes reproduced, summary ${score.summary ? "equal" : "DIFFERS"}`,
      );
    }
  }

  for (const g of generated)
    printAccuracy(`accuracy, generated ${g.clauses.toLocaleString("en")} (seed ${SEED})`, g.report);

  const cliPair = generated.find((g) => g.clauses === CLI_CLAUSES);
  if (cliPair) await benchCli(root, cliPair.oldText, cliPair.newText, cliPair.row.result.entries.length);

  const target = generated.find((g) => g.clauses === 3_000);
  if (target) {
    console.log(
      `\ntargets (reported, not asserted; timed after ${WARM_UP} warm-up runs): 3,000 clauses ≈700 KB in under 300 ms in-process → ` +
        `${fixed(target.row.kb, 0)} KB in ${fixed(target.row.parseMs + target.row.diffMs, 0)} ms median ` +
        `(best ${fixed(target.row.bestTotalMs, 0)}, first run ${fixed(target.row.firstTotalMs, 0)}), diff alone ${fixed(target.row.diffMs, 0)} ms (target ≤ 150); ` +
        `near-linear growth 300 → 30,000; CLI on 3,000 under 1 s`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runDiffBench();
}
