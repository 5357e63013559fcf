/**
 * Extraction against Mozilla Readability's test pages: token precision/recall/F1 of our text
 * versus Readability's expected article (text, not markup), time per page, and the proof that
 * reading pages with htmlparser2 gives the same blocks as cheerio's default parse5 path. Prints
 * figures; asserts nothing.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "cheerio";
import type { Document, Element } from "domhandler";
import { extractDocument, extractPage, extractTree } from "../src/extract/index.js";
import { flatText } from "../src/extract/parse.js";

export interface PageScore {
  page: string;
  precision: number;
  recall: number;
  f1: number;
  /** F1 over 4-token shingles, which also punishes text in the wrong order. */
  shingleF1: number;
  ms: number;
}

export interface ParserComparison {
  pages: number;
  identical: number;
  differences: string[];
  parse5Ms: number;
  htmlparser2Ms: number;
}

export interface ExtractBenchResult {
  pages: number;
  /** Mean precision, mean recall, and the F1 of those two means (the usual benchmark summary). */
  precision: number;
  recall: number;
  f1: number;
  medianF1: number;
  shingleF1: number;
  medianMs: number;
  p95Ms: number;
  scores: PageScore[];
  parsers: ParserComparison;
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

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token !== "");
}

function counts(items: string[]): Map<string, number> {
  const found = new Map<string, number>();
  for (const item of items) found.set(item, (found.get(item) ?? 0) + 1);
  return found;
}

function shingles(tokens: string[]): string[] {
  if (tokens.length < 4) return tokens.length === 0 ? [] : [tokens.join(" ")];
  const out: string[] = [];
  for (let i = 0; i + 4 <= tokens.length; i++) out.push(tokens.slice(i, i + 4).join(" "));
  return out;
}

