/**
 * History pages at scale: render times of the plan timeline, a version page, the clause × version
 * map, search and a comparison, over HTTP from a real fs store, for 1,000 versions of a 28-point
 * plan and for 20 versions of a 3,000-clause document. Stores are generated: each version edits a
 * few clauses of the one before (figures, wording, a clause removed or added, renumbering the
 * rest), parsed by the real reader, stored as snapshots with their lineage and coverage mentions.
 * "cold" is a fresh server's first request (nothing cached); "warm" the median of three more.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseClauses } from "../src/clauses/index.js";
import type { Config, SourceConfig } from "../src/config/index.js";
import type { MentionRecord } from "../src/coverage/types.js";
import { startHistoryServer } from "../src/history/server.js";
import type { VersionRecord, WitnessRecord } from "../src/lineage/index.js";
import { createLogger } from "../src/log.js";
import { openFsStore, type SnapshotStore } from "../src/store/index.js";
import { generatePair, mulberry32 } from "./generate.js";

type Random = () => number;

/** One numbered item: its own line, then its bullet lines. */
interface Unit {
  text: string;
  bullets: string[];
}

const PLAN = "bench-plan";
const SOURCE = "wire";
const START = Date.UTC(2025, 10, 20, 8);

function unitsOf(text: string): Unit[] {
  const units: Unit[] = [];
  for (const line of text.split("\n")) {
    const item = /^\d+\. (.*)$/.exec(line);
    if (item) units.push({ text: item[1] ?? "", bullets: [] });
    else if (line.startsWith("— ")) units[units.length - 1]?.bullets.push(line);
  }
  return units;
}

function renderPlan(units: Unit[]): string {
  const lines = units.flatMap((unit, index) => [`${index + 1}. ${unit.text}`, ...unit.bullets]);
  return `Synthetic plan\n\n${lines.join("\n")}\n`;
}

function renderSections(sections: Unit[][]): string {
  const lines = sections.flatMap((units, section) => [
    `${section + 1}. Section ${section + 1}`,
    ...units.flatMap((unit, index) => [`${section + 1}.${index + 1} ${unit.text}`, ...unit.bullets]),
  ]);
  return `Synthetic code\n\n${lines.join("\n")}\n`;
}

/** One edit of one item: a figure changed (or added), a word replaced. */
function edit(random: Random, unit: Unit): Unit {
  const figure = /\d[\d,]*/.exec(unit.text);
  if (figure && random() < 0.6) {
    const value = Number(figure[0].replace(/,/g, "")) + 1 + Math.floor(random() * 90);
    return { ...unit, text: unit.text.replace(figure[0], value.toLocaleString("en-US")) };
  }
  const words = unit.text.split(" ");
  const at = 1 + Math.floor(random() * Math.max(1, words.length - 2));
  const other = words[Math.floor(random() * words.length)] ?? "each";
  if (random() < 0.5)
    return {
      ...unit,
      text: `${unit.text.replace(/[.:;]$/, "")}, within ${10 + Math.floor(random() * 80)} days.`,
    };
  words[at] = other === words[at] ? "every" : other;
  return { ...unit, text: words.join(" ") };
}

/**
 * The next version: `edits` items edited, and one time in five an item removed or one added
 * (whichever keeps the count nearer `size`), which renumbers every item after it.
 */
function revise(random: Random, units: Unit[], pool: Unit[], edits: number, size: number): Unit[] {
  const next = [...units];
  for (let n = 0; n < edits; n++) {
    const at = Math.floor(random() * next.length);
    next[at] = edit(random, next[at] as Unit);
  }
  if (random() < 0.2) {
    const at = Math.floor(random() * next.length);
    if (next.length > size || (next.length === size && random() < 0.5)) next.splice(at, 1);
    else next.splice(at, 0, pool[Math.floor(random() * pool.length)] as Unit);
  }
  return next;
}

interface Filled {
  versions: number;
  clauses: number;
  fillSeconds: number;
}

