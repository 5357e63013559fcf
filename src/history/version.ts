/** One version as a document: the read model behind `/plans/:plan/versions/:v`. */
import type { VersionRecord } from "../lineage/index.js";
import { clauseNoun, outlineSize } from "../report/headline.js";
import { clauseAnchor } from "./anchors.js";
import { citationLine } from "./cite.js";
import { exportClauses, versionDocument } from "./export.js";
import type { CompareSide, VersionClause, VersionCopy, VersionView } from "./types.js";

export interface VersionViewInput {
  planId: string;
  planTitle: string;
  side: CompareSide;
  /** The plan's versions in order of first sight. */
  chronological: VersionRecord[];
  /** The digest headline of the comparison with the parent. */
  whatChanged?: string;
  witnesses: VersionCopy[];
  divergent: VersionCopy[];
}

/** "v2", or "snapshot 0123456789abcdef" for a copy the lineage never judged. */
export function sideName(side: Pick<CompareSide, "version" | "snapshotId">): string {
  return side.version ?? `snapshot ${side.snapshotId}`;
}

export function buildVersionView(input: VersionViewInput): VersionView {
  const { side, chronological } = input;
  const set = side.clauseSet;
  const index = chronological.findIndex((version) => version.id === side.version);
  const record = index >= 0 ? chronological[index] : undefined;
  const previous = index > 0 ? chronological[index - 1] : undefined;
  const next = index >= 0 ? chronological[index + 1] : undefined;
  const firstSeen = record?.firstSeen ?? side.provenance.fetchedAt;
  const clauses = set.clauses.map(
    (clause): VersionClause => ({
      key: clause.key,
      anchor: clauseAnchor(clause.key),
      printed: clause.printed,
      kind: clause.kind,
      depth: clause.depth,
      ...(clause.parent === undefined ? {} : { parent: clause.parent }),
      ...(clause.heading ? { heading: clause.heading } : {}),
      text: clause.text,
      ...(clause.context ? { context: true as const } : {}),
      ...(clause.page === undefined ? {} : { page: clause.page }),
    }),
  );
  return {
    planId: input.planId,
    planTitle: input.planTitle,
    ...(side.version ? { version: side.version } : {}),
    ref: side.ref,
    snapshotId: side.snapshotId,
    sourceId: side.sourceId,
    firstSeen,
    ...(record?.parent ? { parent: record.parent } : {}),
    ...(previous ? { previous: previous.id } : {}),
    ...(next ? { next: next.id } : {}),
    ...(input.whatChanged ? { whatChanged: input.whatChanged } : {}),
    provenance: side.provenance,
    ...(set.outline === undefined ? {} : { outline: set.outline }),
    ...(set.title ? { title: set.title } : {}),
    noun: clauseNoun(set),
    size: outlineSize(set),
    coverage: set.coverage,
    warnings: set.warnings,
    ...(set.deleted?.length ? { deleted: set.deleted } : {}),
    witnesses: input.witnesses,
    divergent: input.divergent,
    clauses,
    citation: citationLine({
      planTitle: input.planTitle,
      label: sideName(side),
      url: side.provenance.url,
      firstSeen,
      snapshotId: side.snapshotId,
      bodyHash: side.provenance.bodyHash,
    }),
  };
}

/** The version's normalized text as a plain-text outline (the export's own writer). */
export function versionPlainText(side: CompareSide): string {
  const label = sideName(side);
  return versionDocument(
    {
      versions: [{ version: label, ...(side.clauseSet.title ? { title: side.clauseSet.title } : {}) }],
      clauses: exportClauses(label, side.clauseSet),
    },
    label,
  );
}