/** Precision, recall and F1 of two multisets; an empty answer scores 0, an empty truth 1. */
function prf(ours: string[], truth: string[]): { precision: number; recall: number; f1: number } {
  const expected = counts(truth);
  let shared = 0;
  for (const [item, count] of counts(ours)) shared += Math.min(count, expected.get(item) ?? 0);
  const precision = ours.length === 0 ? 0 : shared / ours.length;
  const recall = truth.length === 0 ? 1 : shared / truth.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (position - low);
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function ourText(html: string): string {
  try {
    return extractDocument(html)
      .blocks.map((block) => block.text)
      .join("\n");
  } catch {
    // A page the extractor refuses (nothing readable) scores as an empty answer.
    return "";
  }
}

function scorePage(dir: string, page: string): PageScore {
  const source = readFileSync(path.join(dir, "source.html"), "utf8");
  const expected = words(flatText(readFileSync(path.join(dir, "expected.html"), "utf8")));
  const started = performance.now();
  const text = ourText(source);
  const ms = performance.now() - started;
  const ours = words(text);
  return { page, ...prf(ours, expected), shingleF1: prf(shingles(ours), shingles(expected)).f1, ms };
}

function parse5Tree(html: string): { document: Document; html: Element; body: Element } {
  const $ = load(html);
  return {
    document: $.root()[0] as Document,
    html: $("html")[0] as Element,
    body: $("body")[0] as Element,
  };
}

/** Same blocks and title from cheerio's parse5 tree and from ours, page by page; parse + extract timed. */
function compareParsers(files: string[]): ParserComparison {
  const differences: string[] = [];
  let parse5Ms = 0;
  let htmlparser2Ms = 0;
  for (const file of files) {
    const html = readFileSync(file, "utf8");
    let started = performance.now();
    const viaParse5 = JSON.stringify(extractTree(parse5Tree(html)));
    parse5Ms += performance.now() - started;
    started = performance.now();
    const viaHtmlparser2 = JSON.stringify(extractPage(html));
    htmlparser2Ms += performance.now() - started;
    if (viaParse5 !== viaHtmlparser2) differences.push(file);
  }
  return {
    pages: files.length,
    identical: files.length - differences.length,
    differences,
    parse5Ms,
    htmlparser2Ms,
  };
}

function htmlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

export interface HostileTiming {
  name: string;
  bytes: number;
  ms: number;
  outcome: string;
}

function timed(
  html: string,
  extract: (html: string) => { blocks: unknown[]; flattened?: string },
): {
  ms: number;
  outcome: string;
} {
  const started = performance.now();
  try {
    const page = extract(html);
    return {
      ms: performance.now() - started,
      outcome: `${page.blocks.length} block(s)${page.flattened ? `, read flat (${page.flattened} cap)` : ""}`,
    };
  } catch (error) {
    return { ms: performance.now() - started, outcome: `error: ${(error as Error).message.slice(0, 60)}` };
  }
}

/** Hostile nesting: ours stays linear under the caps; cheerio's parse5 path grows with depth squared. */
function hostileTimings(): HostileTiming[] {
  const nested = (depth: number) => `${"<div>".repeat(depth)}deep text${"</div>".repeat(depth)}`;
  const cases: Array<[string, string, (html: string) => { blocks: unknown[]; flattened?: string }]> = [
    ["100,000 nested divs", nested(100_000), (html) => extractPage(html)],
    ["100,000 unclosed divs", `${"<div>".repeat(100_000)}deep text`, (html) => extractPage(html)],
    [
      "450 divs + 2,000,000 stray </span>",
      `${"<div>".repeat(450)}text${"</span>".repeat(2_000_000)}`,
      (html) => extractPage(html),
    ],
    // cheerio's default parser, for comparison: its parse alone, which quadruples as depth doubles.
    ["parse5 parse of 10,000 nested divs", nested(10_000), (html) => ({ blocks: [load(html)] })],
    ["parse5 parse of 20,000 nested divs", nested(20_000), (html) => ({ blocks: [load(html)] })],
  ];
  return cases.map(([name, html, extract]) => ({ name, bytes: html.length, ...timed(html, extract) }));
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

export async function runExtractBench(): Promise<ExtractBenchResult | undefined> {
  const root = repoRoot();
  const shared = process.env.CLAUSEWATCH_SHARED ?? path.resolve(root, "../shared");
  const corpus = path.join(shared, "corpora", "readability-pages");
  if (!existsSync(corpus)) {
    console.log(`extract bench skipped: corpus not found at ${corpus} (set CLAUSEWATCH_SHARED)`);
    return undefined;
  }
  const pages = readdirSync(corpus, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(corpus, entry.name, "source.html")))
    .map((entry) => entry.name)
    .sort();
  // One untimed pass first, so the timed one measures extraction rather than JIT warm-up.
  for (const page of pages) ourText(readFileSync(path.join(corpus, page, "source.html"), "utf8"));
  const scores = pages.map((page) => scorePage(path.join(corpus, page), page));
  const precision = mean(scores.map((s) => s.precision));
  const recall = mean(scores.map((s) => s.recall));
  const parsers = compareParsers([
    ...pages.map((page) => path.join(corpus, page, "source.html")),
    ...htmlFiles(path.join(root, "test", "fixtures")),
    ...htmlFiles(path.join(root, "config", "demo")),
  ]);
  const result: ExtractBenchResult = {
    pages: scores.length,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    medianF1: quantile(
      scores.map((s) => s.f1),
      0.5,
    ),
    shingleF1: mean(scores.map((s) => s.shingleF1)),
    medianMs: quantile(
      scores.map((s) => s.ms),
      0.5,
    ),
    p95Ms: quantile(
      scores.map((s) => s.ms),
      0.95,
    ),
    scores,
    parsers,
  };

  console.log(`extract bench: ${result.pages} pages from ${corpus}`);
  console.log(
    `  ${"page".padEnd(44)} ${"P".padStart(6)} ${"R".padStart(6)} ${"F1".padStart(6)} ${"ms".padStart(6)}`,
  );
  for (const score of scores) {
    console.log(
      `  ${score.page.padEnd(44)} ${percent(score.precision).padStart(6)} ${percent(score.recall).padStart(6)} ${percent(score.f1).padStart(6)} ${score.ms.toFixed(1).padStart(6)}`,
    );
  }
  console.log("worst five by F1:");
  for (const score of [...scores].sort((a, b) => a.f1 - b.f1).slice(0, 5)) {
    console.log(
      `  ${score.page.padEnd(44)} P ${percent(score.precision)}  R ${percent(score.recall)}  F1 ${percent(score.f1)}`,
    );
  }
  console.log(
    `overall: precision ${percent(result.precision)}, recall ${percent(result.recall)}, F1 ${percent(result.f1)}; ` +
      `median F1 ${percent(result.medianF1)}; pages below 80%: ${scores.filter((s) => s.f1 < 0.8).length}; ` +
      `4-gram shingle F1 (mean) ${percent(result.shingleF1)}`,
  );
  console.log(
    `time per page (parse + extract): median ${result.medianMs.toFixed(1)} ms, p95 ${result.p95Ms.toFixed(1)} ms`,
  );
  console.log(
    `parsers: htmlparser2 and parse5 give identical blocks and title on ${parsers.identical} of ${parsers.pages} pages ` +
      `(corpus + fixtures); parse + extract ${parsers.htmlparser2Ms.toFixed(0)} ms vs ${parsers.parse5Ms.toFixed(0)} ms ` +
      `(${(parsers.parse5Ms / Math.max(1, parsers.htmlparser2Ms)).toFixed(1)}× faster)`,
  );
  for (const file of parsers.differences) console.log(`  differs: ${path.relative(root, file)}`);
  console.log("hostile markup (parse + extract):");
  for (const timing of hostileTimings())
    console.log(
      `  ${timing.name.padEnd(40)} ${(timing.bytes / 1e6).toFixed(1).padStart(5)} MB ${timing.ms.toFixed(0).padStart(7)} ms  ${timing.outcome}`,
    );
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runExtractBench();
}
