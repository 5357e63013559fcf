/**
 * The comparison of two versions without its redlines: what the plan timeline, the clause ×
 * version map and the clause timeline need from every pair of versions, small enough to keep for
 * a thousand versions. The entries are the diff's own (`diffClauses`), so kinds, severities,
 * flags, headlines and anchors agree with the comparison page.
 */
import type { DiffEntry, DiffResult } from "../diff/index.js";
import { digestHeadline } from "../report/headline.js";
import { changeAnchor } from "./anchors.js";

export type EdgeEntry = Omit<DiffEntry, "redline"> & {
  /** The entry's anchor on the comparison page. */
  anchor: string;
};

export interface Edge {
  /** The digest headline of the comparison ("Point 26 rewritten (audit → amnesty); Point 3 removed"). */
  whatChanged: string;
  entries: EdgeEntry[];
  /** The entry holding each old path, and each new path. */
  byOld: Map<string, EdgeEntry>;
  byNew: Map<string, EdgeEntry>;
}

export function edgeFromDiff(diff: DiffResult, noun: string): Edge {
  const entries = diff.entries.map(({ redline: _redline, ...entry }) => ({
    ...entry,
    anchor: changeAnchor(entry),
  }));
  const byOld = new Map<string, EdgeEntry>();
  const byNew = new Map<string, EdgeEntry>();
  for (const entry of entries) {
    for (const key of entry.old) byOld.set(key, entry);
    for (const key of entry.new) byNew.set(key, entry);
  }
  return { whatChanged: digestHeadline(diff, { noun }), entries, byOld, byNew };
}
