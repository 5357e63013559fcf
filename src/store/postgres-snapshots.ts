/**
 * Bodies, clause sets and snapshots in PostgreSQL. Bodies are brotli-compressed like the fs
 * driver's (`encoding` names the form, so a later driver can point at object storage instead);
 * a snapshot, its clause set and its place in the source's index are one transaction.
 */
import { promisify } from "node:util";
import { brotliCompress, brotliDecompress, constants as zlibConstants } from "node:zlib";
import type pg from "pg";
import { StoreError } from "../errors.js";
import type { ClauseSet } from "../types.js";
import { P, type PgContext, type Queryable } from "./postgres-pool.js";
import {
  buildSnapshotRecord,
  canonicalJson,
  checkBodyHash,
  checkSnapshotId,
  checkSourceId,
  clauseSetMatches,
  sha256Hex,
  snapshotRecordProblem,
} from "./records.js";
import type { SnapshotInput, SnapshotRecord, SnapshotStore, StoredSnapshot } from "./types.js";

const brotliCompressAsync = promisify(brotliCompress);
const brotliDecompressAsync = promisify(brotliDecompress);
const NAME = "postgres";

/** Adds a source to `sources` once; the set spares a round trip per write for known ones. */
export type RegisterSource = (db: Queryable, sourceId: string) => Promise<void>;

export function sourceRegistry(ctx: PgContext): RegisterSource {
  const known = new Set<string>();
  return async (db, sourceId) => {
    if (known.has(sourceId)) return;
    await db.query(`INSERT INTO ${ctx.s}.sources (source_id) VALUES ($1) ON CONFLICT DO NOTHING`, [sourceId]);
    known.add(sourceId);
  };
}

async function decodeBody(hash: string, encoding: string, data: Buffer): Promise<Buffer> {
  let body: Buffer;
  try {
    body = encoding === "br" ? await brotliDecompressAsync(data) : data;
  } catch (error) {
    throw new StoreError(`${P}: body ${hash} does not decompress`, { cause: error });
  }
  const actual = sha256Hex(body);
  if (actual !== hash) throw new StoreError(`${P}: body ${hash} hashes to ${actual}`);
  return body;
}

type SnapshotMethods = Pick<
  SnapshotStore,
  "putBody" | "getBody" | "hasBody" | "putSnapshot" | "getSnapshot" | "listSnapshots"
>;

