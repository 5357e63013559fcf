/**
 * The snapshot store: one interface (`SnapshotStore`), two drivers. Pipeline code depends on
 * the interface only, so a PostgreSQL/S3 adapter later is one more entry in `storeDrivers`.
 */
import { FS_STORE_NAME, type FsStore, type FsStoreOptions, openFsStore } from "./fs-store.js";
import { createMemoryStore, MEMORY_STORE_NAME, type MemoryStoreOptions } from "./memory-store.js";
import type { SnapshotStore } from "./types.js";

export type {
  AppendLineOptions,
  JsonlReadResult,
  ReadJsonlOptions,
  WriteFileAtomicOptions,
} from "./atomic.js";
export { appendLine, fsyncDir, readJsonl, repairTornTail, writeFileAtomic } from "./atomic.js";
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
  ReadEventsOptions,
  SnapshotInput,
  SnapshotRecord,
  SnapshotStore,
  SourceEvent,
  SourceState,
  StoredSnapshot,
} from "./types.js";

/** How each driver is opened; `dir` is ignored by drivers without a location. */
export interface StoreDriverOptions {
  [FS_STORE_NAME]: FsStoreOptions & { dir: string };
  [MEMORY_STORE_NAME]: MemoryStoreOptions;
}

export type StoreDriverName = keyof StoreDriverOptions;

/** The explicit registry of store drivers (a test fails when a driver file is missing here). */
export const storeDrivers: {
  [K in StoreDriverName]: (options: StoreDriverOptions[K]) => Promise<SnapshotStore>;
} = {
  [FS_STORE_NAME]: ({ dir, ...options }): Promise<FsStore> => openFsStore(dir, options),
  [MEMORY_STORE_NAME]: async (options) => createMemoryStore(options),
};

/** Opens a store by driver name. */
export function openStore<K extends StoreDriverName>(
  driver: K,
  options: StoreDriverOptions[K],
): Promise<SnapshotStore> {
  const factory = storeDrivers[driver] as (options: StoreDriverOptions[K]) => Promise<SnapshotStore>;
  return factory(options);
}
