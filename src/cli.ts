#!/usr/bin/env node
import { Command, Option } from "commander";
import { runDiffCommand } from "./cli/diff-command.js";
import { ClausewatchError, ConfigError } from "./errors.js";

/** Exit status for trouble, like diff(1). */
const TROUBLE = 2;

function fail(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(`clausewatch: ${error.message}`);
    for (const problem of error.problems) console.error(`  - ${problem}`);
  } else if (error instanceof ClausewatchError) {
    console.error(`clausewatch: ${error.message}`);
  } else {
    console.error("clausewatch: unexpected error", error);
  }
  process.exit(TROUBLE);
}

function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function colorWanted(flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  return process.stdout.isTTY === true;
}

export function buildProgram(): Command {
  const program = new Command("clausewatch")
    .description("Clause-aware change tracking for documents that evolve through numbered versions")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride((error) => {
      process.exit(error.exitCode === 0 ? 0 : TROUBLE);
    });

  program
    .command("diff")
    .description(
      "compare two versions clause by clause (exit 0: nothing above cosmetic, 1: changes, 2: trouble)",
    )
    .argument("<old>", "old version: file (.txt, .md, .html), http(s)/file URL, or - for stdin")
    .argument("<new>", "new version: file, URL, or -")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "json", "markdown", "html"])
        .default("text"),
    )
    .addOption(
      new Option("--input-format <format>", "how to read the inputs")
        .choices(["auto", "text", "markdown", "html"])
        .default("auto"),
    )
    .option("--all", "also list unchanged and renumbered clauses", false)
    .option("--color", "colour the redline (default: when stdout is a terminal and NO_COLOR is unset)")
    .option("--no-color", "never colour")
    .option("--select <css>", "CSS selector for the content of HTML inputs")
    .option("--ignore <css>", "CSS selector to drop from HTML inputs (repeatable)", collectList)
    .action(async (oldSpec: string, newSpec: string, options) => {
      const status = await runDiffCommand(oldSpec, newSpec, {
        format: options.format,
        inputFormat: options.inputFormat,
        all: options.all,
        color: colorWanted(options.color),
        ...(options.select ? { select: options.select } : {}),
        ...(options.ignore ? { ignore: options.ignore } : {}),
      });
      process.exitCode = status;
    });

  return program;
}

buildProgram().parseAsync(process.argv).catch(fail);
