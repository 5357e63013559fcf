/**
 * The history a read-only command reads: the configured one, or the demo's (`--demo`, or when no
 * config file exists at all, as `run` falls back to the demo) that `npm start` left in
 * snapshots/demo — with no environment variables to set.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { type Config, loadConfig } from "../config/index.js";
import { InputError } from "../errors.js";
import { packageRoot } from "../paths.js";
import { openConfiguredStore, type SnapshotStore } from "../store/index.js";
import { findConfigFile, requireConfig } from "./context.js";

/**
 * The demo's config with its store, whose sources point at the address the demo's local server
 * had (a port that is gone now): each source shows the URL of its newest snapshot instead.
 */
export async function openDemo(
  options: { storageDir?: string } = {},
): Promise<{ config: Config; store: SnapshotStore }> {
  const read = await loadConfig(
    join(packageRoot(), "config", "demo.yaml"),
    { ...process.env, DEMO_URL: "http://127.0.0.1" },
    { readOnly: true },
  );
  // `clausewatch demo` can be pointed elsewhere (runDemo's storageDir); so can its reader.
  const loaded: Config = options.storageDir
    ? { ...read, storageDir: options.storageDir, storage: { driver: "fs", dir: options.storageDir } }
    : read;
  const found = await stat(loaded.storageDir).then(
    (entry) => entry.isDirectory(),
    () => false,
  );
  if (!found) {
    throw new InputError(
      `no demo history in ${loaded.storageDir}: run "npm start" (or "clausewatch demo") first, or pass --config FILE`,
    );
  }
  const store = await openConfiguredStore(loaded.storage, { readOnly: true });
  const sources = await Promise.all(
    loaded.sources.map(async (source) => {
      const newest = (await store.listSnapshots(source.id)).at(-1);
      return newest ? { ...source, url: newest.url } : source;
    }),
  );
  return { config: { ...loaded, sources }, store };
}

/** The config to read history with, and the store already open for the demo's. */
export async function openHistoryConfig(
  options: { config?: string; demo?: boolean },
  doing: string,
): Promise<{ config: Config; store?: SnapshotStore }> {
  const demo = options.demo === true || findConfigFile(options.config) === undefined;
  if (!demo) return { config: await requireConfig(options.config, { readOnly: true }) };
  if (!options.demo) {
    process.stderr.write(`clausewatch: no config file found; ${doing} the demo's history (snapshots/demo)\n`);
  }
  return openDemo();
}
