/** Readers of the outline tests: a document read from Markdown, plain text or an HTML page, and its outline as indented paths. */
import { parseClauses } from "../../src/clauses/index.js";
import { readClauseSet } from "../../src/document.js";
import type { ClauseSet } from "../../src/types.js";

export const markdown = (text: string) => parseClauses({ source: "terms.md", format: "markdown", text });
export const text = (body: string) => parseClauses({ source: "plan.txt", format: "text", text: body });
export const html = (body: string) =>
  readClauseSet(`<!doctype html><html><body>${body}</body></html>`, { source: "page.html" });
export const outline = (set: ClauseSet) =>
  set.clauses.map((clause) => `${"  ".repeat(clause.depth)}${clause.key}`);
export const byPath = (set: ClauseSet, path: string) => set.clauses.find((clause) => clause.key === path);