/** Stores each text as a snapshot of one source, a version of the plan, with a coverage mention every other version. */
async function fill(store: SnapshotStore, texts: string[]): Promise<Filled> {
  const started = performance.now();
  const encoder = new TextEncoder();
  const lineage: Array<VersionRecord | WitnessRecord> = [];
  const coverage: MentionRecord[] = [];
  let clauses = 0;
  for (const [index, text] of texts.entries()) {
    const at = new Date(START + index * 3_600_000 * 7).toISOString();
    const clauseSet = parseClauses({ source: SOURCE, format: "text", text });
    clauses = clauseSet.clauses.length;
    const bodyHash = await store.putBody(encoder.encode(text));
    const record = await store.putSnapshot({
      sourceId: SOURCE,
      url: `https://example.test/plan/${index + 1}`,
      finalUrl: `https://example.test/plan/${index + 1}`,
      status: 200,
      fetchedAt: at,
      bodyHash,
      extractorVersion: "bench",
      contentType: "text/plain; charset=utf-8",
      clauseSet,
    });
    const id = `v${index + 1}`;
    lineage.push(
      {
        type: "version",
        planId: PLAN,
        id,
        fingerprint: record.clauseSetHash.slice(0, 24),
        firstSeen: at,
        sourceId: SOURCE,
        snapshotId: record.id,
        clauses: clauseSet.clauses.length,
        ...(index > 0 ? { parent: `v${index}` } : {}),
      },
      {
        type: "witness",
        planId: PLAN,
        version: id,
        sourceId: SOURCE,
        snapshotId: record.id,
        fingerprint: record.clauseSetHash.slice(0, 24),
        at,
        relation: "new-version",
      },
    );
    const clause = clauseSet.clauses[1 + (index % Math.max(1, clauseSet.clauses.length - 1))];
    if (index % 2 === 0 && clause) {
      coverage.push({
        type: "mention",
        planId: PLAN,
        at,
        sourceId: "desk",
        snapshotId: record.id,
        version: id,
        clauseKey: clause.key,
        passage: `The desk reports that point ${clause.key} reads: ${clause.text.slice(0, 160)}`,
        via: ["reference"],
        score: 0.8,
      });
    }
  }
  for (let at = 0; at < lineage.length; at += 200)
    await store.appendPlanLog(PLAN, "lineage", lineage.slice(at, at + 200));
  for (let at = 0; at < coverage.length; at += 200)
    await store.appendPlanLog(PLAN, "coverage", coverage.slice(at, at + 200));
  return { versions: texts.length, clauses, fillSeconds: (performance.now() - started) / 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Each page on a fresh server: its first request (cold), then the median of three (warm), and its size. */
async function timePages(store: SnapshotStore, pages: Record<string, string>): Promise<void> {
  const config = {
    storageDir: "/nonexistent",
    plans: [{ id: PLAN, title: "Bench plan" }],
    sources: [{ id: SOURCE, plan: PLAN, role: "draft", url: "https://example.test/plan" } as SourceConfig],
  } as Pick<Config, "storageDir" | "plans" | "sources">;
  for (const [name, path] of Object.entries(pages)) {
    const server = await startHistoryServer({
      config,
      store,
      port: 0,
      logger: createLogger({ level: "error", destination: process.stderr }),
    });
    try {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 4; i++) {
        const started = performance.now();
        const response = await fetch(`${server.url}${path}`);
        const body = await response.arrayBuffer();
        if (!response.ok) console.log(`  ${name} (${path}): HTTP ${response.status}`);
        times.push(response.ok ? performance.now() - started : Number.NaN);
        bytes = body.byteLength;
      }
      const [cold = Number.NaN, ...warm] = times;
      console.log(
        `  ${name.padEnd(34)} cold ${cold.toFixed(0).padStart(6)} ms   warm ${median(warm).toFixed(0).padStart(5)} ms   ${(bytes / 1024).toFixed(0).padStart(6)} KB   ${path}`,
      );
    } finally {
      await server.close();
    }
  }
}

async function withStore(run: (store: SnapshotStore) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "clausewatch-bench-history-"));
  try {
    const store = await openFsStore(dir, { fsync: false });
    try {
      await run(store);
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A word of the base text that occurs in a few clauses: what a researcher would look for. */
function searchWord(text: string): string {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/\p{L}{6,}/gu) ?? [])
    counts.set(word, (counts.get(word) ?? 0) + 1);
  return (
    [...counts].filter(([, n]) => n >= 2 && n <= 6).sort((a, b) => a[0].localeCompare(b[0]))[0]?.[0] ??
    "within"
  );
}

