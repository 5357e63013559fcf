/** `clausewatch migrate` and `clausewatch store copy`. */
import { resolve } from "node:path";
import { InputError } from "../errors.js";
import { copyStore } from "../store/copy.js";
import {
  migratePostgresStore,
  openFsStore,
  openPostgresStore,
  redactUrl,
  type SnapshotStore,
  STORE_FORMAT_VERSION,
} from "../store/index.js";
import { requireConfig } from "./context.js";

const POSTGRES_URL = /^postgres(ql)?:\/\//;

/** `clausewatch migrate`: brings the configured postgres schema up to date (workers also do at start). */
export async function runMigrateCommand(options: { config?: string }): Promise<number> {
  const config = await requireConfig(options.config);
  const storage = config.storage;
  if (storage.driver !== "postgres") {
    // Opening for writing brings the format up to date (workers do the same at start).
    const store = await openFsStore(storage.dir, { lockCommand: "migrate" });
    const from = store.migratedFrom;
    await store.close();
    process.stdout.write(
      from === undefined
        ? `fs store ${storage.dir}: format ${STORE_FORMAT_VERSION}, up to date\n`
        : `fs store ${storage.dir}: format ${from} → ${STORE_FORMAT_VERSION}\n`,
    );
    return 0;
  }
  const report = await migratePostgresStore({ url: storage.url, schema: storage.schema });
  const where = `${redactUrl(storage.url)} (schema ${storage.schema})`;
  if (report.applied.length === 0) {
    process.stdout.write(`${where}: schema version ${report.to}, up to date\n`);
    return 0;
  }
  for (const migration of report.applied) {
    process.stdout.write(`${where}: applied migration ${migration.version} (${migration.name})\n`);
  }
  process.stdout.write(`${where}: schema version ${report.from} → ${report.to}\n`);
  return 0;
}

export interface StoreCopyOptions {
  from: string;
  to: string;
  /** Schema for a postgres side. @default "clausewatch" */
  fromSchema?: string;
  toSchema?: string;
}

/** A store named on the command line: a postgres:// URL or a directory (an fs store). */
async function openNamed(
  spec: string,
  schema: string | undefined,
  writable: boolean,
): Promise<SnapshotStore> {
  if (POSTGRES_URL.test(spec)) {
    return openPostgresStore({ url: spec, ...(schema ? { schema } : {}), migrate: writable });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    throw new InputError(`store copy: "${redactUrl(spec)}" is neither a postgres:// URL nor a directory`);
  }
  return openFsStore(resolve(spec), { lock: writable });
}

/** `clausewatch store copy --from A --to B`: the whole history, provenance intact; stop workers first. */
export async function runStoreCopyCommand(options: StoreCopyOptions): Promise<number> {
  const from = await openNamed(options.from, options.fromSchema, false);
  try {
    const to = await openNamed(options.to, options.toSchema, true);
    try {
      const report = await copyStore(from, to, (message) => process.stderr.write(`store copy: ${message}\n`));
      process.stdout.write(
        `copied ${report.sources} sources, ${report.snapshots} snapshots (${report.bodies} bodies), ${report.events} events, ${report.changes} changes, ${report.planRecords} plan records, ${report.alerts} alerts and ${report.deliveryRecords} delivery records from ${from.name} to ${to.name}\n`,
      );
      if (report.problems.length > 0) {
        process.stderr.write(
          `store copy: the copy does not verify:\n${report.problems.map((p) => `  ${p}`).join("\n")}\n`,
        );
        return 1;
      }
      return 0;
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}
