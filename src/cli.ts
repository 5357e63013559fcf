#!/usr/bin/env node
import nodeModule from "node:module";
import { Command, Option } from "commander";
import { ClausewatchError } from "./errors.js";
import { tuneV8 } from "./v8-tuning.js";

// Node 22.1 and later keep compiled code on disk between runs (in the system's temp directory;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off): most of a short command is a cold start. Node 20 has
// no such cache and runs as before. Modules the commands load on demand are all covered.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
tuneV8();

/** Exit status for trouble, like diff(1). */
const TROUBLE = 2;

function fail(error: unknown): never {
  if (error instanceof ClausewatchError) {
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

/** Each command loads its own modules when it runs, so `diff` on text files never loads undici or cheerio. */
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
        .choices(["auto", "text", "markdown", "html", "pdf", "docx"])
        .default("auto"),
    )
    .option("--all", "also list unchanged and renumbered clauses", false)
    .option("--color", "colour the redline (default: when stdout is a terminal and NO_COLOR is unset)")
    .option("--no-color", "never colour")
    .option("--select <css>", "CSS selector for the content of HTML inputs")
    .option("--ignore <css>", "CSS selector to drop from HTML inputs (repeatable)", collectList)
    .action(async (oldSpec: string, newSpec: string, options) => {
      const { runDiffCommand } = await import("./cli/diff-command.js");
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

  program
    .command("clauses")
    .description(
      "print how a document reads as an outline: paths, coverage and warnings (exit 0, or 2 when unreadable)",
    )
    .argument("<input>", "file (.txt, .md, .html), http(s)/file URL, or - for stdin")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(
      new Option("--input-format <format>", "how to read the input")
        .choices(["auto", "text", "markdown", "html", "pdf", "docx"])
        .default("auto"),
    )
    .option("--select <css>", "CSS selector for the content of an HTML input")
    .option("--ignore <css>", "CSS selector to drop from an HTML input (repeatable)", collectList)
    .action(async (spec: string, options) => {
      const { runClausesCommand } = await import("./cli/clauses-command.js");
      process.exitCode = await runClausesCommand(spec, {
        format: options.format,
        inputFormat: options.inputFormat,
        ...(options.select ? { select: options.select } : {}),
        ...(options.ignore ? { ignore: options.ignore } : {}),
      });
    });

  program
    .command("extract")
    .description(
      "print the main text of a page as clausewatch reads it, to check a source and tune select/ignore",
    )
    .argument("<input>", "page: file (.html, .txt, .md), http(s)/file URL, or - for stdin")
    .addOption(
      new Option(
        "-f, --format <format>",
        "output format (json adds title, byline, date and what was removed and why)",
      )
        .choices(["text", "json", "markdown"])
        .default("text"),
    )
    .option("--select <css>", "CSS selector for the content (skips main-content detection)")
    .option("--ignore <css>", "CSS selector to drop first (repeatable)", collectList)
    .action(async (spec: string, options) => {
      const { runExtractCommand } = await import("./cli/extract-command.js");
      process.exitCode = await runExtractCommand(spec, {
        format: options.format,
        ...(options.select ? { select: options.select } : {}),
        ...(options.ignore ? { ignore: options.ignore } : {}),
      });
    });

  program
    .command("run")
    .description(
      "run the worker on its schedule until SIGTERM/SIGINT (the demo, watching, when no config exists)",
    )
    .option("-c, --config <file>", "config file (default: $CLAUSEWATCH_CONFIG or config/clausewatch.yaml)")
    .action(async (options) => {
      const { runWorkerCommand } = await import("./cli/worker-commands.js");
      process.exitCode = await runWorkerCommand(options);
    });

  program
    .command("check")
    .description("run one cycle now and print a line per source (exit 1 when a source failed)")
    .option("-c, --config <file>", "config file")
    .option("--once", "one cycle, then exit (the default; kept for scripts that say it)")
    .option("-s, --source <id>", "only this source (repeatable)", collectList)
    .option("--json", "print the cycle report as JSON", false)
    .action(async (options) => {
      const { runCheckCommand } = await import("./cli/worker-commands.js");
      process.exitCode = await runCheckCommand(options);
    });

  program
    .command("sources")
    .description("each source's health, last check, last change, consecutive failures and last error")
    .option("-c, --config <file>", "config file")
    .option("--json", "print JSON", false)
    .action(async (options) => {
      const { runSourcesCommand } = await import("./cli/worker-commands.js");
      process.exitCode = await runSourcesCommand(options);
    });

  program
    .command("alerts")
    .description(
      'list the outbox\'s alerts and their delivery per notifier; "alerts retry ID" re-queues a dead one',
    )
    .argument("[action]", '"retry" to re-queue a dead alert')
    .argument("[id]", "alert id (with retry)")
    .option("-c, --config <file>", "config file")
    .option("--pending", "only alerts still waiting for a notifier", false)
    .option("--dead", "only alerts a notifier gave up on", false)
    .option("--notifier <id>", "with retry: only this notifier")
    .option("--json", "print JSON", false)
    .action(async (action: string | undefined, id: string | undefined, options) => {
      const { runAlertsCommand, runAlertsRetryCommand } = await import("./cli/alerts-command.js");
      const { InputError } = await import("./errors.js");
      if (action === undefined) {
        process.exitCode = await runAlertsCommand(options);
        return;
      }
      if (action !== "retry") throw new InputError(`unknown alerts action "${action}" (expected "retry")`);
      if (!id) throw new InputError("alerts retry needs an alert id (see clausewatch alerts --dead)");
      process.exitCode = await runAlertsRetryCommand(id, options);
    });

  program
    .command("versions")
    .description("a plan's versions across sources: witnesses, divergent copies, changes from the parent")
    .argument("<plan>", "plan id")
    .option("-c, --config <file>", "config file")
    .option("--json", "print JSON", false)
    .action(async (plan: string, options) => {
      const { runVersionsCommand } = await import("./cli/plan-commands.js");
      process.exitCode = await runVersionsCommand(plan, options);
    });

  program
    .command("coverage")
    .description(
      "what coverage says about a plan: clause mentions, reported earlier wordings, figure mismatches",
    )
    .argument("<plan>", "plan id")
    .option("-c, --config <file>", "config file")
    .option("--clause <key>", "only this clause (e.g. 26)")
    .option("--json", "print JSON", false)
    .action(async (plan: string, options) => {
      const { runCoverageCommand } = await import("./cli/plan-commands.js");
      process.exitCode = await runCoverageCommand(plan, options);
    });

  program
    .command("export")
    .description(
      "a plan's versions × clauses, the changes between versions and citation fields, for analysis",
    )
    .argument("<plan>", "plan id")
    .option("-c, --config <file>", "config file")
    .addOption(
      new Option("-f, --format <format>", "output format").choices(["json", "jsonl", "csv"]).default("json"),
    )
    .addOption(
      new Option("--table <table>", "with --format csv: which table (default clauses)").choices([
        "clauses",
        "changes",
        "versions",
      ]),
    )
    .option("-o, --out <file>", "write to this file instead of stdout")
    .action(async (plan: string, options) => {
      const { runExportCommand } = await import("./cli/history-commands.js");
      process.exitCode = await runExportCommand(plan, options);
    });

  program
    .command("report")
    .description(
      "write a plan's history as a static site (--out), or one version or comparison as a PDF (--pdf)",
    )
    .argument("<plan>", "plan id")
    .option("-o, --out <dir>", "output directory of the static site")
    .option("--no-bodies", "leave out the raw bodies (copies of other outlets' pages)")
    .argument("[what]", "with --pdf: a version (v2, or a snapshot id) or a comparison (v1..v2)")
    .option("--pdf <file>", "print one version or comparison to this PDF file (headless Chromium)")
    .option("--demo", "read the demo's history (snapshots/demo, after npm start)", false)
    .option("-c, --config <file>", "config file")
    .action(async (plan: string, what: string | undefined, options) => {
      const { runReportCommand } = await import("./cli/history-commands.js");
      process.exitCode = await runReportCommand(plan, { ...options, ...(what ? { what } : {}) });
    });

  program
    .command("import")
    .description(
      "load archived copies (.txt, .md, .html) of a plan into the store, as versions with provenance",
    )
    .argument("<plan>", "plan id")
    .argument("<files...>", "archived copies, oldest first (or give --at for each)")
    .requiredOption(
      "-s, --source <id>",
      "source id to record them under (a draft source of the plan, or a new id)",
    )
    .option(
      "--at <time>",
      "when each copy was published or saved, ISO 8601; once per file (default: file mtime)",
      collectList,
    )
    .option(
      "--url <url>",
      "where each copy was saved from; once per file (default: its file: URL)",
      collectList,
    )
    .option("-c, --config <file>", "config file")
    .action(async (plan: string, files: string[], options) => {
      const { runImportCommand } = await import("./cli/history-commands.js");
      process.exitCode = await runImportCommand(plan, files, options);
    });

  program
    .command("serve")
    .description(
      "the read-only history web view with its JSON API, /healthz and /metrics (127.0.0.1:8080 by default; the demo's history without a config)",
    )
    .option("-c, --config <file>", "config file")
    .option("--host <host>", "interface to bind (anything but loopback needs a token)", "127.0.0.1")
    .option("-p, --port <port>", "port (0: any free one)", "8080")
    .option(
      "--token <token>",
      "bearer token required of every request but /healthz (default: $CLAUSEWATCH_TOKEN)",
    )
    .option(
      "--demo",
      "serve the demo's history (snapshots/demo, after npm start; also without a config)",
      false,
    )
    .action(async (options) => {
      const { runServeCommand } = await import("./cli/serve-command.js");
      process.exitCode = await runServeCommand(options);
    });

  program
    .command("migrate")
    .description("bring the configured PostgreSQL schema up to date (workers also do it at start)")
    .option("-c, --config <file>", "config file")
    .action(async (options) => {
      const { runMigrateCommand } = await import("./cli/store-commands.js");
      process.exitCode = await runMigrateCommand(options);
    });

  const store = program.command("store").description("move a history between store drivers");
  store
    .command("copy")
    .description(
      "copy a whole history into an empty store, provenance intact: a directory (fs) or a postgres:// URL on either side; stop the workers first",
    )
    .requiredOption("--from <store>", "store to read: a directory or postgres://user@host/db")
    .requiredOption("--to <store>", "empty store to write: a directory or postgres://user@host/db")
    .option("--from-schema <name>", "schema of a postgres --from (default clausewatch)")
    .option("--to-schema <name>", "schema of a postgres --to (default clausewatch)")
    .action(async (options) => {
      const { runStoreCopyCommand } = await import("./cli/store-commands.js");
      process.exitCode = await runStoreCopyCommand(options);
    });

  program
    .command("demo")
    .description("serve bundled sample versions on 127.0.0.1 and watch them change (no network needed)")
    .option("--watch", "keep watching after the story, until Ctrl-C", false)
    .option("--verbose", "show the worker's log", false)
    .action(async (options) => {
      const { runDemoCommand } = await import("./cli/demo-command.js");
      process.exitCode = await runDemoCommand(options);
    });

  program
    .command("health")
    .description("exit 0 when the worker's heartbeat is recent (for Docker HEALTHCHECK)")
    .option("-c, --config <file>", "config file")
    .option("--max-age <seconds>", "oldest acceptable heartbeat", (value) => Number(value), 180)
    .action(async (options) => {
      const { runHealthCommand } = await import("./cli/worker-commands.js");
      process.exitCode = await runHealthCommand(options);
    });

  return program;
}

/**
 * A reader that stops early (`clausewatch diff … | head`) closes the pipe: the output is over,
 * so stop at once and quietly, with the status the command had reached.
 */
function endOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    fail(error);
  });
}

endOnClosedPipe(process.stdout);
buildProgram().parseAsync(process.argv).catch(fail);
