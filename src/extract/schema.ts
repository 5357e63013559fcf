import { z } from "zod";

/*
 * The published contract of `clausewatch extract --format json` (schema `clausewatch.extract/1`).
 * `config/extract.schema.json` is generated from these definitions; a test keeps it current.
 * Only the CLI's tests and the schema generator import this file: extraction itself needs no zod.
 */

export const ExtractBlockSchema = z.object({
  kind: z.enum(["heading", "paragraph", "item", "pre"]),
  text: z.string().describe("Visible text, inner whitespace collapsed (line breaks kept only for pre)"),
  level: z.number().int().optional().describe("Heading level 1–6, or list nesting depth (1 = top) for items"),
  list: z.number().int().optional().describe("Items of one HTML list share this id (document order, from 1)"),
  marker: z.string().optional().describe('The marker a browser renders for the item ("3.", "c.", "•")'),
  term: z
    .string()
    .optional()
    .describe("For an item of a definition list: the term it defines, with which its text starts"),
  caption: z.literal(true).optional().describe("A figure's caption (<figcaption>): a note beside the text"),
  breakBefore: z
    .literal(true)
    .optional()
    .describe("The document's last rule (<hr>) stands before this paragraph and only paragraphs follow it"),
});

export const RemovalSchema = z.object({
  reason: z
    .enum([
      "ignore",
      "boilerplate",
      "outside content",
      "link list",
      "teaser",
      "controls",
      "headline",
      "repeated",
      "gallery counter",
      "ad label",
      "social prompt",
      "reading time",
    ])
    .describe(
      "ignore: an ignore selector matched; boilerplate: a tag, role, class/id word or hidden attribute marks page furniture; " +
        "outside content: not in the part chosen as the main text; link list, teaser, controls: link collections, other posts' " +
        "teaser cards and widget controls inside it; headline: the title repeated as a heading; repeated, gallery counter, ad label: " +
        "captions and promos shown again, slide counters, advertising labels; social prompt: the outlet's call to share or follow it; " +
        "reading time: a byline line giving the story's reading time",
    ),
  rule: z
    .string()
    .optional()
    .describe('The rule\'s detail: "<nav>", "class/id \\"sidebar\\"", "hidden", or the ignore selector'),
  element: z
    .string()
    .optional()
    .describe("The element as tag#id.class (absent for a block removed after reading)"),
  words: z.number().int().describe("Words of visible text removed"),
  text: z.string().describe("The start of that text"),
});

export const ExtractJsonSchema = z.object({
  schema: z.literal("clausewatch.extract/1"),
  source: z.string().describe("The file, URL or - it was read from"),
  title: z.string().optional(),
  byline: z.string().optional(),
  date: z.string().optional().describe("Publication date, ISO 8601 when the page states one a parser reads"),
  flattened: z
    .enum(["depth", "work"])
    .optional()
    .describe(
      "Present when the page was too deeply nested or too costly to build as a tree and was read as flat text",
    ),
  blocks: z.array(ExtractBlockSchema),
  removed: z.array(RemovalSchema).describe("What was left out and why, to tune select and ignore"),
});
export type ExtractJson = z.infer<typeof ExtractJsonSchema>;

export function extractJsonSchema(): object {
  return z.toJSONSchema(ExtractJsonSchema, { target: "draft-2020-12" });
}
