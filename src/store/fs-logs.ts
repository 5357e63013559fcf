/**
 * The fs driver's plan logs and outbox: JSONL files in the store directory, in the formats they
 * have always had, so existing stores keep working.
 *
 *   plans/<planId>/lineage.jsonl    the plan's versions and every copy's relation to them
 *   plans/<planId>/coverage.jsonl   mentions, reported variants, figure mismatches
 *   outbox/alerts.jsonl             alerts, written before any delivery
 *   outbox/deliveries.jsonl         every delivery attempt per notifier
 *   outbox/requeues.jsonl           `clausewatch alerts retry`, written beside a live worker
 *   outbox/since                    when the outbox started (ISO)
 *   outbox/checkpoint.json          where readers of what is still pending start (fs-outbox-checkpoint.ts)
 *
 * Appends to one file are serialised per path across every handle in this process (appendLine
 * requires it), so the store's own handle and a handle made from the bare directory never
 * interleave. Only `requeues` may be written through a read-only handle: it is the one write that
 * runs beside a worker holding the lock, and a file of its own keeps the worker's attempt log
 * single-writer (appendLine cuts a torn tail, which could cut a line another process is writing).
 */
import { existsSync, statSync } from "node:fs";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { StoreError } from "../errors.js";
import { appendLine, createKeyedQueue, readJsonl, writeFileAtomic } from "./atomic.js";
import {
  CHECKPOINT_FILE,
  caughtUpCheckpoint,
  type OutboxCheckpoint,
  type OutboxPaths,
  type OutboxPosition,
  readCheckpoint,
  readFromCheckpoint,
  settledCheckpoint,
} from "./fs-outbox-checkpoint.js";
import { checkPlanId, SOURCE_ID_PATTERN } from "./records.js";
import type {
  OutboxAlertRecord,
  OutboxContents,
  OutboxDeliveryRecord,
  OutboxLogName,
  OutboxReadOptions,
  PlanLogName,
  PlanRecord,
  ReadPlanLogOptions,
  StoreLogs,
} from "./types.js";

export const OUTBOX_DIR = "outbox";
export const OUTBOX_FILES = {
  alerts: "alerts.jsonl",
  deliveries: "deliveries.jsonl",
  requeues: "requeues.jsonl",
  since: "since",
  checkpoint: CHECKPOINT_FILE,
} as const;

export interface FsLogsOptions {
  /** @default true */
  fsync?: boolean;
  /** false: a read-only handle, which may append re-queues only. @default true */
  writable?: boolean;
}

/** One queue for the whole process: two handles on the same directory share it. */
const appends = createKeyedQueue();
const exclusives = createKeyedQueue();
const checkpoints = createKeyedQueue();
/** Where unsettled reads stopped, for `settleOutbox` (kept off the contents' own fields), by contents. */
const positions = new WeakMap<object, { root: string; position: OutboxPosition }>();

const FS_LOGS_NAME = "fs";
const P = `${FS_LOGS_NAME} store`;

export function isPlanRecord(value: unknown): string | undefined {
  const record = value as Partial<PlanRecord> | null;
  if (typeof record !== "object" || record === null || Array.isArray(record)) return "not an object";
  return typeof record.type === "string" ? undefined : "record without a type";
}

export function isOutboxAlert(value: unknown): string | undefined {
  const entry = value as Partial<OutboxAlertRecord> | null;
  if (typeof entry !== "object" || entry === null) return "not an object";
  if (typeof entry.alert?.id !== "string" || !Array.isArray(entry.targets)) return "not an outbox entry";
  return undefined;
}

export function isOutboxRecord(value: unknown): string | undefined {
  const record = value as Partial<OutboxDeliveryRecord> | null;
  if (typeof record !== "object" || record === null) return "not an object";
  if (typeof record.alertId !== "string" || typeof record.notifier !== "string")
    return "not a delivery record";
  if (typeof record.at !== "string" || typeof record.outcome !== "string") return "not a delivery record";
  return undefined;
}

