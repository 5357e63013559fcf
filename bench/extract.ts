/**
 * Extraction quality against Mozilla Readability's test pages: token precision/recall/F1 of our
 * text versus Readability's expected article, plus timing. Prints figures; asserts nothing.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "cheerio";
import { extractBlocks } from "../src/extract/index.js";

export interface PageScore {
  page: string;
  precision: number;
  recall: number;
  f1: number;
  ms: number;
}

export interface ExtractBenchResult {
  pages: number;
  medianF1: number;
  meanF1: number;
  medianPrecision: number;
  meanPrecision: number;
  medianRecall: number;
  meanRecall: number;
  totalMs: number;
  medianMs: number;
  scores: PageScore[];
}

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("package.json not found above bench/extract");
    dir = parent;
  }
  return dir;
}

function tokens(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (token !== "") counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return counts;
}

function overlap(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  for (const [token, count] of a) shared += Math.min(count, b.get(token) ?? 0);
  return shared;
}

function size(counts: Map<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function scorePage(dir: string, page: string): PageScore {
  const source = readFileSync(path.join(dir, "source.html"), "utf8");
  const expectedHtml = readFileSync(path.join(dir, "expected.html"), "utf8");
  const started = performance.now();
  const blocks = extractBlocks(source);
  const ms = performance.now() - started;
  const ours = tokens(blocks.map((block) => block.text).join("\n"));
  const expected = tokens(load(expectedHtml).root().text());
  const shared = overlap(ours, expected);
  const precision = size(ours) === 0 ? 0 : shared / size(ours);
  const recall = size(expected) === 0 ? 1 : shared / size(expected);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { page, precision, recall, f1, ms };
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

export async function runExtractBench(): Promise<ExtractBenchResult | undefined> {
  const shared = process.env.CLAUSEWATCH_SHARED ?? path.resolve(repoRoot(), "../shared");
  const corpus = path.join(shared, "corpora", "readability-pages");
  if (!existsSync(corpus)) {
    console.log(`extract bench skipped: corpus not found at ${corpus} (set CLAUSEWATCH_SHARED)`);
    return undefined;
  }
  const pages = readdirSync(corpus, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(corpus, entry.name, "source.html")))
    .map((entry) => entry.name)
    .sort();
  const started = performance.now();
  const scores = pages.map((page) => scorePage(path.join(corpus, page), page));
  const totalMs = performance.now() - started;

  const result: ExtractBenchResult = {
    pages: scores.length,
    medianF1: median(scores.map((s) => s.f1)),
    meanF1: mean(scores.map((s) => s.f1)),
    medianPrecision: median(scores.map((s) => s.precision)),
    meanPrecision: mean(scores.map((s) => s.precision)),
    medianRecall: median(scores.map((s) => s.recall)),
    meanRecall: mean(scores.map((s) => s.recall)),
    totalMs,
    medianMs: median(scores.map((s) => s.ms)),
    scores,
  };

  console.log(`extract bench: ${result.pages} pages from ${corpus}`);
  console.log("worst five by F1:");
  for (const score of [...scores].sort((a, b) => a.f1 - b.f1).slice(0, 5)) {
    console.log(
      `  ${score.page.padEnd(40)} P ${percent(score.precision)}  R ${percent(score.recall)}  F1 ${percent(score.f1)}`,
    );
  }
  console.log(
    `precision median ${percent(result.medianPrecision)} mean ${percent(result.meanPrecision)}; ` +
      `recall median ${percent(result.medianRecall)} mean ${percent(result.meanRecall)}; ` +
      `F1 median ${percent(result.medianF1)} mean ${percent(result.meanF1)}`,
  );
  console.log(
    `time: total ${result.totalMs.toFixed(0)} ms (including scoring), per page median ${result.medianMs.toFixed(1)} ms`,
  );
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runExtractBench();
}
