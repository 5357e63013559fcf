/**
 * vitest globalSetup: a PostgreSQL server for the postgres driver's tests. Uses
 * CLAUSEWATCH_TEST_DATABASE_URL when set (CI starts one), else starts a throwaway cluster from the
 * installed server binaries. Without either the postgres tests skip, saying why — unless
 * CLAUSEWATCH_REQUIRE_POSTGRES=1, which makes a missing server fail the run instead.
 */
import type { TestProject } from "vitest/node";
import { type Cluster, postgresBinDir, startCluster } from "../../bench/pg-cluster.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Connection URL of the test server, "" when there is none. */
    pgUrl: string;
    /** Why there is no server, when there is none. */
    pgMissing: string;
  }
}

let cluster: Cluster | undefined;

export async function setup(project: TestProject): Promise<void> {
  const given = process.env.CLAUSEWATCH_TEST_DATABASE_URL;
  let url = given ?? "";
  let missing = "";
  if (!url) {
    if (postgresBinDir()) {
      try {
        cluster = await startCluster();
        url = cluster.url;
      } catch (error) {
        missing = `a throwaway PostgreSQL cluster did not start: ${(error as Error).message}`;
      }
    } else {
      missing =
        "no PostgreSQL server: set CLAUSEWATCH_TEST_DATABASE_URL or install the postgresql package (initdb under /usr/lib/postgresql/<version>/bin)";
    }
  }
  if (!url && process.env.CLAUSEWATCH_REQUIRE_POSTGRES === "1") {
    throw new Error(`CLAUSEWATCH_REQUIRE_POSTGRES=1 but ${missing}`);
  }
  if (missing) process.stderr.write(`postgres tests will be skipped: ${missing}\n`);
  project.provide("pgUrl", url);
  project.provide("pgMissing", missing);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
}
