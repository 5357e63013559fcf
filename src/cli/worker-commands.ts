import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startAlerts } from "../alert/index.js";
import { InputError } from "../errors.js";
import { createLogger } from "../log.js";
import { packageRoot } from "../paths.js";
import { openConfiguredStore } from "../store/index.js";
import { runCycle } from "../worker/cycle.js";
import type { Heartbeat } from "../worker/scheduler.js";
import type { CycleReport } from "../worker/types.js";
import { findConfigFile, openContext, requireConfig } from "./context.js";
import { formatCycle, pad } from "./format.js";

export async function runCheckCommand(options: {
  config?: string;
  source?: string[];
  json: boolean;
}): Promise<number> {
  const config = await requireConfig(options.config);
  const unknown = (options.source ?? []).filter((id) => !config.sources.some((source) => source.id === id));
  if (unknown.length > 0)
    throw new InputError(
      `unknown source ${unknown.map((id) => `"${id}"`).join(", ")} (not in ${config.file})`,
    );
  const { ctx, close } = await openContext(config, { logTo: "stderr", command: "check" });
  try {
    // With --json, stdout carries the report, so the log notifier's lines go to stderr.
    const alerts = startAlerts({
      config,
      storageDir: config.storageDir,
      logger: ctx.logger,
      store: ctx.store,
      outbox: ctx.store,
      intervalMs: 0,
      ...(options.json ? { stdout: process.stderr } : {}),
    });
    const report = await runCycle(
      ctx,
      options.source && options.source.length > 0 ? { sourceIds: options.source } : {},
    );
    const undelivered: string[] = [];
    try {
      await alerts.enqueue(report.outcomes.flatMap((outcome) => outcome.changes));
      const summary = await alerts.deliver();
      if (summary === undefined) undelivered.push("the delivery pass failed (see the log)");
      else if (summary.failed + summary.dead > 0) {
        undelivered.push(
          `${summary.failed} alert delivery attempt(s) failed and will be retried, ${summary.dead} alert(s) given up (clausewatch alerts --pending / --dead)`,
        );
      }
    } catch (error) {
      undelivered.push(`alerts were not queued: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await alerts.stop();
    }
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCycle(report)}\n`);
    for (const line of undelivered) process.stderr.write(`clausewatch: ${line}\n`);
    return checkStatus(report, undelivered.length > 0);
  } finally {
    await close();
  }
}

/** `check`'s exit status: 0 all fine, bit 1 a source failed, bit 4 alerts not delivered (2 is trouble). */
export function checkStatus(report: CycleReport, undelivered: boolean): number {
  const failed = report.outcomes.some((outcome) => outcome.status === "failed");
  return (failed ? CHECK_SOURCE_FAILED : 0) | (undelivered ? CHECK_UNDELIVERED : 0);
}

export const CHECK_SOURCE_FAILED = 1;
export const CHECK_UNDELIVERED = 4;

export async function runWorkerCommand(options: { config?: string }): Promise<number> {
  if (!findConfigFile(options.config)) {
    process.stderr.write(
      "clausewatch: no config file found; running the embedded demo and watching it (Ctrl-C to stop)\n",
    );
    const { runDemoCommand } = await import("./demo-command.js");
    return runDemoCommand({ watch: true });
  }
  const config = await requireConfig(options.config);
  const { ctx, close } = await openContext(config, { command: "run", waitForLock: true });
  // With the postgres driver every machine runs this same command: the queue shares the work out.
  // Each loaded only when it runs: the queue brings pg-boss, the scheduler node-cron.
  const worker =
    config.storage.driver === "postgres"
      ? await (await import("../queue/index.js")).startQueueWorker(ctx)
      : (await import("../worker/scheduler.js")).startScheduler(ctx);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      ctx.logger.info({ signal, graceMs: config.shutdownGraceMs }, "shutting down");
      // Whatever hangs (a read on a dead network mount, a receiver that never answers), the
      // process ends within the grace period and a little more; a second signal ends it now.
      const forced = setTimeout(() => {
        ctx.logger.error({ graceMs: config.shutdownGraceMs }, "shutdown did not finish in time; exiting");
        process.exit(1);
      }, config.shutdownGraceMs + 2000);
      forced.unref();
      for (const again of ["SIGTERM", "SIGINT"] as const) process.once(again, () => process.exit(1));
      resolve();
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  await worker.stop();
  await close();
  return 0;
}

export async function runSourcesCommand(options: { config?: string; json: boolean }): Promise<number> {
  const config = await requireConfig(options.config, { readOnly: true });
  // A store no check has written yet: every source is simply new.
  const store =
    config.storage.driver === "fs" && !existsSync(config.storageDir)
      ? undefined
      : await openConfiguredStore(config.storage, { readOnly: true });
  try {
    const rows = await Promise.all(
      config.sources.map(async (source) => ({ source, state: await store?.getSourceState(source.id) })),
    );
    if (options.json) {
      const out = rows.map(({ source, state }) => ({
        id: source.id,
        plan: source.plan,
        role: source.role,
        url: source.url,
        enabled: source.enabled,
        health: state?.health ?? "unknown",
        lastCheckAt: state?.lastCheckAt ?? null,
        lastChangeAt: state?.lastChangeAt ?? null,
        consecutiveFailures: state?.consecutiveFailures ?? 0,
        lastError: state?.lastError ?? null,
      }));
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    const idWidth = Math.max(6, ...rows.map(({ source }) => source.id.length));
    const lines = [
      `${pad("SOURCE", idWidth)}  ${pad("HEALTH", 8)} ${pad("LAST CHECK", 20)} ${pad("LAST CHANGE", 20)} FAILS  LAST ERROR`,
    ];
    for (const { source, state } of rows) {
      const health = source.enabled ? (state?.health ?? "new") : "disabled";
      const time = (value: string | undefined) => (value ? value.slice(0, 19).replace("T", " ") : "-");
      lines.push(
        `${pad(source.id, idWidth)}  ${pad(health, 8)} ${pad(time(state?.lastCheckAt), 20)} ${pad(time(state?.lastChangeAt), 20)} ${pad(String(state?.consecutiveFailures ?? 0), 5)}  ${state?.lastError?.message ?? ""}`.trimEnd(),
      );
    }
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } finally {
    await store?.close();
  }
}

/**
 * Docker HEALTHCHECK: the worker's heartbeat is recent, it is not stopped, and its cycle is not
 * stuck. A config that exists but does not load is reported (exit 2), never replaced by the demo.
 */
export async function runHealthCommand(options: { config?: string; maxAge: number }): Promise<number> {
  const file = findConfigFile(options.config);
  const config = file ? await requireConfig(options.config, { readOnly: true }) : undefined;
  // Without a config the worker runs the demo, whose store lives in the package's snapshots/demo.
  const dir = config?.storageDir ?? join(packageRoot(), "snapshots", "demo");
  const { assessHeartbeat, HEARTBEAT_FILE } = await import("../worker/scheduler.js");
  const text = await readFile(join(dir, HEARTBEAT_FILE), "utf8").catch(() => undefined);
  const logger = createLogger({ destination: process.stderr, level: "info" });
  if (!text) {
    logger.error({ dir }, "no heartbeat yet");
    return 1;
  }
  const beat = JSON.parse(text) as Heartbeat;
  const verdict = assessHeartbeat(beat, new Date(), options.maxAge);
  if (!verdict.ok) {
    logger.error({ age: verdict.age, state: beat.state, reason: verdict.reason }, "worker not healthy");
    return 1;
  }
  process.stdout.write(
    `ok: heartbeat ${verdict.age} s ago${beat.lastCycle ? `, last cycle ${beat.lastCycle.finishedAt}` : ""}\n`,
  );
  return 0;
}
