/**
 * Research exports of one plan (`clausewatch export`): every version's clauses, the changes
 * between consecutive versions, and the citation fields of each version, as one JSON document
 * (`clausewatch.export/1`), JSON Lines, or CSV tables.
 */
import { upgradeClauseSet } from "../clauses/legacy.js";
import type { PlanConfig } from "../config/index.js";
import { type DiffEntry, diffClauses, type Flag } from "../diff/index.js";
import { readLineage, type VersionRecord, type WitnessRecord } from "../lineage/index.js";
import type { SnapshotStore, StoredSnapshot } from "../store/index.js";
import type { Clause, ClauseSet } from "../types.js";

export const EXPORT_SCHEMA = "clausewatch.export/1";

export type ExportFormat = "json" | "jsonl" | "csv";
export type ExportTable = "clauses" | "changes" | "versions";

/** One copy of a version seen by one source. */
export interface ExportWitness {
  sourceId: string;
  snapshotId: string;
  at: string;
  relation: WitnessRecord["relation"];
  reason?: WitnessRecord["reason"];
  departures?: string[];
}

/** A version with what a citation needs: which copy, from where, when, and its hashes. */
export interface ExportVersion {
  version: string;
  parent?: string;
  firstSeen: string;
  /** Hash of the clause keys and fingerprints (equal for typographically equal copies). */
  fingerprint: string;
  clauses: number;
  title?: string;
  style: ClauseSet["style"];
  /** The copy that first carried this text. */
  sourceId: string;
  snapshotId: string;
  /** sha256 hex of the raw body as fetched (before charset decoding). */
  bodySha256: string;
  clauseSetHash: string;
  url: string;
  finalUrl: string;
  status: number;
  fetchedAt: string;
  contentType?: string;
  charset?: string;
  extractorVersion: string;
  witnesses: ExportWitness[];
}

/** One clause of one version. */
export interface ExportClause {
  version: string;
  /** Position in the version, from 1. */
  position: number;
  /** The clause's path (`26`, `5.1(a)`, `Privacy ¶2`). */
  key: string;
  printed: string;
  kind: Clause["kind"];
  depth: number;
  parent?: string;
  /** Text around the document rather than of it (page prose, navigation). */
  context?: true;
  /** The clause's heading, then its own words (children are clauses of their own). */
  text: string;
  fingerprint: string;
}

/** One entry of the diff between two consecutive versions (unchanged clauses left out). */
export interface ExportChange {
  from: string;
  to: string;
  kind: DiffEntry["kind"];
  oldKeys: string[];
  newKeys: string[];
  severity: DiffEntry["severity"];
  similarity?: number;
  flags: Flag[];
}

export interface ExportDocument {
  schema: typeof EXPORT_SCHEMA;
  generatedAt: string;
  plan: { id: string; title: string; description?: string };
  versions: ExportVersion[];
  clauses: ExportClause[];
  changes: ExportChange[];
}

export interface BuildExportOptions {
  /** Clock for `generatedAt`. @default () => new Date() */
  now?: () => Date;
}

/** The plan's versions in the order they appeared (first seen), ties by their number. */
export function chronological(versions: VersionRecord[]): VersionRecord[] {
  const number = (id: string) => Number(id.replace(/^v/, "")) || 0;
  return [...versions].sort((a, b) => a.firstSeen.localeCompare(b.firstSeen) || number(a.id) - number(b.id));
}

/** A clause's words as a reader sees them: its heading, then its own text. */
export function clauseText(clause: Pick<Clause, "heading" | "text">): string {
  return [clause.heading ?? "", clause.text].filter((part) => part !== "").join("\n");
}

/** A version's clauses as export rows (document order, positions from 1). */
export function exportClauses(version: string, set: ClauseSet): ExportClause[] {
  return set.clauses.map((clause) => ({
    version,
    position: clause.index + 1,
    key: clause.key,
    printed: clause.printed,
    kind: clause.kind,
    depth: clause.depth,
    ...(clause.parent === undefined ? {} : { parent: clause.parent }),
    ...(clause.context ? { context: true as const } : {}),
    text: clauseText(clause),
    fingerprint: clause.fingerprint,
  }));
}

