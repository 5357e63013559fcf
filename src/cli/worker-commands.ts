import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startAlerts } from "../alert/index.js";
import { InputError } from "../errors.js";
import { createLogger } from "../log.js";
import { packageRoot } from "../paths.js";
import { startQueueWorker } from "../queue/index.js";
import { openConfiguredStore } from "../store/index.js";
import { runCycle } from "../worker/cycle.js";
import { HEARTBEAT_FILE, type Heartbeat, startScheduler } from "../worker/scheduler.js";
import { findConfigFile, openContext, requireConfig } from "./context.js";
import { runDemoCommand } from "./demo-command.js";
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
  const { ctx, close } = await openContext(config, { logTo: "stderr" });
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
    try {
      await alerts.enqueue(report.outcomes.flatMap((outcome) => outcome.changes));
      await alerts.deliver();
    } finally {
      await alerts.stop();
    }
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatCycle(report)}\n`);
    return report.outcomes.some((outcome) => outcome.status === "failed") ? 1 : 0;
  } finally {
    await close();
  }
}

export async function runWorkerCommand(options: { config?: string }): Promise<number> {
  if (!findConfigFile(options.config)) {
    process.stderr.write(
      "clausewatch: no config file found; running the embedded demo and watching it (Ctrl-C to stop)\n",
    );
    return runDemoCommand({ watch: true });
  }
  const config = await requireConfig(options.config);
  const { ctx, close } = await openContext(config);
  // With the postgres driver every machine runs this same command: the queue shares the work out.
  const worker = config.storage.driver === "postgres" ? await startQueueWorker(ctx) : startScheduler(ctx);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      ctx.logger.info({ signal }, "shutting down");
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
  const config = await requireConfig(options.config);
  const store = await openConfiguredStore(config.storage, { readOnly: true });
  try {
    const rows = await Promise.all(
      config.sources.map(async (source) => ({ source, state: await store.getSourceState(source.id) })),
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
    await store.close();
  }
}

/** Docker HEALTHCHECK: the worker's heartbeat is recent and it is not stopped. */
export async function runHealthCommand(options: { config?: string; maxAge: number }): Promise<number> {
  const config = await requireConfig(options.config).catch(() => undefined);
  // Without a config the worker runs the demo, whose store lives in the package's snapshots/demo.
  const dir = config?.storageDir ?? join(packageRoot(), "snapshots", "demo");
  const text = await readFile(join(dir, HEARTBEAT_FILE), "utf8").catch(() => undefined);
  const logger = createLogger({ destination: process.stderr, level: "info" });
  if (!text) {
    logger.error({ dir }, "no heartbeat yet");
    return 1;
  }
  const beat = JSON.parse(text) as Heartbeat;
  const age = (Date.now() - Date.parse(beat.at)) / 1000;
  if (beat.state !== "running" || age > options.maxAge) {
    logger.error({ age: Math.round(age), state: beat.state }, "worker not healthy");
    return 1;
  }
  process.stdout.write(
    `ok: heartbeat ${Math.round(age)} s ago${beat.lastCycle ? `, last cycle ${beat.lastCycle.finishedAt}` : ""}\n`,
  );
  return 0;
}
