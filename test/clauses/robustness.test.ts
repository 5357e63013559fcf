import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffClauses, type Flag, severityAtLeast } from "../../src/diff/index.js";
import { readClauseSet } from "../../src/document.js";
import type { ClauseSet } from "../../src/types.js";

/*
 * Documents written independently of the engine's own fixtures, shaped like what a newsroom
 * diffs (bills, treaties, regulations, terms of service, counter-proposals, news pages), each
 * pair varying one or two things. The expected outcome is a human editor's reading, kept in
 * test/fixtures/heldout/expected.json.
 */

interface ExpectedChange {
  kind: string;
  old: string[];
  new: string[];
  severity: string;
  headline?: string;
  flags: string[];
  optionalFlags?: string[];
  details?: {
    number?: { old?: string[]; new?: string[] };
    entity?: { removed?: string[]; added?: string[] };
    modality?: { old?: string[]; new?: string[] };
  };
}

interface ExpectedPair {
  id: string;
  old: string;
  new: string;
  note: string;
  labels: { old: string[]; new: string[] };
  context: { old: string[]; new: string[] };
  changes: ExpectedChange[];
  renumbered: number;
  summary: Record<string, number>;
  exitCode: 0 | 1;
}

const fixtureUrl = (name: string) => new URL(`../fixtures/heldout/${name}`, import.meta.url);
const expected = JSON.parse(readFileSync(fixtureUrl("expected.json"), "utf8")) as { pairs: ExpectedPair[] };

function read(name: string): ClauseSet {
  return readClauseSet(readFileSync(fixtureUrl(name), "utf8"), { source: name });
}

function flagOf<T extends Flag["type"]>(
  flags: Flag[] | undefined,
  type: T,
): Extract<Flag, { type: T }> | undefined {
  return flags?.find((flag): flag is Extract<Flag, { type: T }> => flag.type === type);
}

function numberValues(flags: Flag[] | undefined, side: "old" | "new"): string[] {
  return (flags ?? []).flatMap((flag) => (flag.type === "number" && flag[side] ? [flag[side]] : []));
}

/** Entries a reader would list as changes: everything except untouched and plainly renumbered clauses. */
function changesOf(pair: ExpectedPair) {
  const result = diffClauses(read(pair.old), read(pair.new));
  const changes = result.entries.filter(
    (entry) =>
      entry.kind !== "unchanged" &&
      !(entry.kind === "renumbered" && !severityAtLeast(entry.severity, "minor")),
  );
  return { result, changes };
}

describe.each(expected.pairs)("held-out pair $id ($old → $new)", (pair) => {
  it("parses both versions into the clause paths a reader sees, every word placed", () => {
    const oldSet = read(pair.old);
    const newSet = read(pair.new);

    expect(oldSet.clauses.map((clause) => clause.key)).toEqual(pair.labels.old);
    expect(newSet.clauses.map((clause) => clause.key)).toEqual(pair.labels.new);
    expect(oldSet.clauses.filter((clause) => clause.context).map((clause) => clause.key)).toEqual(
      pair.context.old,
    );
    expect(newSet.clauses.filter((clause) => clause.context).map((clause) => clause.key)).toEqual(
      pair.context.new,
    );
    for (const set of [oldSet, newSet]) expect(set.coverage.placed).toBe(set.coverage.words);
  });

  it("reports exactly the changed clauses, by kind and old/new label, in new-version order", () => {
    const { changes } = changesOf(pair);

    const got = changes.map((entry) => ({ kind: entry.kind, old: entry.old, new: entry.new }));
    expect(got).toEqual(
      pair.changes.map((change) => ({ kind: change.kind, old: change.old, new: change.new })),
    );
  });

  it("flags each change with what changed in its meaning and rates its severity", () => {
    const { changes } = changesOf(pair);

    for (const want of pair.changes) {
      const entry = changes.find(
        (candidate) =>
          candidate.kind === want.kind &&
          candidate.old.join() === want.old.join() &&
          candidate.new.join() === want.new.join(),
      );
      expect(entry, `entry ${want.kind} ${want.old} → ${want.new}`).toBeDefined();
      if (!entry) continue;
      const types = (entry.flags ?? []).map((flag) => flag.type);
      const context = `${want.kind} ${want.old} → ${want.new}: ${JSON.stringify(entry.flags ?? [])}`;
      for (const type of want.flags) expect(types, context).toContain(type);
      const allowed = new Set([...want.flags, ...(want.optionalFlags ?? [])]);
      expect(
        types.filter((type) => !allowed.has(type)),
        context,
      ).toEqual([]);
      expect(entry.severity, context).toBe(want.severity);
      if (want.headline) expect(entry.headline, context).toBe(want.headline);

      const { number, entity, modality } = want.details ?? {};
      for (const value of number?.old ?? [])
        expect(numberValues(entry.flags, "old"), context).toContain(value);
      for (const value of number?.new ?? [])
        expect(numberValues(entry.flags, "new"), context).toContain(value);
      for (const name of entity?.removed ?? [])
        expect(flagOf(entry.flags, "entity")?.removed, context).toContain(name);
      for (const name of entity?.added ?? [])
        expect(flagOf(entry.flags, "entity")?.added, context).toContain(name);
      for (const word of modality?.old ?? [])
        expect(flagOf(entry.flags, "modality")?.old, context).toContain(word);
      for (const word of modality?.new ?? [])
        expect(flagOf(entry.flags, "modality")?.new, context).toContain(word);
    }
  });

  it("summarizes every clause once and exits as diff(1) would", () => {
    const { result } = changesOf(pair);

    const exitCode = result.entries.some((entry) => severityAtLeast(entry.severity, "minor")) ? 1 : 0;
    expect(result.summary).toEqual(pair.summary);
    expect(result.summary.renumbered).toBe(pair.renumbered);
    expect(exitCode).toBe(pair.exitCode);
  });
});