/**
 * A version as a plain-text outline — the title, then each clause on its own line, indented by
 * depth, with its label as printed (unnumbered items with a dash, prose as paragraphs) — that
 * reads back as the same clauses. The history view serves it as a version's normalized text.
 */
export function versionDocument(
  document: { versions: Array<Pick<ExportVersion, "version" | "title">>; clauses: ExportClause[] },
  version: string,
): string {
  const title = document.versions.find((candidate) => candidate.version === version)?.title;
  const lines: string[] = title ? [title, ""] : [];
  for (const clause of document.clauses) {
    if (clause.version !== version || clause.kind === "title") continue;
    const indent = "   ".repeat(clause.depth);
    const text = clause.text.replace(/\n/g, " ");
    if (clause.kind === "paragraph" || clause.kind === "row" || clause.kind === "contents") {
      lines.push("", `${indent}${text}`, "");
    } else if (clause.kind === "bullet") lines.push(`${indent}— ${text}`);
    else lines.push(`${indent}${clause.printed} ${text}`.trimEnd());
  }
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}

function citation(
  version: VersionRecord,
  snapshot: StoredSnapshot,
  witnesses: WitnessRecord[],
): ExportVersion {
  const set = snapshot.clauseSet;
  return {
    version: version.id,
    ...(version.parent ? { parent: version.parent } : {}),
    firstSeen: version.firstSeen,
    fingerprint: version.fingerprint,
    clauses: set.clauses.length,
    ...(set.title ? { title: set.title } : {}),
    style: set.style,
    sourceId: version.sourceId,
    snapshotId: snapshot.id,
    bodySha256: snapshot.bodyHash,
    clauseSetHash: snapshot.clauseSetHash,
    url: snapshot.url,
    finalUrl: snapshot.finalUrl,
    status: snapshot.status,
    fetchedAt: snapshot.fetchedAt,
    ...(snapshot.contentType ? { contentType: snapshot.contentType } : {}),
    ...(snapshot.charset ? { charset: snapshot.charset } : {}),
    extractorVersion: snapshot.extractorVersion,
    witnesses: witnesses
      .filter((witness) => witness.version === version.id)
      .map((witness) => ({
        sourceId: witness.sourceId,
        snapshotId: witness.snapshotId,
        at: witness.at,
        relation: witness.relation,
        ...(witness.reason ? { reason: witness.reason } : {}),
        ...(witness.departures ? { departures: witness.departures } : {}),
      })),
  };
}