/** The plan logs and outbox of the fs store in `dir` (which need not be open). */
export function createFsLogs(dir: string, options: FsLogsOptions = {}): StoreLogs {
  const root = resolve(dir);
  const fsync = options.fsync ?? true;
  const writable = options.writable ?? true;
  const planPath = (planId: string, log: PlanLogName) => join(root, "plans", planId, `${log}.jsonl`);
  const outboxPath = (file: keyof typeof OUTBOX_FILES) => join(root, OUTBOX_DIR, OUTBOX_FILES[file]);

  function assertWritable(what: string): void {
    if (!writable) {
      throw new StoreError(`${P}: cannot ${what}: ${root} was opened read-only (lock: false)`, {
        source: root,
      });
    }
  }

  /**
   * The alert ids in the outbox and the file size they were read at: the log is read again only
   * when something else grew it, not for every change a cycle enqueues.
   */
  let knownAlerts: { ids: Set<string>; size: number } | undefined;
  // Page-cache work, done in place like the appends themselves (see atomic.ts); creating a
  // directory is left to the thread pool.
  const sizeOf = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  const ensureDir = async (path: string) => {
    if (!existsSync(path)) await mkdir(path, { recursive: true });
  };

  async function readAlerts<A>(): Promise<A[]> {
    return (await readJsonl<A>(outboxPath("alerts"), { accept: isOutboxAlert })).records;
  }

  const paths: OutboxPaths = {
    alerts: outboxPath("alerts"),
    deliveries: outboxPath("deliveries"),
    requeues: outboxPath("requeues"),
    checkpoint: outboxPath("checkpoint"),
  };
  const readUnsettled = <A extends OutboxAlertRecord, D extends OutboxDeliveryRecord>() =>
    readFromCheckpoint<A, D>(paths, { alert: isOutboxAlert, record: isOutboxRecord });

  function writeCheckpoint(checkpoint: OutboxCheckpoint): Promise<void> {
    return writeFileAtomic(paths.checkpoint, `${JSON.stringify(checkpoint)}\n`, { fsync });
  }

  return {
    appendPlanLog(planId, log, records) {
      checkPlanId(FS_LOGS_NAME, planId);
      assertWritable(`append to the ${log} of plan ${planId}`);
      const path = planPath(planId, log);
      const lines = records.map((record) => JSON.stringify(record));
      return appends.run(path, async () => {
        if (lines.length === 0) return;
        await ensureDir(join(root, "plans", planId));
        for (const line of lines) await appendLine(path, line, { fsync });
      });
    },

    async readPlanLog<T extends PlanRecord>(
      planId: string,
      log: PlanLogName,
      readOptions: ReadPlanLogOptions = {},
    ): Promise<T[]> {
      checkPlanId(FS_LOGS_NAME, planId);
      const { records } = await readJsonl<T>(planPath(planId, log), { accept: isPlanRecord });
      const { sourceId } = readOptions;
      return sourceId === undefined ? records : records.filter((record) => record.sourceId === sourceId);
    },

    async listPlans() {
      const entries = await readdir(join(root, "plans"), { withFileTypes: true }).catch(() => []);
      return entries
        .filter((entry) => entry.isDirectory() && SOURCE_ID_PATTERN.test(entry.name))
        .map((entry) => entry.name)
        .sort();
    },

    exclusive(key, work) {
      return exclusives.run(`${root}\u0000${key}`, work);
    },

    async outboxSince(now) {
      const path = outboxPath("since");
      const existing = (await readFile(path, "utf8").catch(() => undefined))?.trim();
      if (existing && !Number.isNaN(Date.parse(existing))) return existing;
      if (!writable) return now;
      await ensureDir(join(root, OUTBOX_DIR));
      await writeFileAtomic(path, `${now}\n`, { fsync });
      return now;
    },

    appendOutboxAlerts(entries) {
      assertWritable("append to the outbox");
      const path = outboxPath("alerts");
      return appends.run(path, async () => {
        if (entries.length === 0) return [];
        await ensureDir(join(root, OUTBOX_DIR));
        const size = sizeOf(path);
        if (knownAlerts?.size !== size) {
          // Alerts dropped by the checkpoint are for changes a catch-up never reads again.
          const ids = new Set(readUnsettled().alerts.map((entry) => entry.alert.id));
          knownAlerts = { ids, size };
        }
        const known = knownAlerts.ids;
        const written: (typeof entries)[number][] = [];
        try {
          for (const entry of entries) {
            if (known.has(entry.alert.id)) continue;
            await appendLine(path, JSON.stringify(entry), { fsync });
            known.add(entry.alert.id);
            written.push(entry);
          }
        } finally {
          knownAlerts.size = sizeOf(path);
        }
        return written;
      });
    },

    appendOutboxRecord(log: OutboxLogName, record: OutboxDeliveryRecord) {
      if (log !== "requeues") assertWritable("record a delivery");
      const path = outboxPath(log);
      const line = JSON.stringify(record);
      return appends.run(path, async () => {
        await ensureDir(join(root, OUTBOX_DIR));
        await appendLine(path, line, { fsync });
      });
    },

    async readOutbox<A extends OutboxAlertRecord, D extends OutboxDeliveryRecord>(
      readOptions: OutboxReadOptions = {},
    ): Promise<OutboxContents<A, D>> {
      if (readOptions.unsettled) {
        const { position, ...contents } = readUnsettled<A, D>();
        positions.set(contents, { root, position });
        return contents;
      }
      const [alerts, deliveries, requeues] = await Promise.all([
        readAlerts<A>(),
        readJsonl<D>(outboxPath("deliveries"), { accept: isOutboxRecord }),
        readJsonl<D>(outboxPath("requeues"), { accept: isOutboxRecord }),
      ]);
      return { alerts, deliveries: deliveries.records, requeues: requeues.records };
    },

    settleOutbox(contents, settled) {
      assertWritable("settle the outbox");
      const read = positions.get(contents);
      if (read?.root !== root) return Promise.resolve();
      positions.delete(contents);
      const { position } = read;
      return checkpoints.run(paths.checkpoint, async () => {
        const next = settledCheckpoint(paths, contents, position, settled);
        if (next) await writeCheckpoint(next);
      });
    },

    async outboxCaughtUp() {
      return readCheckpoint(paths)?.caughtUp?.changes;
    },

    async markOutboxCaughtUp(changes) {
      assertWritable("record the outbox's catch-up");
      // After every append in flight: the alerts log's end then covers every change before `changes`.
      const size = await appends.run(paths.alerts, async () => sizeOf(paths.alerts));
      await checkpoints.run(paths.checkpoint, async () => {
        if (readCheckpoint(paths)?.caughtUp?.changes === changes) return;
        await ensureDir(join(root, OUTBOX_DIR));
        await writeCheckpoint(caughtUpCheckpoint(paths, changes, size));
      });
    },
  };
}

/** Log files the integrity check reads, relative to the store directory. */
export async function logFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const file of [OUTBOX_FILES.alerts, OUTBOX_FILES.deliveries, OUTBOX_FILES.requeues]) {
    files.push(join(OUTBOX_DIR, file));
  }
  const plans = await readdir(join(root, "plans"), { withFileTypes: true }).catch(() => []);
  for (const plan of plans) {
    if (!plan.isDirectory()) continue;
    for (const log of ["lineage", "coverage"] as const) files.push(join("plans", plan.name, `${log}.jsonl`));
  }
  return files.sort();
}
