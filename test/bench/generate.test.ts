import { describe, expect, it } from "vitest";
import { defaultShares, type FateKind, generatePair, mulberry32 } from "../../bench/generate.js";
import { parseClauses } from "../../src/clauses/index.js";

/** Clause number → its lines (label stripped), read with a plain splitter independent of the engine. */
function clausesOf(text: string): Map<number, string> {
  const out = new Map<number, string>();
  let current: number | undefined;
  for (const line of text.split("\n")) {
    const labelled = /^(\d+)\. (.*)$/.exec(line);
    if (labelled) {
      current = Number(labelled[1]);
      out.set(current, labelled[2] as string);
    } else if (current !== undefined && line.startsWith("— ")) {
      out.set(current, `${out.get(current)}\n${line}`);
    }
  }
  return out;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/^— /gm, "")
    .split(/[\s.,;:]+/)
    .filter((word) => word !== "");
}

function oldNumbersOf(kind: FateKind, fates: Record<number, { kind: FateKind; new: number[] }>): number[] {
  return Object.entries(fates)
    .filter(([, fate]) => fate.kind === kind)
    .map(([number]) => Number(number));
}

describe("mulberry32", () => {
  it("yields the same sequence for the same seed and numbers in [0, 1)", () => {
    const first = mulberry32(42);
    const second = mulberry32(42);

    const a = Array.from({ length: 1000 }, () => first());
    const b = Array.from({ length: 1000 }, () => second());

    expect(a).toEqual(b);
    expect(a.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(990);
  });
});

describe("generatePair", () => {
  const clauses = 1000;
  const pair = generatePair({ clauses, seed: 7 });
  const olds = clausesOf(pair.oldText);
  const news = clausesOf(pair.newText);
  const { fates, added } = pair.truth;

  it("produces byte-identical documents and truth for the same seed, different ones for another seed", () => {
    const again = generatePair({ clauses, seed: 7 });
    const other = generatePair({ clauses, seed: 8 });

    expect(again).toEqual(pair);
    expect(other.oldText).not.toBe(pair.oldText);
  });

  it("numbers both documents 1..N with no gap, and the truth covers every old clause", () => {
    const newCount = news.size;

    expect([...olds.keys()]).toEqual(Array.from({ length: clauses }, (_, i) => i + 1));
    expect([...news.keys()]).toEqual(Array.from({ length: newCount }, (_, i) => i + 1));
    expect(Object.keys(fates).map(Number)).toEqual([...olds.keys()]);
  });

  it("accounts for every new clause exactly once (a merged pair shares its one new clause)", () => {
    const claims = new Map<number, number>();
    for (const fate of Object.values(fates)) {
      for (const number of fate.new) claims.set(number, (claims.get(number) ?? 0) + 1);
    }
    for (const number of added) claims.set(number, (claims.get(number) ?? 0) + 1);
    const merged = new Set(oldNumbersOf("merged", fates).flatMap((n) => fates[n]?.new ?? []));

    expect([...claims.keys()].sort((x, y) => x - y)).toEqual([...news.keys()]);
    for (const [number, count] of claims) expect(count).toBe(merged.has(number) ? 2 : 1);
  });

  it("keeps unchanged and moved clauses' text identical and gives removed ones no new clause", () => {
    const kept = [...oldNumbersOf("unchanged", fates), ...oldNumbersOf("moved", fates)];

    for (const number of kept) {
      const fate = fates[number];
      expect(fate?.new).toHaveLength(1);
      expect(news.get(fate?.new[0] as number)).toBe(olds.get(number));
    }
    for (const number of oldNumbersOf("removed", fates)) expect(fates[number]?.new).toEqual([]);
  });

  it("moves clauses far from where they stood", () => {
    const moved = oldNumbersOf("moved", fates);

    expect(moved.length).toBeGreaterThan(0);
    for (const number of moved) {
      const target = fates[number]?.new[0] as number;
      expect(Math.abs(target - number)).toBeGreaterThanOrEqual(clauses * 0.2);
    }
  });

  it("edits modified clauses lightly: the text differs but most words survive", () => {
    for (const number of oldNumbersOf("modified", fates)) {
      const before = words(olds.get(number) as string);
      const after = words(news.get(fates[number]?.new[0] as number) as string);
      const shared = after.filter((word) => before.includes(word)).length;

      expect(after.join(" ")).not.toBe(before.join(" "));
      expect(shared / Math.max(before.length, after.length)).toBeGreaterThan(0.8);
    }
  });

  it("splits a clause into two adjacent ones and merges two adjacent ones, words kept in order", () => {
    for (const number of oldNumbersOf("split", fates)) {
      const [first, second] = fates[number]?.new ?? [];
      expect(second).toBe((first as number) + 1);
      const parts = [...words(news.get(first as number) ?? ""), ...words(news.get(second as number) ?? "")];
      expect(parts).toEqual(words(olds.get(number) as string));
    }
    const mergedOld = oldNumbersOf("merged", fates);
    for (let i = 0; i < mergedOld.length; i += 2) {
      const [a, b] = [mergedOld[i] as number, mergedOld[i + 1] as number];
      expect(b).toBe(a + 1);
      expect(fates[b]?.new).toEqual(fates[a]?.new);
      const merged = words(news.get(fates[a]?.new[0] as number) as string);
      expect(merged).toEqual([...words(olds.get(a) as string), ...words(olds.get(b) as string)]);
    }
  });

  it("gives each kind of change its target share of clauses, within 20%", () => {
    const count = (kind: FateKind) => oldNumbersOf(kind, fates).length;
    const targets: Array<[number, number]> = [
      [count("modified"), defaultShares.modified * clauses],
      [count("moved"), defaultShares.moved * clauses],
      [count("split"), defaultShares.split * clauses],
      [count("merged"), defaultShares.merged * clauses],
      [count("removed"), defaultShares.removed * clauses],
      [added.length, defaultShares.added * clauses],
    ];
    const changed = clauses - count("unchanged");

    for (const [actual, target] of targets) {
      expect(actual).toBeGreaterThanOrEqual(target * 0.8);
      expect(actual).toBeLessThanOrEqual(target * 1.2);
    }
    expect(changed / clauses).toBeGreaterThan(0.15);
    expect(changed / clauses).toBeLessThan(0.25);
  });

  it("writes clauses of 20–60 words, some with 2–4 em-dash sub-items, figures and modal verbs", () => {
    const texts = [...olds.values()];
    const itemCounts = texts.map((text) => text.split("\n").length - 1).filter((n) => n > 0);
    const lengths = texts.map((text) => words(text).length);

    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(62);
    expect(itemCounts.length).toBeGreaterThan(clauses * 0.05);
    expect(itemCounts.every((n) => n >= 2 && n <= 4)).toBe(true);
    expect(pair.oldText).toMatch(/\b\d{1,3}(,\d{3})+\b/);
    expect(pair.oldText).toMatch(/\$\d+ billion/);
    expect(pair.oldText).toMatch(/\b(will|shall|may|must) /);
  });

  it("reads back through the clause parser with the same clause counts", () => {
    const small = generatePair({ clauses: 300, seed: 11 });

    const oldSet = parseClauses({ source: "old.txt", format: "text", text: small.oldText });
    const newSet = parseClauses({ source: "new.txt", format: "text", text: small.newText });

    const points = (set: typeof oldSet) =>
      set.clauses.filter((clause) => clause.depth === 0 && clause.kind === "numbered");
    expect(points(oldSet)).toHaveLength(300);
    expect(points(newSet)).toHaveLength(clausesOf(small.newText).size);
    const withItems = new Set(
      oldSet.clauses.filter((clause) => clause.parent !== undefined).map((c) => c.parent),
    );
    expect(withItems.size).toBe(
      [...clausesOf(small.oldText).values()].filter((text) => text.includes("\n")).length,
    );
  });
});
