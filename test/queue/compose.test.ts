import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../src/config/index.js";

const CONFIG_DIR = fileURLToPath(new URL("../../config/", import.meta.url));

describe("the PostgreSQL compose example", () => {
  it("runs postgres, a migration, two worker replicas and the web view from one image and config", async () => {
    const compose = parse(await readFile(`${CONFIG_DIR}compose.postgres.yaml`, "utf8"), { merge: true });
    const { postgres, migrate, worker, web } = compose.services;

    expect(Object.keys(compose.services).sort()).toEqual(["migrate", "postgres", "web", "worker"]);
    expect(postgres.image).toMatch(/^postgres:\d+/);
    expect(migrate.command).toEqual(["migrate"]);
    expect(worker.command).toEqual(["run"]);
    expect(worker.deploy.replicas).toBe(2);
    expect(web.command).toEqual(["serve", "--host", "0.0.0.0", "--port", "8080"]);
    expect(web.environment.CLAUSEWATCH_TOKEN).toMatch(/^\$\{CLAUSEWATCH_TOKEN:\?/);
    for (const service of [migrate, worker, web]) {
      expect(service.environment.CLAUSEWATCH_CONFIG).toBe("/app/config/example-postgres.yaml");
      expect(service.environment.DATABASE_URL).toMatch(
        /^postgres:\/\/clausewatch:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\//,
      );
    }
  });

  it("points at a config that loads with the postgres driver and its URL from the environment", async () => {
    const config = await loadConfig(`${CONFIG_DIR}example-postgres.yaml`, {
      DATABASE_URL: "postgres://clausewatch:pw@postgres:5432/clausewatch",
    });

    expect(config.storage).toEqual({
      driver: "postgres",
      url: "postgres://clausewatch:pw@postgres:5432/clausewatch",
      poolSize: 10,
      schema: "clausewatch",
      dir: `${CONFIG_DIR}snapshots`,
    });
    expect(config.queue).toEqual({ concurrency: 16, leaseSeconds: 600, pollSeconds: 2 });
    expect(config.sources.map((source) => source.kind)).toEqual(["file"]);
  });

  it("refuses the postgres driver without a URL, naming the setting", async () => {
    const error = await loadConfig(`${CONFIG_DIR}example-postgres.yaml`, {}).catch(
      (caught: unknown) => caught,
    );

    expect((error as { problems: string[] }).problems).toEqual([
      "storage.url: environment variable DATABASE_URL is not set",
    ]);
  });
});