export async function runHistoryBench(): Promise<void> {
  const versions = Number(process.env.CLAUSEWATCH_BENCH_HISTORY_VERSIONS ?? 1000);
  await withStore(async (store) => {
    const random = mulberry32(28);
    // Points without sub-items: 28 clauses (and the title).
    const flat = (text: string): Unit[] => unitsOf(text).map((unit) => ({ ...unit, bullets: [] }));
    const base = flat(generatePair({ clauses: 28, seed: 28 }).oldText);
    const pool = flat(generatePair({ clauses: 40, seed: 29 }).oldText);
    const texts: string[] = [];
    let units = base;
    for (let v = 0; v < versions; v++) {
      texts.push(renderPlan(units));
      units = revise(random, units, pool, 1 + Math.floor(random() * 2), 28);
    }
    const filled = await fill(store, texts);
    console.log(
      `${filled.versions} versions of a 28-point plan (${filled.clauses - 1} points and the title in the newest), stored in ${filled.fillSeconds.toFixed(1)} s; times over HTTP`,
    );
    const word = searchWord(texts[0] ?? "");
    await timePages(store, {
      "plan timeline (page 1 of 20)": `/plans/${PLAN}`,
      "version page": `/plans/${PLAN}/versions/v${Math.ceil(versions / 2)}`,
      "map, newest 40 versions": `/plans/${PLAN}/map`,
      "map, 200 versions in one window": `/plans/${PLAN}/map?from=v1&columns=200`,
      [`search "${word}"`]: `/plans/${PLAN}/search?q=${encodeURIComponent(word)}`,
      "comparison newest two": `/plans/${PLAN}/compare/v${versions - 1}..v${versions}`,
      "comparison first → newest": `/plans/${PLAN}/compare/v1..v${versions}`,
    });
  });
  await withStore(async (store) => {
    const random = mulberry32(3000);
    const units = unitsOf(generatePair({ clauses: 2030, seed: 30 }).oldText);
    const pool = unitsOf(generatePair({ clauses: 60, seed: 31 }).oldText);
    let sections = Array.from({ length: Math.ceil(units.length / 20) }, (_, s) =>
      units.slice(s * 20, s * 20 + 20),
    );
    const texts: string[] = [];
    for (let v = 0; v < 20; v++) {
      texts.push(renderSections(sections));
      sections = sections.map((section) => (random() < 0.3 ? revise(random, section, pool, 1, 20) : section));
    }
    const filled = await fill(store, texts);
    console.log(
      `20 versions of a ${filled.clauses.toLocaleString("en-US")}-clause document (about 30 sections edited per version), stored in ${filled.fillSeconds.toFixed(1)} s`,
    );
    const word = searchWord(texts[0] ?? "");
    await timePages(store, {
      "plan timeline": `/plans/${PLAN}`,
      "version page": `/plans/${PLAN}/versions/v10`,
      "map, all 20 versions (rows page 1)": `/plans/${PLAN}/map`,
      "map, changed clauses only": `/plans/${PLAN}/map?rows=changed`,
      [`search "${word}"`]: `/plans/${PLAN}/search?q=${encodeURIComponent(word)}`,
      "comparison v19..v20": `/plans/${PLAN}/compare/v19..v20`,
      "comparison v1..v20": `/plans/${PLAN}/compare/v1..v20`,
    });
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runHistoryBench();
}
