import type { OutlineResult } from "../clauses/schema.js";
import { readDocument } from "../document.js";
import type { ClauseSet } from "../types.js";
import { loadInput } from "./input.js";

export interface ClausesCommandOptions {
  format: "text" | "json";
  inputFormat?: "auto" | "text" | "markdown" | "html" | "pdf" | "docx";
  select?: string;
  ignore?: string[];
}

/** The outline as the published `clausewatch.outline/1` JSON. */
export function outlineJson(set: ClauseSet): OutlineResult {
  return {
    schema: "clausewatch.outline/1",
    source: set.source,
    ...(set.title ? { title: set.title } : {}),
    coverage: set.coverage,
    warnings: set.warnings,
    deleted: set.deleted ?? [],
    clauses: set.clauses.map((clause) => ({
      path: clause.key,
      label: clause.label,
      depth: clause.depth,
      heading: clause.heading ?? null,
      text: clause.text,
      kind: clause.kind,
      parent: clause.parent ?? null,
      context: clause.context === true,
      ...(clause.page === undefined ? {} : { page: clause.page }),
    })),
  };
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The outline as an indented tree, with the coverage figure and the warnings. */
export function outlineText(set: ClauseSet): string {
  const lines = set.clauses.map((clause) => {
    const heading = clause.heading ? `${clause.heading}${clause.text ? " — " : ""}` : "";
    const context = clause.context ? " (context)" : "";
    return `${"  ".repeat(clause.depth)}${clause.key}${context}  ${oneLine(`${heading}${clause.text}`, 100)}`;
  });
  const { words, placed } = set.coverage;
  const share = words === 0 ? 100 : Math.floor((placed / words) * 1000) / 10;
  const summary = `${set.clauses.length} clauses; ${placed} of ${words} words placed (${share}%)`;
  const warnings = set.warnings.map((warning) => `warning: ${warning.message}`);
  return `${[...(set.title ? [`# ${set.title}`] : []), ...lines, "", summary, ...warnings].join("\n")}\n`;
}

/** Runs `clausewatch clauses`: how a document reads as an outline, before anyone watches it. */
export async function runClausesCommand(spec: string, options: ClausesCommandOptions): Promise<number> {
  const input = await loadInput(spec);
  const set = await readDocument(input.body, {
    source: input.source,
    format: options.inputFormat ?? "auto",
    ...(input.contentType ? { contentType: input.contentType } : {}),
    ...(options.select ? { select: options.select } : {}),
    ...(options.ignore ? { ignore: options.ignore } : {}),
  });
  process.stdout.write(
    options.format === "json" ? `${JSON.stringify(outlineJson(set), null, 2)}\n` : outlineText(set),
  );
  return 0;
}
