/**
 * How much of a new copy each known version shares, found from the lineage records alone: each
 * version record keeps its clause fingerprints as the change from its parent's, so the share of
 * every version follows from its parent's by counting a few fingerprints. The shares are exactly
 * those of the versions' clause sets (a sampled sketch such as MinHash could not tell apart
 * versions one clause apart in a 300-clause document, and would change which versions are
 * diffed), while only the candidates' clause sets are loaded.
 */
import type { ClauseSet } from "../types.js";
import type { VersionFingerprints, VersionRecord } from "./types.js";

/** The document's clause fingerprints: what two copies share, found without a diff. */
export function documentFingerprints(set: ClauseSet): Set<string> {
  return new Set(
    set.clauses.filter((clause) => !clause.context && clause.kind !== "title").map((c) => c.fingerprint),
  );
}

/** Clauses shared, over the larger of the two documents. */
function shareOf(shared: number, size: number, copySize: number): number {
  if (size === 0 || copySize === 0) return 0;
  return shared / Math.max(size, copySize);
}

function countIn(values: Iterable<string>, set: Set<string>): number {
  let count = 0;
  for (const value of values) if (set.has(value)) count++;
  return count;
}

const split = (list: string | undefined) => (list ? list.split(" ") : []);

/**
 * What a new version records: its fingerprints relative to its parent's, or all of them when it
 * has no parent (or the parent was read differently, or the change is larger than the whole).
 */
export function versionFingerprints(
  fingerprints: Set<string>,
  outline: number,
  parent?: { id: string; fingerprints: Set<string>; outline: number | undefined },
): VersionFingerprints {
  const whole = { outline, added: [...fingerprints].join(" ") };
  if (!parent || parent.outline !== outline) return whole;
  const added = [...fingerprints].filter((value) => !parent.fingerprints.has(value));
  const dropped = [...parent.fingerprints].filter((value) => !fingerprints.has(value));
  if (added.length + dropped.length >= fingerprints.size) return whole;
  return {
    outline,
    base: parent.id,
    added: added.join(" "),
    ...(dropped.length > 0 ? { dropped: dropped.join(" ") } : {}),
  };
}

interface Counts {
  size: number;
  shared: number;
}

/**
 * The share of the copy's fingerprints each version has, in the order given. A version whose
 * record keeps no fingerprints for the copy's reading — written before they were kept, under an
 * older reader, or relative to a version not in the log — has its clause set loaded instead
 * (`load`); the log is never rewritten to add them.
 */
export async function versionShares(
  versions: VersionRecord[],
  copy: Set<string>,
  outline: number | undefined,
  load: (version: VersionRecord) => Promise<Set<string>>,
): Promise<number[]> {
  const kept = (version: VersionRecord) =>
    outline !== undefined && version.clauseFingerprints?.outline === outline
      ? version.clauseFingerprints
      : undefined;
  const loaded = new Map(
    await Promise.all(
      versions
        .filter((version) => !kept(version))
        .map(async (version) => [version.id, await load(version)] as const),
    ),
  );
  const counts = new Map<string, Counts>();
  const shares: number[] = [];
  for (const version of versions) {
    const record = kept(version);
    const base = record?.base === undefined ? { size: 0, shared: 0 } : counts.get(record.base);
    let found: Counts | undefined;
    if (record && base) {
      const added = split(record.added);
      const dropped = split(record.dropped);
      found = {
        size: base.size + added.length - dropped.length,
        shared: base.shared + countIn(added, copy) - countIn(dropped, copy),
      };
    } else {
      const set = loaded.get(version.id) ?? (await load(version));
      found = { size: set.size, shared: countIn(set, copy) };
    }
    counts.set(version.id, found);
    shares.push(shareOf(found.shared, found.size, copy.size));
  }
  return shares;
}
