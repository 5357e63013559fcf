/** Read-model records from store records: provenance, sightings, source references. */
import type { SourceConfig } from "../config/index.js";
import type { VersionRecord, WitnessRecord } from "../lineage/index.js";
import type { SnapshotRecord } from "../store/index.js";
import type { Provenance, SourceRef, WitnessSighting } from "./types.js";

export function provenanceOf(record: SnapshotRecord): Provenance {
  const optional = <K extends keyof Provenance>(key: K, value: Provenance[K] | undefined) =>
    value === undefined ? {} : { [key]: value };
  return {
    snapshotId: record.id,
    sourceId: record.sourceId,
    url: record.url,
    finalUrl: record.finalUrl,
    status: record.status,
    fetchedAt: record.fetchedAt,
    bodyHash: record.bodyHash,
    clauseSetHash: record.clauseSetHash,
    extractorVersion: record.extractorVersion,
    ...optional("contentType", record.contentType),
    ...optional("charset", record.charset),
    ...optional("etag", record.etag),
    ...optional("lastModified", record.lastModified),
  };
}

/** Clauses changed from the parent: everything but unchanged and renumbered. */
export function changedCount(summary: VersionRecord["summary"]): number {
  if (!summary) return 0;
  const { modified, removed, added, split, merged, moved } = summary;
  return modified + removed + added + split + merged + moved;
}

export function sighting(record: WitnessRecord): WitnessSighting {
  return {
    sourceId: record.sourceId,
    snapshotId: record.snapshotId,
    at: record.at,
    relation: record.relation,
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.departures ? { departures: record.departures } : {}),
  };
}

export function sourceRef(source: SourceConfig): SourceRef {
  return {
    id: source.id,
    ...(source.title ? { title: source.title } : {}),
    url: source.url,
    role: source.role,
    plan: source.plan,
  };
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const id = key(item);
    const group = groups.get(id);
    if (group) group.push(item);
    else groups.set(id, [item]);
  }
  return groups;
}
