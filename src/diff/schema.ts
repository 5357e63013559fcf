import { z } from "zod";

/*
 * The published diff contract (`clausewatch diff --format json`, schema `clausewatch.diff/1`).
 * `schemas/diff.schema.json` is generated from these definitions; a test keeps it current.
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
export const severities = ["none", "cosmetic", "minor", "substantive"] as const;

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
const NegationFlag = z
  .object({ type: z.literal("negation"), removed: z.array(z.string()), added: z.array(z.string()) })
  .describe("Negation cues (not, no, never, without, except …) added or removed");
const ModalityFlag = z
  .object({ type: z.literal("modality"), old: z.array(z.string()), new: z.array(z.string()) })
  .describe("Obligation, permission or expectation changed (will ↔ may ↔ is expected to)");
const RewriteFlag = z
  .object({ type: z.literal("rewrite") })
  .describe("Aligned by position, but the meaning was replaced: little wording in common");
const TermsFlag = z
  .object({ type: z.literal("terms"), removed: z.array(z.string()), added: z.array(z.string()) })
  .describe("Key content words removed and added");

export const Flag = z.discriminatedUnion("type", [
  NumberFlag,
  EntityFlag,
  NegationFlag,
  ModalityFlag,
  RewriteFlag,
  TermsFlag,
]);
export type Flag = z.infer<typeof Flag>;
export type FlagType = Flag["type"];

export const DiffEntry = z.object({
  kind: EntryKind,
  old: z.array(z.string()).describe("Keys (labels) of the old clauses in this entry"),
  new: z.array(z.string()).describe("Keys (labels) of the new clauses in this entry"),
  severity: Severity,
  similarity: z.number().min(0).max(1).optional().describe("Word similarity of old and new text (0–1)"),
  flags: z.array(Flag).optional(),
  redline: z.array(RedlineOp).optional().describe("Word-level redline from old to new text"),
});
export type DiffEntry = z.infer<typeof DiffEntry>;

const Side = z.object({
  source: z.string(),
  clauses: z.number().int().min(0),
  title: z.string().optional(),
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
  schema: z.literal("clausewatch.diff/1"),
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
