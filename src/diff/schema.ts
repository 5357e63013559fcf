import { z } from "zod";
import { severities } from "./severity.js";

/*
 * The published diff contract (`clausewatch diff --format json`, schema `clausewatch.diff/2`).
 * `config/diff.schema.json` is generated from these definitions; a test keeps it current.
 */

export const entryKinds = [
  "unchanged",
  "renumbered",
  "moved",
  "modified",
  "added",
  "removed",
  "split",
  "merged",
] as const;

export const EntryKind = z.enum(entryKinds);
export type EntryKind = z.infer<typeof EntryKind>;
export const Severity = z.enum(severities);
export type Severity = z.infer<typeof Severity>;

export const RedlineOp = z.object({
  op: z.enum(["equal", "delete", "insert"]),
  text: z.string(),
});
export type RedlineOp = z.infer<typeof RedlineOp>;

const NumberFlag = z
  .object({
    type: z.literal("number"),
    old: z
      .string()
      .optional()
      .describe("The figure as printed in the old version; absent when the figure was added"),
    new: z
      .string()
      .optional()
      .describe("The figure as printed in the new version; absent when the figure was dropped"),
    context: z.string().optional().describe("The word the figure counts (personnel, days, billion …)"),
  })
  .describe("A quantity added, removed or changed");
const EntityFlag = z
  .object({ type: z.literal("entity"), removed: z.array(z.string()), added: z.array(z.string()) })
  .describe("A named party, place or body added or removed");
const ReferenceFlag = z
  .object({
    type: z.literal("reference"),
    removed: z.array(z.string()),
    added: z.array(z.string()),
    renumbered: z
      .literal(true)
      .optional()
      .describe(
        "The references follow the clauses they cite to their new numbers: they still cite the same clauses",
      ),
  })
  .describe("A cross-reference changed (Article 5, point 3, Resolution 2202): what the clause points to");
const ObligationFlag = z
  .object({ type: z.literal("obligation"), removed: z.array(z.string()), added: z.array(z.string()) })
  .describe("An obligation or right (what a party will, must or may do) added or removed");
const NegationFlag = z
  .object({ type: z.literal("negation"), removed: z.array(z.string()), added: z.array(z.string()) })
  .describe("Negation cues (not, no, never, without, except …) added or removed");
const ConditionFlag = z
  .object({ type: z.literal("condition"), removed: z.array(z.string()), added: z.array(z.string()) })
  .describe(
    "A condition set on the clause (if …, provided that …, as long as …, after giving …) added or removed",
  );
const ModalityFlag = z
  .object({ type: z.literal("modality"), old: z.array(z.string()), new: z.array(z.string()) })
  .describe("Obligation, permission or expectation changed (will ↔ may ↔ is expected to)");
const RewriteFlag = z
  .object({ type: z.literal("rewrite") })
  .describe("Aligned by position, but the meaning was replaced: little wording in common");
const TermsFlag = z
  .object({
    type: z.literal("terms"),
    removed: z.array(z.string()),
    added: z.array(z.string()),
    swapped: z
      .boolean()
      .optional()
      .describe("Key terms were replaced by others of different meaning (audit → amnesty): substantive"),
  })
  .describe("Content words removed and added, as printed (synonyms and inflections set aside)");

export const Flag = z.discriminatedUnion("type", [
  NumberFlag,
  EntityFlag,
  ReferenceFlag,
  NegationFlag,
  ModalityFlag,
  ObligationFlag,
  ConditionFlag,
  RewriteFlag,
  TermsFlag,
]);
export type Flag = z.infer<typeof Flag>;
export type FlagType = Flag["type"];

export const DiffEntry = z.object({
  kind: EntryKind,
  old: z.array(z.string()).describe("Paths of the old clauses in this entry (`5.1(a)`, `Privacy ¶2`)"),
  new: z.array(z.string()).describe("Paths of the new clauses in this entry"),
  parent: z
    .string()
    .optional()
    .describe("Path of the enclosing clause (in the new version; in the old one for a removed clause)"),
  depth: z.number().int().min(0).describe("Outline depth of the clause, 0 at the top"),
  severity: Severity,
  headline: z.string().optional().describe("One line naming what changed, for alerts and summaries"),
  context: z
    .literal(true)
    .optional()
    .describe(
      "Text around the document (page prose around an embedded list, a table of contents): at most minor",
    ),
  similarity: z.number().min(0).max(1).optional().describe("Word similarity of old and new text (0–1)"),
  flags: z.array(Flag).optional(),
  redline: z.array(RedlineOp).optional().describe("Word-level redline from old to new text"),
  pages: z
    .object({ old: z.number().int().optional(), new: z.number().int().optional() })
    .optional()
    .describe("Pages of paginated sources (PDF) where the clauses stand"),
});
export type DiffEntry = z.infer<typeof DiffEntry>;

export const OutlineWarning = z.object({
  code: z.enum([
    "numbering-gap",
    "duplicate-label",
    "unplaced-text",
    "shorter-copy",
    "stale-reference",
    "left-out-clause",
    "deleted-placeholder",
    "page-furniture",
    "line-numbers",
    "flat-markup",
  ]),
  message: z.string(),
  at: z.string().optional().describe("Path of the clause the warning is about"),
  missing: z.array(z.string()).optional().describe("Numbering gaps: the labels the copy lacks"),
});

const Side = z.object({
  source: z.string(),
  clauses: z.number().int().min(0),
  title: z.string().optional(),
  coverage: z
    .object({ words: z.number().int().min(0), placed: z.number().int().min(0) })
    .describe("Words of the main content, and how many landed in clauses"),
  warnings: z.array(OutlineWarning),
});

export const DiffSummary = z.object({
  unchanged: z.number().int(),
  modified: z.number().int(),
  removed: z.number().int(),
  added: z.number().int(),
  split: z.number().int(),
  merged: z.number().int(),
  moved: z.number().int(),
  renumbered: z.number().int(),
});
export type DiffSummary = z.infer<typeof DiffSummary>;

export const DiffResult = z.object({
  schema: z.literal("clausewatch.diff/2"),
  old: Side,
  new: Side,
  summary: DiffSummary,
  severity: Severity.describe("The highest severity of any entry"),
  entries: z.array(DiffEntry),
});
export type DiffResult = z.infer<typeof DiffResult>;

export function diffJsonSchema(): object {
  return z.toJSONSchema(DiffResult, { target: "draft-2020-12" });
}
