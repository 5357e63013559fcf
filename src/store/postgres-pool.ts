/**
 * Connections of the postgres driver: one pool for queries and transactions, one small pool for
 * advisory locks (a lock is held by a session, so its connection stays checked out while the
 * locked work runs — on its own pool it can never starve the queries that work makes), and the
 * bookkeeping every operation shares: refused after close, waited for by close, errors wrapped.
 */
import { createRequire } from "node:module";
import type pg from "pg";
import { StoreError } from "../errors.js";

export const POSTGRES_STORE_NAME = "postgres";
export const P = `${POSTGRES_STORE_NAME} store`;

/** `postgres://user:secret@host/db` → `postgres://user@host/db`: safe for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}

/** A double-quoted SQL identifier; the schema name is also checked against a strict pattern. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs queries against one client (a transaction) or the pool. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

export interface PgContext {
  pool: pg.Pool;
  lockPool: pg.Pool;
  /** The schema as quoted SQL, to prefix table names: `${ctx.s}.snapshots`. */
  s: string;
  schema: string;
  /** Where the store lives, password removed. */
  where: string;
  /** Runs one store operation: refused after close, awaited by close, pg errors become StoreError. */
  run<T>(what: string, work: () => Promise<T>): Promise<T>;
  /** `work` inside BEGIN … COMMIT on one connection (ROLLBACK when it throws). */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
}

export interface PgContextOptions {
  url: string;
  poolSize: number;
  schema: string;
  applicationName: string;
}

export function createPgContext(options: PgContextOptions): PgContext & {
  close(): Promise<void>;
  readonly closed: boolean;
} {
  const where = `${redactUrl(options.url)} (schema ${options.schema})`;
  // Loaded on first use, so commands on the fs store never load the PostgreSQL client.
  const { Pool } = createRequire(import.meta.url)("pg") as typeof pg;
  const common = { connectionString: options.url, application_name: options.applicationName };
  const pool = new Pool({ ...common, max: options.poolSize });
  const lockPool = new Pool({ ...common, max: Math.max(2, Math.ceil(options.poolSize / 2)) });
  // An idle client whose server went away emits here; the next query reports it properly.
  pool.on("error", () => undefined);
  lockPool.on("error", () => undefined);
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  return {
    pool,
    lockPool,
    s: quoteIdent(options.schema),
    schema: options.schema,
    where,
    transaction,
    get closed() {
      return closed;
    },
    run<T>(what: string, work: () => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(new StoreError(`${P}: ${where} is closed`));
      const running = work().catch((error: unknown) => {
        throw wrapError(what, where, error);
      });
      inFlight.add(running);
      const done = () => inFlight.delete(running);
      running.then(done, done);
      return running;
    },
    async close() {
      if (closed) return;
      closed = true;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await Promise.all([pool.end(), lockPool.end()]);
    },
  };
}

export function wrapError(what: string, where: string, error: unknown): Error {
  if (error instanceof StoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreError(`${P}: could not ${what} in ${where}: ${message}`, { cause: error });
}
