import { parseClauses } from "../clauses/index.js";
import { diffClauses, severityAtLeast } from "../diff/index.js";
import { detectFormat } from "../format.js";
import { clauseNoun } from "../report/headline.js";
import { renderHtml, renderMarkdown, renderText } from "../report/render.js";
import type { ClauseSet } from "../types.js";
import { type LoadedInput, loadInput } from "./input.js";

export type OutputFormat = "text" | "json" | "markdown" | "html";

export interface DiffCommandOptions {
  format: OutputFormat;
  color: boolean;
  all: boolean;
  select?: string;
  ignore?: string[];
  inputFormat?: "auto" | "text" | "markdown" | "html" | "pdf" | "docx";
}

/** Plain text and Markdown are parsed here; HTML, PDF and Word load the document reader (and cheerio) first. */
async function read(input: LoadedInput, options: DiffCommandOptions): Promise<ClauseSet> {
  const requested = options.inputFormat ?? "auto";
  const hints = { source: input.source, ...(input.contentType ? { contentType: input.contentType } : {}) };
  if (typeof input.body === "string" && requested !== "pdf" && requested !== "docx") {
    const format = detectFormat(input.body, { ...hints, format: requested });
    if (format !== "html") return parseClauses({ source: input.source, format, text: input.body });
  }
  const { readDocument } = await import("../document.js");
  return readDocument(input.body, {
    ...hints,
    format: requested,
    ...(options.select ? { select: options.select } : {}),
    ...(options.ignore ? { ignore: options.ignore } : {}),
  });
}

/** Runs `clausewatch diff`; returns the exit status (0 nothing above cosmetic, 1 changes). */
export async function runDiffCommand(
  oldSpec: string,
  newSpec: string,
  options: DiffCommandOptions,
): Promise<number> {
  const [oldInput, newInput] = await Promise.all([loadInput(oldSpec), loadInput(newSpec)]);
  const [oldSet, newSet] = await Promise.all([read(oldInput, options), read(newInput, options)]);
  const result = diffClauses(oldSet, newSet);
  const render = { noun: clauseNoun(newSet), color: options.color, all: options.all };
  const output =
    options.format === "json"
      ? `${JSON.stringify(result, null, 2)}\n`
      : options.format === "markdown"
        ? renderMarkdown(result, render)
        : options.format === "html"
          ? renderHtml(result, render)
          : renderText(result, render);
  process.stdout.write(output);
  return severityAtLeast(result.severity, "minor") ? 1 : 0;
}