/** Reads the plan's lineage and snapshots (never writes) and assembles the export document. */
export async function buildExport(
  store: SnapshotStore,
  plan: PlanConfig,
  options: BuildExportOptions = {},
): Promise<ExportDocument> {
  const records = await readLineage(store, plan.id);
  const versions = chronological(
    records.filter((record): record is VersionRecord => record.type === "version"),
  );
  const witnesses = records.filter((record): record is WitnessRecord => record.type === "witness");
  const snapshots: StoredSnapshot[] = [];
  for (const version of versions) {
    const snapshot = await store.getSnapshot(version.snapshotId);
    snapshots.push({ ...snapshot, clauseSet: upgradeClauseSet(snapshot.clauseSet) });
  }

  const document: ExportDocument = {
    schema: EXPORT_SCHEMA,
    generatedAt: (options.now?.() ?? new Date()).toISOString(),
    plan: { id: plan.id, title: plan.title, ...(plan.description ? { description: plan.description } : {}) },
    versions: [],
    clauses: [],
    changes: [],
  };
  for (const [index, version] of versions.entries()) {
    const snapshot = snapshots[index] as StoredSnapshot;
    document.versions.push(citation(version, snapshot, witnesses));
    document.clauses.push(...exportClauses(version.id, snapshot.clauseSet));
    const previous = index > 0 ? snapshots[index - 1] : undefined;
    const before = versions[index - 1];
    if (!previous || !before) continue;
    for (const entry of diffClauses(previous.clauseSet, snapshot.clauseSet).entries) {
      if (entry.kind === "unchanged") continue;
      document.changes.push({
        from: before.id,
        to: version.id,
        kind: entry.kind,
        oldKeys: entry.old,
        newKeys: entry.new,
        severity: entry.severity,
        ...(entry.similarity !== undefined ? { similarity: entry.similarity } : {}),
        flags: entry.flags ?? [],
      });
    }
  }
  return document;
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF, doubling its quotes. */
export function csvField(value: string | number | undefined): string {
  const text = value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(header: string[], rows: Array<Array<string | number | undefined>>): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}

/** One CSV table of the export; the first line is the header. */
export function exportCsv(document: ExportDocument, table: ExportTable = "clauses"): string {
  if (table === "changes") {
    return csv(
      ["from", "to", "kind", "old_keys", "new_keys", "severity", "similarity", "flag_types", "flags"],
      document.changes.map((change) => [
        change.from,
        change.to,
        change.kind,
        change.oldKeys.join(" "),
        change.newKeys.join(" "),
        change.severity,
        change.similarity,
        change.flags.map((flag) => flag.type).join(" "),
        change.flags.length > 0 ? JSON.stringify(change.flags) : "",
      ]),
    );
  }
  if (table === "versions") {
    return csv(
      [
        "version",
        "parent",
        "first_seen",
        "clauses",
        "fingerprint",
        "source_id",
        "snapshot_id",
        "body_sha256",
        "clause_set_hash",
        "url",
        "final_url",
        "status",
        "fetched_at",
        "content_type",
        "charset",
        "extractor_version",
        "witnesses",
      ],
      document.versions.map((version) => [
        version.version,
        version.parent,
        version.firstSeen,
        version.clauses,
        version.fingerprint,
        version.sourceId,
        version.snapshotId,
        version.bodySha256,
        version.clauseSetHash,
        version.url,
        version.finalUrl,
        version.status,
        version.fetchedAt,
        version.contentType,
        version.charset,
        version.extractorVersion,
        [...new Set(version.witnesses.map((witness) => witness.sourceId))].join(" "),
      ]),
    );
  }
  const byVersion = new Map(document.versions.map((version) => [version.version, version]));
  return csv(
    [
      "version",
      "first_seen",
      "snapshot_id",
      "position",
      "path",
      "parent",
      "depth",
      "kind",
      "context",
      "printed",
      "text",
      "fingerprint",
    ],
    document.clauses.map((clause) => [
      clause.version,
      byVersion.get(clause.version)?.firstSeen,
      byVersion.get(clause.version)?.snapshotId,
      clause.position,
      clause.key,
      clause.parent,
      clause.depth,
      clause.kind,
      clause.context ? "yes" : "",
      clause.printed,
      clause.text,
      clause.fingerprint,
    ]),
  );
}

/** JSON Lines: an `export` header record, then `version`, `clause` and `change` records, one per line. */
export function exportJsonl(document: ExportDocument): string {
  const { versions, clauses, changes, ...header } = document;
  const lines = [
    { type: "export", ...header },
    ...versions.map((version) => ({ type: "version", ...version })),
    ...clauses.map((clause) => ({ type: "clause", ...clause })),
    ...changes.map((change) => ({ type: "change", ...change })),
  ];
  return lines.map((line) => `${JSON.stringify(line)}\n`).join("");
}

/** The export in one format (`table` only matters for CSV). */
export function formatExport(
  document: ExportDocument,
  format: ExportFormat,
  table: ExportTable = "clauses",
): string {
  if (format === "csv") return exportCsv(document, table);
  if (format === "jsonl") return exportJsonl(document);
  return `${JSON.stringify(document, null, 2)}\n`;
}
