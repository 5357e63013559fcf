import { diffClauses, severityAtLeast } from "../diff/index.js";
import { readClauseSet } from "../document.js";
import { clauseNoun } from "../report/headline.js";
import { renderHtml, renderMarkdown, renderText } from "../report/render.js";
import { loadInput } from "./input.js";

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
  const read = (input: typeof oldInput) =>
    readClauseSet(input.body, {
      source: input.source,
      format: options.inputFormat ?? "auto",
      ...(input.contentType ? { contentType: input.contentType } : {}),
      ...(options.select ? { select: options.select } : {}),
      ...(options.ignore ? { ignore: options.ignore } : {}),
    });
  const oldSet = read(oldInput);
  const newSet = read(newInput);
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
