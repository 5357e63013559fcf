import { parseClauses } from "../clauses/index.js";
import type { InputFormat } from "../clauses/types.js";
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
  inputFormat?: "auto" | "text" | "markdown" | "html";
}

/** Runs `clausewatch diff`; returns the exit status (0 nothing above cosmetic, 1 changes). */
export async function runDiffCommand(
  oldSpec: string,
  newSpec: string,
  options: DiffCommandOptions,
): Promise<number> {
  const [oldInput, newInput] = await Promise.all([loadInput(oldSpec), loadInput(newSpec)]);
  const hints = (input: LoadedInput) => ({
    source: input.source,
    format: options.inputFormat ?? "auto",
    ...(input.contentType ? { contentType: input.contentType } : {}),
  });
  const formats = [oldInput, newInput].map((input) => detectFormat(input.body, hints(input)));
  // The HTML extractor (cheerio) loads only when an input is HTML: text diffs start faster.
  const document = formats.includes("html") ? await import("../document.js") : undefined;
  const read = (input: LoadedInput, format: InputFormat): ClauseSet =>
    document
      ? document.readClauseSet(input.body, {
          ...hints(input),
          format,
          ...(options.select ? { select: options.select } : {}),
          ...(options.ignore ? { ignore: options.ignore } : {}),
        })
      : parseClauses({
          source: input.source,
          format: format === "markdown" ? "markdown" : "text",
          text: input.body,
        });
  const oldSet = read(oldInput, formats[0] as InputFormat);
  const newSet = read(newInput, formats[1] as InputFormat);
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
