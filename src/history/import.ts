/**
 * Historical copies into the store (`clausewatch import`): a researcher's archive of saved pages
 * and text files, recorded through the worker's own pipeline (extract, snapshot, change,
 * lineage) so the plan's timeline starts before the monitor did.
 */
import { randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { collect } from "../collect/index.js";
import type { Config, SourceConfig, SourceFormat } from "../config/index.js";
import { InputError } from "../errors.js";
import type { Lineage, Relation } from "../lineage/index.js";
import { SOURCE_ID_PATTERN } from "../store/index.js";
import { recordFetchedCopy } from "../worker/check-source.js";
import type { SourceStatus, WorkerContext } from "../worker/types.js";

/** One archived copy to import. */
export interface ImportFile {
  path: string;
  /** When the copy was published or saved (ISO 8601). @default the file's modification time */
  at?: string;
  /** Where the copy was saved from. @default the file's `file:` URL */
  url?: string;
}

export interface ImportedCopy {
  path: string;
  url: string;
  fetchedAt: string;
  /**
   * What the pipeline made of it; `noise` when its clauses equal the copy before it,
   * `already-imported` when this source already holds this body at this time.
   */
  status: SourceStatus | "already-imported";
  snapshotId?: string;
  /** The plan version it is or witnesses, and how (`new-version`, `witness`, `divergent`). */
  version?: string;
  relation?: Relation;
}

export interface ImportOptions {
  /** Run id written on the source's events. @default "import-" and 8 random hex digits */
  runId?: string;
}

/** Imports need lineage: without it the copies would not become versions of the plan. */
export type ImportContext = WorkerContext & { lineage: Lineage };

const FORMAT_BY_EXTENSION: Record<string, SourceFormat> = {
  ".html": "html",
  ".htm": "html",
  ".xhtml": "html",
  ".md": "markdown",
  ".markdown": "markdown",
  ".txt": "text",
};

/**
 * The source the copies are recorded under: a configured draft source of the plan (its
 * selectors apply to saved copies of its pages), or an archive source known only to the store.
 */
export function importSource(config: Config, planId: string, sourceId: string): SourceConfig {
  if (!config.plans.some((plan) => plan.id === planId)) {
    const known = config.plans.map((plan) => plan.id).join(", ");
    throw new InputError(`unknown plan "${planId}" (known: ${known || "none"})`);
  }
  if (!SOURCE_ID_PATTERN.test(sourceId)) {
    throw new InputError(
      `source id "${sourceId}" is not usable: expected letters, digits, ".", "_" or "-" (at most 64, starting with a letter or digit)`,
    );
  }
  const configured = config.sources.find((source) => source.id === sourceId);
  if (configured && configured.plan !== planId) {
    throw new InputError(
      `source "${sourceId}" belongs to plan "${configured.plan}", not "${planId}"; pick another --source id for the archive`,
    );
  }
  if (configured && configured.role !== "draft") {
    throw new InputError(
      `source "${sourceId}" is a ${configured.role} source; imports record plan texts, so use a draft source or a new id`,
    );
  }
  if (configured) return configured;
  return {
    id: sourceId,
    plan: planId,
    role: "draft",
    title: `${sourceId} (imported)`,
    url: "",
    kind: "file",
    ignore: [],
    schedule: config.schedule,
    jitterSeconds: 0,
    format: "auto",
    enabled: false,
    http: config.http,
  };
}

/** `--at` values: ISO 8601 (or anything Date understands), returned normalized. */
export function parseImportTime(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new InputError(`--at "${value}" is not a time: expected ISO 8601 such as 2025-11-20T09:30:00Z`);
  }
  return new Date(time).toISOString();
}

async function resolveFiles(files: ImportFile[]): Promise<Array<Required<ImportFile>>> {
  const resolved: Array<Required<ImportFile>> = [];
  for (const file of files) {
    const path = resolve(file.path);
    const stats = await stat(path).catch((error: unknown) => {
      throw new InputError(`cannot import ${file.path}: no such file`, { source: file.path, cause: error });
    });
    if (!stats.isFile())
      throw new InputError(`cannot import ${file.path}: not a regular file`, { source: file.path });
    resolved.push({
      path,
      at: file.at ? parseImportTime(file.at) : stats.mtime.toISOString(),
      url: file.url ?? pathToFileURL(path).href,
    });
  }
  // With every time given, the archive's own chronology decides; otherwise the order given does.
  if (files.every((file) => file.at !== undefined)) resolved.sort((a, b) => a.at.localeCompare(b.at));
  return resolved;
}

/**
 * Records each file as a copy fetched by `sourceId` at its time, in order. The context's store
 * must be open for writing (locked). Stops at the first file the pipeline cannot read, with the
 * copies before it kept.
 */
export async function importCopies(
  ctx: ImportContext,
  planId: string,
  sourceId: string,
  files: ImportFile[],
  options: ImportOptions = {},
): Promise<ImportedCopy[]> {
  const base = importSource(ctx.config, planId, sourceId);
  const runId = options.runId ?? `import-${randomUUID().slice(0, 8)}`;
  const ordered = await resolveFiles(files);
  const held = await ctx.store.listSnapshots(sourceId);
  const imported: ImportedCopy[] = [];
  for (const file of ordered) {
    const format =
      base.format === "auto"
        ? (FORMAT_BY_EXTENSION[extname(file.path).toLowerCase()] ?? "auto")
        : base.format;
    const source: SourceConfig = { ...base, url: file.url, format };
    const read = await collect(
      {
        sourceId,
        url: pathToFileURL(file.path).href,
        ...(source.charset ? { charset: source.charset } : {}),
      },
      { maxBytes: source.http.maxBytes, retries: { attempts: 1 } },
    );
    if (read.kind !== "fetched") throw new InputError(`cannot import ${file.path}: nothing was read`);
    if (held.some((record) => record.bodyHash === read.bodyHash && record.fetchedAt === file.at)) {
      imported.push({ path: file.path, url: file.url, fetchedAt: file.at, status: "already-imported" });
      continue;
    }
    const outcome = await recordFetchedCopy(ctx, source, runId, {
      ...read,
      url: file.url,
      finalUrl: file.url,
      fetchedAt: file.at,
    });
    if (outcome.snapshotId) {
      await ctx.store.appendEvent(sourceId, {
        at: file.at,
        type: "imported",
        run: runId,
        file: file.path,
        snapshotId: outcome.snapshotId,
      });
    }
    const lineage = outcome.changes.find((change) => change.lineage)?.lineage;
    imported.push({
      path: file.path,
      url: file.url,
      fetchedAt: file.at,
      status: outcome.status,
      ...(outcome.snapshotId ? { snapshotId: outcome.snapshotId } : {}),
      ...(lineage ? { version: lineage.version, relation: lineage.relation } : {}),
    });
  }
  return imported;
}