export function snapshotMethods(
  ctx: PgContext,
  register: RegisterSource,
  options: { brotliQuality: number },
): SnapshotMethods {
  const { s } = ctx;
  const knownBodies = new Set<string>();

  async function bodyExists(db: Queryable, hash: string): Promise<boolean> {
    if (knownBodies.has(hash)) return true;
    const found = await db.query(`SELECT 1 FROM ${s}.bodies WHERE hash = $1`, [hash]);
    if (found.rowCount === 0) return false;
    knownBodies.add(hash);
    return true;
  }

  return {
    putBody(bytes) {
      return ctx.run("store a body", async () => {
        const hash = sha256Hex(bytes);
        if (knownBodies.has(hash)) return hash;
        const compressed = await brotliCompressAsync(bytes, {
          params: {
            [zlibConstants.BROTLI_PARAM_QUALITY]: options.brotliQuality,
            [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
          },
        });
        await ctx.pool.query(
          `INSERT INTO ${s}.bodies (hash, size, encoding, data) VALUES ($1, $2, 'br', $3) ON CONFLICT DO NOTHING`,
          [hash, bytes.byteLength, compressed],
        );
        knownBodies.add(hash);
        return hash;
      });
    },

    getBody(hash) {
      return ctx.run(`read body ${hash}`, async () => {
        checkBodyHash(NAME, hash);
        const result = await ctx.pool.query<{ encoding: string; data: Buffer }>(
          `SELECT encoding, data FROM ${s}.bodies WHERE hash = $1`,
          [hash],
        );
        const row = result.rows[0];
        if (!row) throw new StoreError(`${P}: no body ${hash} in ${ctx.where}`);
        return decodeBody(hash, row.encoding, row.data);
      });
    },

    hasBody(hash) {
      return ctx.run(`look up body ${hash}`, async () => {
        checkBodyHash(NAME, hash);
        return bodyExists(ctx.pool, hash);
      });
    },

    putSnapshot(input: SnapshotInput) {
      return ctx.run("store a snapshot", async () => {
        const { record, clauseSet } = buildSnapshotRecord(NAME, input);
        const { sourceId } = record;
        return ctx.transaction(async (client) => {
          if (!(await bodyExists(client, record.bodyHash))) {
            throw new StoreError(
              `${P}: snapshot of source ${sourceId} (${record.url}) references body ${record.bodyHash}, which is not stored; call putBody first`,
              { source: sourceId },
            );
          }
          await register(client, sourceId);
          await client.query(
            `INSERT INTO ${s}.clause_sets (hash, clause_set) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
            [record.clauseSetHash, canonicalJson(clauseSet)],
          );
          const inserted = await client.query(
            `INSERT INTO ${s}.snapshots (id, source_id, fetched_at, body_hash, clause_set_hash, record)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING seq`,
            [
              record.id,
              sourceId,
              record.fetchedAt,
              record.bodyHash,
              record.clauseSetHash,
              JSON.stringify(record),
            ],
          );
          if (inserted.rowCount === 1) {
            await client.query(
              `UPDATE ${s}.sources SET snapshots = snapshots + 1, latest_url = $2 WHERE source_id = $1`,
              [sourceId, record.url],
            );
            return record;
          }
          const existing = await client.query<{ record: SnapshotRecord }>(
            `SELECT record FROM ${s}.snapshots WHERE id = $1`,
            [record.id],
          );
          if (canonicalJson(existing.rows[0]?.record) !== canonicalJson(record)) {
            throw new StoreError(
              `${P}: snapshot id ${record.id} of source ${sourceId} collides with a different stored record`,
              { source: sourceId },
            );
          }
          return record;
        });
      });
    },

    getSnapshot(id) {
      return ctx.run(`read snapshot ${id}`, async () => {
        checkSnapshotId(NAME, id);
        const result = await ctx.pool.query<{ record: SnapshotRecord; clause_set: string }>(
          `SELECT n.record, c.clause_set FROM ${s}.snapshots n JOIN ${s}.clause_sets c ON c.hash = n.clause_set_hash WHERE n.id = $1`,
          [id],
        );
        const row = result.rows[0];
        if (!row) throw new StoreError(`${P}: no snapshot ${id} in ${ctx.where}`);
        const problem = snapshotRecordProblem(row.record, id);
        if (problem !== undefined) throw new StoreError(`${P}: snapshot ${id} is damaged: ${problem}`);
        const clauseSet = JSON.parse(row.clause_set) as ClauseSet;
        if (!clauseSetMatches(clauseSet, row.record.clauseSetHash)) {
          throw new StoreError(`${P}: clause set of snapshot ${id} does not match its hash`, {
            source: row.record.sourceId,
          });
        }
        return { ...row.record, clauseSet } satisfies StoredSnapshot;
      });
    },

    listSnapshots(sourceId) {
      return ctx.run(`list the snapshots of ${sourceId}`, async () => {
        checkSourceId(NAME, sourceId);
        const result = await ctx.pool.query<{ record: SnapshotRecord }>(
          `SELECT record FROM ${s}.snapshots WHERE source_id = $1 ORDER BY seq`,
          [sourceId],
        );
        return result.rows.map((row) => row.record);
      });
    },
  };
}

/** Integrity problems of bodies, clause sets and snapshots, read in pages. */
export async function verifySnapshots(ctx: PgContext, db: pg.Pool): Promise<string[]> {
  const { s } = ctx;
  const problems: string[] = [];
  for await (const row of pages<{ hash: string; encoding: string; data: Buffer; size: number }>(
    db,
    `SELECT hash, encoding, data, size FROM ${s}.bodies`,
    "hash",
  )) {
    try {
      const body = await decodeBody(row.hash, row.encoding, row.data);
      if (body.length !== row.size)
        problems.push(`body ${row.hash}: ${body.length} bytes, recorded ${row.size}`);
    } catch (error) {
      problems.push(`body ${row.hash}: ${(error as Error).message}`);
    }
  }
  for await (const row of pages<{ hash: string; clause_set: string }>(
    db,
    `SELECT hash, clause_set FROM ${s}.clause_sets`,
    "hash",
  )) {
    try {
      if (!clauseSetMatches(JSON.parse(row.clause_set) as ClauseSet, row.hash)) {
        problems.push(`clause set ${row.hash}: content does not match its hash`);
      }
    } catch {
      problems.push(`clause set ${row.hash}: not valid JSON`);
    }
  }
  for await (const row of pages<{
    id: string;
    source_id: string;
    body_hash: string;
    clause_set_hash: string;
    record: SnapshotRecord;
  }>(db, `SELECT id, source_id, body_hash, clause_set_hash, record FROM ${s}.snapshots`, "id")) {
    const problem = snapshotRecordProblem(row.record, row.id);
    if (problem !== undefined) problems.push(`snapshot ${row.id}: ${problem}`);
    else if (
      row.record.sourceId !== row.source_id ||
      row.record.bodyHash !== row.body_hash ||
      row.record.clauseSetHash !== row.clause_set_hash
    ) {
      problems.push(`snapshot ${row.id}: indexed columns differ from the record`);
    }
  }
  const counts = await db.query<{ source_id: string; recorded: number; actual: string }>(
    `SELECT s.source_id, s.snapshots AS recorded, count(n.id) AS actual
     FROM ${s}.sources s LEFT JOIN ${s}.snapshots n ON n.source_id = s.source_id
     GROUP BY s.source_id, s.snapshots HAVING s.snapshots <> count(n.id)`,
  );
  for (const row of counts.rows) {
    problems.push(`source ${row.source_id}: ${row.actual} snapshots, recorded ${row.recorded}`);
  }
  return problems;
}

/** Rows of `select` (which must not order or limit) in keyset pages, so a large table never sits in memory. */
export async function* pages<R extends pg.QueryResultRow>(
  db: Queryable,
  select: string,
  key: string,
  size = 500,
): AsyncGenerator<R> {
  let after: string | undefined;
  for (;;) {
    const result = await db.query<R>(
      after === undefined
        ? `${select} ORDER BY ${key} LIMIT ${size}`
        : `${select} WHERE ${key} > $1 ORDER BY ${key} LIMIT ${size}`,
      after === undefined ? [] : [after],
    );
    for (const row of result.rows) yield row;
    if (result.rows.length < size) return;
    after = String(result.rows[result.rows.length - 1]?.[key]);
  }
}
