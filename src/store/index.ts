/**
 * The snapshot store: one interface (`SnapshotStore`), three drivers — fs (the embedded
 * default), memory (tests, dry runs) and postgres (several workers, indexed history). Pipeline
 * code depends on the interface only; an object-storage driver for bodies would be one more entry.
 */

import { createFsLogs } from "./fs-logs.js";
import { FS_STORE_NAME, type FsStore, type FsStoreOptions, openFsStore } from "./fs-store.js";
import { createMemoryStore, MEMORY_STORE_NAME, type MemoryStoreOptions } from "./memory-store.js";
import {
  openPostgresStore,
  POSTGRES_STORE_NAME,
  type PostgresStore,
  type PostgresStoreOptions,
} from "./postgres-store.js";
import type { SnapshotStore, StoreLogs } from "./types.js";

export type {
  AppendLineOptions,
  JsonlReadResult,
  ReadJsonlOptions,
  WriteFileAtomicOptions,
} from "./atomic.js";
export { appendLine, fsyncDir, readJsonl, repairTornTail, writeFileAtomic } from "./atomic.js";
export type { FsLogsOptions } from "./fs-logs.js";
export { createFsLogs, OUTBOX_DIR, OUTBOX_FILES } from "./fs-logs.js";
export type { FsStore } from "./fs-store.js";
export {
  FS_STORE_NAME,
  FsStoreOptions,
  openFsStore,
  STORE_FORMAT_VERSION,
  verifyFsStore,
} from "./fs-store.js";
export type { LockHandle, LockInfo, LockOptions, ProcessIdentity } from "./lock.js";
export { acquireLock, currentProcessIdentity, DEFAULT_LEASE_MS, LOCK_FILE } from "./lock.js";
export { createMemoryStore, MEMORY_STORE_NAME, MemoryStoreOptions } from "./memory-store.js";
export { quoteIdent, redactUrl } from "./postgres-pool.js";
export type { MigrationReport, PostgresStore } from "./postgres-store.js";
export {
  migratePostgresStore,
  openPostgresStore,
  POSTGRES_SCHEMA_VERSION,
  POSTGRES_STORE_NAME,
  PostgresStoreOptions,
  SCHEMA_NAME_PATTERN,
} from "./postgres-store.js";
export {
  canonicalJson,
  clauseSetHash,
  SOURCE_ID_PATTERN,
  sha256Hex,
  snapshotIdOf,
  sourceStateSchema,
} from "./records.js";
export type {
  ChangeRecord,
  ListChangesOptions,
  OutboxAlertRecord,
  OutboxContents,
  OutboxDeliveryRecord,
  OutboxLogName,
  OutboxReadOptions,
  PlanLogName,
  PlanRecord,
  ReadEventsOptions,
  ReadPlanLogOptions,
  SnapshotInput,
  SnapshotRecord,
  SnapshotStore,
  SourceEvent,
  SourceOverview,
  SourceState,
  StoredSnapshot,
  StoreLogs,
} from "./types.js";

/**
 * Where plan logs and the outbox live: a store's logs, or the directory of an fs store (which
 * need not be open; appends are serialised with the store's own within this process).
 */
export type StoreLogsRef = StoreLogs | string;

/** The logs `ref` names. */
export function storeLogs(ref: StoreLogsRef): StoreLogs {
  return typeof ref === "string" ? createFsLogs(ref) : ref;
}

/** How each driver is opened; `dir` is ignored by drivers without a location. */
export interface StoreDriverOptions {
  [FS_STORE_NAME]: FsStoreOptions & { dir: string };
  [MEMORY_STORE_NAME]: MemoryStoreOptions;
  [POSTGRES_STORE_NAME]: PostgresStoreOptions;
}

export type StoreDriverName = keyof StoreDriverOptions;

/** The explicit registry of store drivers (a test fails when a driver file is missing here). */
export const storeDrivers: {
  [K in StoreDriverName]: (options: StoreDriverOptions[K]) => Promise<SnapshotStore>;
} = {
  [FS_STORE_NAME]: ({ dir, ...options }): Promise<FsStore> => openFsStore(dir, options),
  [MEMORY_STORE_NAME]: async (options) => createMemoryStore(options),
  [POSTGRES_STORE_NAME]: (options): Promise<PostgresStore> => openPostgresStore(options),
};

/** Opens a store by driver name. */
export function openStore<K extends StoreDriverName>(
  driver: K,
  options: StoreDriverOptions[K],
): Promise<SnapshotStore> {
  const factory = storeDrivers[driver] as (options: StoreDriverOptions[K]) => Promise<SnapshotStore>;
  return factory(options);
}

/** Where a configured installation keeps its store (the `storage` block of the config). */
export type StoreSettings =
  | { driver: typeof FS_STORE_NAME; dir: string }
  | { driver: typeof POSTGRES_STORE_NAME; dir: string; url: string; poolSize: number; schema: string };

export interface OpenConfiguredOptions {
  /**
   * For commands that only read (and `alerts retry`): the fs store is opened without its lock,
   * a postgres store without migrating.
   * @default false
   */
  readOnly?: boolean;
  /** The fs store's lock settings (lease, the command named in refusals, waiting for a dead holder's lease). */
  fs?: Pick<FsStoreOptions, "lockLeaseMs" | "lockCommand" | "lockWaitMs" | "onLockWait">;
}

/** Opens the store the settings name: what every command uses. */
export function openConfiguredStore(
  settings: StoreSettings,
  options: OpenConfiguredOptions = {},
): Promise<SnapshotStore> {
  const readOnly = options.readOnly ?? false;
  if (settings.driver === POSTGRES_STORE_NAME) {
    return openPostgresStore({
      url: settings.url,
      poolSize: settings.poolSize,
      schema: settings.schema,
      migrate: !readOnly,
    });
  }
  return openFsStore(settings.dir, { ...options.fs, lock: !readOnly });
}
