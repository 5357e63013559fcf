import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Logger } from "pino";
import { createHostLimiter } from "../collect/index.js";
import { type Config, loadConfig, secretPaths } from "../config/index.js";
import { InputError } from "../errors.js";
import type { Lineage } from "../lineage/index.js";
import { createLogger } from "../log.js";
import { openConfiguredStore } from "../store/index.js";
import { createParsePool, inProcessReader } from "../worker/parse-pool.js";
import type { WorkerContext } from "../worker/types.js";

const DEFAULT_CONFIG_FILES = [
  "config/clausewatch.yaml",
  "config/clausewatch.yml",
  "config/clausewatch.json",
  "clausewatch.yaml",
];

/** The config file to use: `--config`, then CLAUSEWATCH_CONFIG, then the usual places; undefined when none exists. */
export function findConfigFile(explicit: string | undefined): string | undefined {
  if (explicit) return resolve(explicit);
  if (process.env.CLAUSEWATCH_CONFIG) return resolve(process.env.CLAUSEWATCH_CONFIG);
  return DEFAULT_CONFIG_FILES.map((file) => resolve(file)).find((file) => existsSync(file));
}

/**
 * The config, or an InputError saying how to give one. `readOnly` for commands that only read
 * the store: they load without the notifiers and without the worker's secrets.
 */
export async function requireConfig(
  explicit: string | undefined,
  options: { readOnly?: boolean } = {},
): Promise<Config> {
  const file = findConfigFile(explicit);
  if (!file) {
    throw new InputError(
      `no config file: pass --config FILE, set CLAUSEWATCH_CONFIG, or create ${DEFAULT_CONFIG_FILES[0]} (see config/example.yaml); "clausewatch demo" runs without one`,
    );
  }
  return loadConfig(file, process.env, options);
}

export interface OpenedContext {
  ctx: WorkerContext;
  close(): Promise<void>;
}

export interface OpenContextOptions {
  logTo?: "stdout" | "stderr";
  /** The command, named in the store lock so that others' refusals say who holds the store. */
  command: string;
  /**
   * Wait for the lease of a lock holder that may be gone (a killed container) to run out rather
   * than refuse: what the worker does when it starts under a restart policy. @default false
   */
  waitForLock?: boolean;
}

/** Logger, store (locked for writers; migrated for postgres) and host limits for commands that run the pipeline. */
export async function openContext(config: Config, options: OpenContextOptions): Promise<OpenedContext> {
  const logger: Logger = createLogger({
    level: config.log.level,
    format: config.log.format,
    redact: [...secretPaths],
    ...(options.logTo === "stderr" ? { destination: process.stderr } : {}),
  });
  const store = await openConfiguredStore(config.storage, {
    fs: {
      lockLeaseMs: config.lockLeaseMs,
      lockCommand: options.command,
      ...(options.waitForLock ? { lockWaitMs: 2 * config.lockLeaseMs } : {}),
      onLockWait: (holder, expiresInMs) =>
        logger.warn(
          { holder: { pid: holder.pid, hostname: holder.hostname, since: holder.startedAt }, expiresInMs },
          "the store lock is held by a process that stopped renewing it; waiting for its lease to run out",
        ),
    },
  });
  const limiter = createHostLimiter({
    perHost: config.http.perHost,
    delayMs: config.http.politenessMs,
    hosts: Object.fromEntries(
      Object.entries(config.hosts).map(([host, limits]) => [
        host,
        { perHost: limits.perHost, delayMs: limits.politenessMs },
      ]),
    ),
  });
  const reader = config.threads > 0 ? createParsePool({ threads: config.threads }) : inProcessReader();
  const ctx: WorkerContext = { config, store, logger, limiter, reader };
  ctx.lineage = lazyLineage(ctx);
  return {
    ctx,
    async close() {
      await reader.close();
      await store.close();
    },
  };
}

/**
 * The plan lineage, loaded with the diff engine it judges copies by on the first copy it sees:
 * a cycle of 304s and unchanged bodies never needs either.
 */
function lazyLineage(ctx: WorkerContext): Lineage {
  let lineage: Promise<Lineage> | undefined;
  const load = async (): Promise<Lineage> => {
    const [{ createLineage }, { currentReading }] = await Promise.all([
      import("../lineage/index.js"),
      import("../worker/reading.js"),
    ]);
    // Versions stored by an older reader are compared as the current reader reads them.
    return createLineage(ctx.store, ctx.config.lineage, async (id) =>
      currentReading(ctx, await ctx.store.getSnapshot(id)),
    );
  };
  return {
    async observe(planId, sighting) {
      lineage ??= load();
      return (await lineage).observe(planId, sighting);
    },
  };
}
