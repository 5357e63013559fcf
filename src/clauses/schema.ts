import { z } from "zod";

/*
 * The published outline contract (`clausewatch clauses --format json`, schema
 * `clausewatch.outline/1`). `config/outline.schema.json` is generated from it; a test keeps it current.
 */

export const OutlineClause = z.object({
  path: z
    .string()
    .describe("Stable path of the clause (`5.1(a)`, `Article 3(2)(b)`, `Privacy ¶2`, `Preamble`)"),
  label: z
    .string()
    .nullable()
    .describe("The number or letter as printed, without punctuation; null when unnumbered"),
  depth: z.number().int().min(0).describe("Depth in the outline, 0 at the top"),
  heading: z.string().nullable().describe("The clause's heading or title, when it has one"),
  text: z.string().describe("The clause's own words (not its children's)"),
  kind: z.enum(["title", "heading", "numbered", "bullet", "paragraph", "row", "contents"]),
  parent: z.string().nullable().describe("Path of the enclosing clause; null at the top"),
  context: z
    .boolean()
    .describe(
      "Text around the document (page prose around an embedded list, a table of contents): not the document",
    ),
  page: z.number().int().optional().describe("Page of a paginated source (PDF)"),
});

export const OutlineResult = z.object({
  schema: z.literal("clausewatch.outline/1"),
  source: z.string(),
  title: z.string().optional(),
  coverage: z
    .object({ words: z.number().int().min(0), placed: z.number().int().min(0) })
    .describe("Words of the main content, and how many of them landed in clauses"),
  warnings: z.array(
    z.object({
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
      at: z.string().optional(),
      missing: z.array(z.string()).optional(),
    }),
  ),
  deleted: z.array(z.string()).describe('Labels the copy marks as deleted ("7. Deleted.")'),
  clauses: z.array(OutlineClause).describe("Every clause, flat, in document order"),
});
export type OutlineResult = z.infer<typeof OutlineResult>;

export function outlineJsonSchema(): object {
  return z.toJSONSchema(OutlineResult, { target: "draft-2020-12" });
}
