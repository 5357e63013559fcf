/**
 * Full integrity check of an fs store directory (`verify()` and `clausewatch` tooling): every
 * object against its address, every reference resolved, every log line parsed.
 */
import { promises as fsp } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { brotliDecompress, gunzip } from "node:zlib";
import { excerpt } from "../errors.js";
import type { ClauseSet } from "../types.js";
import { readJsonl } from "./atomic.js";
import { isOutboxAlert, isOutboxRecord, isPlanRecord, logFiles } from "./fs-logs.js";
import {
  clauseSetMatches,
  SOURCE_ID_PATTERN,
  sha256Hex,
  snapshotRecordProblem,
  sourceStateSchema,
} from "./records.js";
import type { ChangeRecord, SnapshotRecord } from "./types.js";

const gunzipAsync = promisify(gunzip);
const brotliDecompressAsync = promisify(brotliDecompress);

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

async function listDir(path: string): Promise<string[]> {
  try {
    return (await fsp.readdir(path)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Files of a two-level object tree (`<kind>/ab/<name>`), with misplaced entries reported. */
async function listObjects(root: string, kind: string, problems: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const prefix of await listDir(join(root, kind))) {
    if (!/^[0-9a-f]{2}$/.test(prefix)) {
      problems.push(`${kind}/${prefix}: unexpected entry`);
      continue;
    }
    for (const name of await listDir(join(root, kind, prefix))) {
      if (!name.startsWith(prefix)) problems.push(`${kind}/${prefix}/${name}: file in the wrong directory`);
      files.push(`${prefix}/${name}`);
    }
  }
  return files;
}

/**
 * Full integrity check of a store directory: every object against its address, every reference
 * resolved, every log line parsed. Reads every body, so it costs a full pass over the data.
 */
export async function verifyFsStore(dir: string): Promise<string[]> {
  const root = resolve(dir);
  const problems: string[] = [];

  const bodies = new Set<string>();
  for (const file of await listObjects(root, "bodies", problems)) {
    const match = /^[0-9a-f]{2}\/([0-9a-f]{64})\.(br|gz)$/.exec(file);
    if (match?.[1] === undefined) {
      problems.push(`bodies/${file}: unexpected file name`);
      continue;
    }
    const hash = match[1];
    try {
      const raw = await fsp.readFile(join(root, "bodies", file));
      const body = match[2] === "gz" ? await gunzipAsync(raw) : await brotliDecompressAsync(raw);
      const actual = sha256Hex(body);
      if (actual === hash) bodies.add(hash);
      else problems.push(`bodies/${file}: content hashes to ${actual}`);
    } catch (error) {
      problems.push(`bodies/${file}: does not decompress (${(error as Error).message})`);
    }
  }

  const clauseSets = new Set<string>();
  for (const file of await listObjects(root, "clausesets", problems)) {
    const hash = /^[0-9a-f]{2}\/([0-9a-f]{64})\.json$/.exec(file)?.[1];
    if (hash === undefined) {
      problems.push(`clausesets/${file}: unexpected file name`);
      continue;
    }
    const parsed = await parseFile(join(root, "clausesets", file));
    if (typeof parsed === "string") problems.push(`clausesets/${file}: ${parsed}`);
    else if (!clauseSetMatches(parsed.value as ClauseSet, hash))
      problems.push(`clausesets/${file}: content does not match its hash`);
    else clauseSets.add(hash);
  }

  for (const sourceId of await listDir(join(root, "sources"))) {
    const base = `sources/${sourceId}`;
    if (!SOURCE_ID_PATTERN.test(sourceId)) {
      problems.push(`${base}: not a valid source id`);
      continue;
    }
    const statePath = join(root, base, "state.json");
    if (
      await fsp.stat(statePath).then(
        () => true,
        () => false,
      )
    ) {
      const parsed = await parseFile(statePath);
      if (typeof parsed === "string") problems.push(`${base}/state.json: ${parsed}`);
      else {
        const result = sourceStateSchema.safeParse(parsed.value);
        if (!result.success)
          problems.push(`${base}/state.json: ${excerpt(result.error.issues[0]?.message ?? "invalid", 80)}`);
        else if (result.data.sourceId !== sourceId) {
          problems.push(`${base}/state.json: belongs to source ${JSON.stringify(result.data.sourceId)}`);
        }
      }
    }
    const index = await readJsonl<SnapshotRecord>(join(root, base, "snapshots.jsonl"), {
      accept: (v) => (isObject(v) && typeof v.id === "string" ? undefined : "index line without an id"),
    });
    problems.push(...index.problems.map((p) => relative(root, p)));
    for (const entry of index.records) {
      const problem = snapshotRecordProblem(entry, entry.id);
      if (problem !== undefined) {
        problems.push(`${base}/snapshots.jsonl: snapshot ${entry.id} is damaged: ${problem}`);
        continue;
      }
      if (entry.sourceId !== sourceId) {
        problems.push(`${base}/snapshots.jsonl: snapshot ${entry.id} belongs to source ${entry.sourceId}`);
      }
      if (!clauseSets.has(entry.clauseSetHash)) {
        problems.push(
          `${base}/snapshots.jsonl: snapshot ${entry.id}: clause set ${entry.clauseSetHash} is missing or damaged`,
        );
      }
      if (!bodies.has(entry.bodyHash))
        problems.push(
          `${base}/snapshots.jsonl: snapshot ${entry.id}: body ${entry.bodyHash} is missing or damaged`,
        );
    }
    const events = await readJsonl(join(root, base, "events.jsonl"), {
      accept: (v) => (isObject(v) && typeof v.type === "string" ? undefined : "event without a type"),
    });
    problems.push(...events.problems.map((p) => relative(root, p)));
  }

  const changes = await readJsonl<ChangeRecord>(join(root, "changes.jsonl"), {
    accept: (v) => (isObject(v) && typeof v.key === "string" ? undefined : "change without a key"),
  });
  problems.push(...changes.problems.map((p) => relative(root, p)));
  const seen = new Set<string>();
  for (const change of changes.records) {
    if (seen.has(change.key)) problems.push(`changes.jsonl: duplicate key ${JSON.stringify(change.key)}`);
    seen.add(change.key);
  }

  for (const file of await logFiles(root)) {
    const accept = file.startsWith("plans/")
      ? isPlanRecord
      : file.endsWith("alerts.jsonl")
        ? isOutboxAlert
        : isOutboxRecord;
    const log = await readJsonl(join(root, file), { accept });
    problems.push(...log.problems.map((p) => relative(root, p)));
  }

  const versionText = await fsp.readFile(join(root, "VERSION"), "utf8").catch(() => undefined);
  if (versionText !== undefined && !/^\s*\d+\s*$/.test(versionText))
    problems.push("VERSION: not a version number");
  return problems;
}

function relative(root: string, path: string): string {
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

async function parseFile(path: string): Promise<{ value: unknown } | string> {
  let text: string;
  try {
    text = await fsp.readFile(path, "utf8");
  } catch (error) {
    return `unreadable (${(error as NodeJS.ErrnoException).code ?? "error"})`;
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return `not valid JSON: ${JSON.stringify(excerpt(text, 40))}`;
  }
}
