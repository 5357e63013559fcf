import { relative } from "node:path";
import { runDemo } from "../demo/index.js";
import { createLogger } from "../log.js";
import { formatCycle } from "./format.js";

/** `clausewatch demo`: the story in three cycles, printed for people; `--watch` keeps it running. */
export async function runDemoCommand(options: { watch: boolean; verbose?: boolean }): Promise<number> {
  const logger = createLogger({
    level: options.verbose ? "info" : "warn",
    format: "pretty",
    destination: process.stderr,
  });
  const controller = new AbortController();
  if (options.watch) {
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => controller.abort());
  }
  const { config, reports } = await runDemo({
    logger,
    onStep: (step, title, report) => {
      process.stdout.write(`\nCycle ${step}: ${title}\n${formatCycle(report)}\n`);
    },
    ...(options.watch ? { watch: { signal: controller.signal } } : {}),
  });
  const changes = reports.flatMap((report) => report.outcomes.flatMap((outcome) => outcome.changes));
  const alerts = changes.filter((change) => change.severity === "minor" || change.severity === "substantive");
  process.stdout.write(
    `\n${reports.length} cycles, ${changes.length} changes recorded, ${alerts.length} worth an alert; snapshots in ${relative(process.cwd(), config.storageDir) || "."}\n`,
  );
  return 0;
}
