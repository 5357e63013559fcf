import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type DiffEntry, diffClauses } from "../../src/diff/index.js";
import { readClauseSet } from "../../src/document.js";

interface TruthChange {
  kind: DiffEntry["kind"];
  old: string[];
  new: string[];
  severity: DiffEntry["severity"];
  headline: string;
  context?: true;
  flags: string[];
  optionalFlags?: string[];
}
interface TruthPair {
  old: string;
  new: string;
  clauses: { old: number; new: number };
  changes: TruthChange[];
  summary: Record<string, number>;
  exitCode: number;
}

const dir = new URL("../fixtures/plan/", import.meta.url);
const truth = JSON.parse(readFileSync(new URL("truth.json", dir), "utf8")) as { pairs: TruthPair[] };
const load = (name: string) => readClauseSet(readFileSync(new URL(name, dir), "utf8"), { source: name });

describe.each(truth.pairs.map((pair) => [`${pair.old} → ${pair.new}`, pair] as const))("%s", (_, pair) => {
  const result = diffClauses(load(pair.old), load(pair.new));

  it("counts clauses and changes of each kind as the fixture's truth says", () => {
    expect({ old: result.old.clauses, new: result.new.clauses }).toEqual(pair.clauses);
    expect(result.summary).toEqual(pair.summary);
  });

  it("reports each true change with its kind, paths, severity, headline and required flags", () => {
    for (const change of pair.changes) {
      const entry = result.entries.find(
        (candidate) =>
          candidate.kind === change.kind &&
          candidate.old.join() === change.old.join() &&
          candidate.new.join() === change.new.join(),
      );
      const what = `${change.kind} ${change.old} → ${change.new}`;
      expect(entry, what).toBeDefined();
      expect(entry?.severity, what).toBe(change.severity);
      expect(entry?.headline, what).toBe(change.headline);
      expect(entry?.context, what).toBe(change.context);
      const types = (entry?.flags ?? []).map((flag) => flag.type);
      for (const flag of change.flags) expect(types, `${what} flag ${flag}`).toContain(flag);
      const allowed = new Set([...change.flags, ...(change.optionalFlags ?? [])]);
      expect(
        types.filter((type) => !allowed.has(type)),
        what,
      ).toEqual([]);
    }
  });

  it("keeps every other clause quiet and exits like diff(1)", () => {
    const reported = new Set(pair.changes.map((change) => `${change.kind}:${change.old}:${change.new}`));
    const quiet = result.entries.filter((entry) => !reported.has(`${entry.kind}:${entry.old}:${entry.new}`));

    expect(quiet.every((entry) => entry.kind === "unchanged" || entry.kind === "renumbered")).toBe(true);
    expect(quiet.every((entry) => entry.severity === "none" || entry.severity === "cosmetic")).toBe(true);
    expect(result.severity === "minor" || result.severity === "substantive" ? 1 : 0).toBe(pair.exitCode);
  });

  it("places every clause of both versions in exactly one entry, in new order", () => {
    const olds = result.entries.flatMap((entry) => entry.old).sort();
    const news = result.entries.flatMap((entry) => entry.new);

    expect(olds).toEqual(
      load(pair.old)
        .clauses.map((clause) => clause.key)
        .sort(),
    );
    expect(news).toEqual(load(pair.new).clauses.map((clause) => clause.key));
  });
});

describe("the point-26 rewrite", () => {
  const result = diffClauses(load("v1-draft.txt"), load("v2-amnesty.txt"));
  const entry = result.entries.find((candidate) => candidate.old[0] === "26");

  it("is one modified entry flagged as a rewrite with the audit → amnesty terms", () => {
    expect(entry).toMatchObject({ kind: "modified", old: ["26"], new: ["26"], severity: "substantive" });
    expect(entry?.similarity).toBeLessThan(0.3);
    const terms = entry?.flags?.find((flag) => flag.type === "terms");
    expect(terms).toMatchObject({ type: "terms" });
    if (terms?.type !== "terms") return;
    expect(terms.removed).toContain("audit");
    expect(terms.added).toContain("amnesty");
  });

  it("carries a redline whose deleted words come from the old text and inserted words from the new", () => {
    const deleted =
      entry?.redline
        ?.filter((op) => op.op === "delete")
        .map((op) => op.text)
        .join("") ?? "";
    const inserted =
      entry?.redline
        ?.filter((op) => op.op === "insert")
        .map((op) => op.text)
        .join("") ?? "";

    expect(deleted).toMatch(/audit/);
    expect(inserted).toMatch(/amnesty/);
    expect(deleted).not.toMatch(/amnesty/);
    // A replaced meaning is shown whole: the old text struck, the new inserted.
    expect(entry?.redline?.map((op) => op.op)).toEqual(["delete", "insert"]);
  });
});

describe("the counter-proposal", () => {
  const result = diffClauses(load("v2-amnesty.txt"), load("counter.txt"));
  const byOld = (key: string) => result.entries.find((entry) => entry.old.includes(key));

  it("reports the troop cap as a figure change with the figures as printed", () => {
    expect(byOld("6")?.flags).toContainEqual({
      type: "number",
      old: "600,000",
      new: "800,000",
      context: "people",
    });
    expect(byOld("6")?.headline).toBe("Point 6 (now 5): 600,000 → 800,000 people");
  });

  it("reports will → may as a modality change of point 26", () => {
    expect(byOld("26")?.flags).toContainEqual({
      type: "modality",
      old: ["will", "will"],
      new: ["may", "may"],
    });
  });

  it("reports the dropped 100-day deadline as a figure removed", () => {
    expect(byOld("25")?.flags).toContainEqual({ type: "number", old: "100", context: "days" });
  });

  it("places removed points where they stood", () => {
    const order = result.entries.map(
      (entry) => `${entry.old.join("+") || "-"}>${entry.new.join("+") || "-"}`,
    );

    expect(order.slice(0, 5)).toEqual(["Title>Title", "1>1", "2>2", "3>-", "4>3"]);
  });
});
