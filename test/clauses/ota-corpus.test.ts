import { readFileSync } from "node:fs";
import { diffArrays } from "diff";
import { describe, expect, it } from "vitest";
import { parseClauses } from "../../src/clauses/index.js";
import { diffClauses, severityAtLeast } from "../../src/diff/index.js";
import type { Clause, ClauseSet } from "../../src/types.js";

/*
 * Real version histories of 27 terms and privacy documents (Open Terms Archive, ODC-By 1.0; see
 * ../shared/corpora/ota-contrib/PROVENANCE.txt). The archive's index says which versions are real
 * changes and which only re-extracted or re-marked the same wording.
 */

interface IndexVersion {
  file: string;
  kind: "first" | "change" | "markup" | "extraction" | "re-extraction";
}
interface IndexDocument {
  folder: string;
  versions: IndexVersion[];
}

const root = new URL("../../../shared/corpora/ota-contrib/", import.meta.url);
const index = JSON.parse(readFileSync(new URL("index.json", root), "utf8")) as IndexDocument[];

/** Words as a reader sees them, markup aside: an independent view of what changed. */
function visibleWords(markdown: string): string[] {
  const visible = markdown
    .replace(/!?\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)/g, " $1 ")
    .replace(/[*_#`>|\\]/g, " ");
  return visible.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function clauseWords(clause: Clause): string {
  return ` ${visibleWords(`${clause.printed} ${clause.heading ?? ""} ${clause.text}`).join(" ")} `;
}

/** Paths of the clauses holding each run of words the other version lacks. */
function changedPaths(runs: string[][], set: ClauseSet): Set<string> {
  const out = new Set<string>();
  for (const run of runs) {
    const probe = ` ${run.slice(0, 4).join(" ")} `;
    for (const clause of set.clauses) if (clauseWords(clause).includes(probe)) out.add(clause.key);
  }
  return out;
}

describe.each(index.map((document) => [document.folder, document] as const))("%s", (_, document) => {
  const texts = document.versions.map((version) =>
    readFileSync(new URL(`${document.folder}/${version.file}`, root), "utf8"),
  );
  const sets = texts.map((text, i) =>
    parseClauses({ source: document.versions[i]?.file ?? "", format: "markdown", text }),
  );

  it("places at least 99% of every version's words in clauses", () => {
    for (const set of sets) {
      expect(set.coverage.placed / set.coverage.words, set.source).toBeGreaterThanOrEqual(0.99);
    }
  });

  it("stays at cosmetic or below when only the archive's extraction or markup changed", () => {
    document.versions.forEach((version, i) => {
      if (i === 0 || (version.kind !== "extraction" && version.kind !== "markup")) return;
      const result = diffClauses(sets[i - 1] as ClauseSet, sets[i] as ClauseSet);
      const loud = result.entries.filter((entry) => severityAtLeast(entry.severity, "minor"));
      expect(
        loud.map((entry) => entry.headline),
        `${version.file} (${version.kind})`,
      ).toEqual([]);
    });
  });

  it("reports every change of wording above cosmetic, at a clause where the words changed", () => {
    document.versions.forEach((version, i) => {
      if (i === 0 || version.kind !== "change") return;
      const before = sets[i - 1] as ClauseSet;
      const after = sets[i] as ClauseSet;
      const parts = diffArrays(visibleWords(texts[i - 1] as string), visibleWords(texts[i] as string));
      const added = parts.filter((part) => part.added).map((part) => part.value);
      const removed = parts.filter((part) => part.removed).map((part) => part.value);
      // The archive counts some spacing and link-only edits as wording; a reader sees the same words.
      if (added.length + removed.length === 0) return;
      const truthNew = changedPaths(added, after);
      const truthOld = changedPaths(removed, before);

      const loud = diffClauses(before, after).entries.filter((entry) =>
        severityAtLeast(entry.severity, "minor"),
      );
      const located = loud.some(
        (entry) =>
          entry.new.some((path) => truthNew.has(path)) || entry.old.some((path) => truthOld.has(path)),
      );
      expect(loud.length, `${version.file}: nothing above cosmetic`).toBeGreaterThan(0);
      if (truthNew.size + truthOld.size > 0)
        expect(located, `${version.file}: no entry at ${[...truthNew, ...truthOld].slice(0, 5)}`).toBe(true);
    });
  });
});
