/**
 * The postgres driver in tests: the server from the global setup, and a fresh schema per store so
 * tests never see each other's rows.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, inject } from "vitest";
import { openPostgresStore, type PostgresStore } from "../../src/store/index.js";

export const pgUrl = inject("pgUrl");
export const pgMissing = inject("pgMissing");

/** A skipped block whose name says why, for when there is no server (also through `.skipIf`). */
function skippedForNoServer(name: string, ...rest: unknown[]): void {
  describe.skip(`${name} (skipped: ${pgMissing})`, ...(rest as []));
}
skippedForNoServer.skipIf = () => skippedForNoServer;

/** `describe` when a server is there, else a skipped block that names why. */
export const describePg: typeof describe = pgUrl
  ? describe
  : (skippedForNoServer as unknown as typeof describe);

export function freshSchemaName(): string {
  return `t_${randomBytes(6).toString("hex")}`;
}

/** Drops a test schema (and everything in it). */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS "${schema}_queue" CASCADE`);
  } finally {
    await client.end();
  }
}

export async function openTestStore(schema = freshSchemaName()): Promise<PostgresStore> {
  return openPostgresStore({ url: pgUrl, schema, poolSize: 4 });
}
