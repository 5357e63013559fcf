/** The commands people run against a postgres store: migrate, alerts, alerts retry, sources. */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { stringify } from "yaml";
import { openPostgresStore } from "../../src/store/index.js";
import { CLI, runCli } from "../helpers/cli.js";
import { describePg, dropSchema, freshSchemaName, pgUrl } from "../helpers/pg.js";

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function configFor(storage: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "clausewatch-pgcli-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, "clausewatch.yaml");
  await writeFile(
    file,
    stringify({
      storage,
      plans: [{ id: "peace-plan", title: "Peace plan" }],
      sources: [{ id: "wire", plan: "peace-plan", url: "https://example.test/plan.txt" }],
      notify: [{ type: "log", id: "desk" }],
    }),
  );
  return file;
}

describePg.skipIf(!existsSync(CLI))("commands on the postgres driver", () => {
  it("migrate applies the schema once, then reports it up to date, never printing the password", async () => {
    const schema = freshSchemaName();
    cleanups.push(() => dropSchema(schema));
    const url = new URL(pgUrl);
    url.password = "not-printed";
    const config = await configFor({ driver: "postgres", url: url.toString(), schema });

    const first = await runCli(["migrate", "--config", config]);
    const second = await runCli(["migrate", "--config", config]);

    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /applied migration 1 \(snapshots, logs and outbox\)\n.*applied migration 2 \(settled outbox rows\)\n.*schema version 0 → 2\n$/,
    );
    expect(second.stdout).toMatch(new RegExp(`\\(schema ${schema}\\): schema version 2, up to date\\n$`));
    expect(first.stdout + second.stdout).not.toContain("not-printed");
  });

  it("migrate on an fs config says the store is up to date", async () => {
    const config = await configFor({ dir: "./store" });

    const result = await runCli(["migrate", "--config", config]);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^fs store .*store: format 2, up to date\n$/);
  });

  it("lists the outbox and re-queues a dead alert as a normal insert", async () => {
    const schema = freshSchemaName();
    cleanups.push(() => dropSchema(schema));
    const config = await configFor({ driver: "postgres", url: pgUrl, schema });
    const store = await openPostgresStore({ url: pgUrl, schema });
    const alert = {
      id: "wire:2:content:abc",
      detectedAt: "2025-11-20T10:00:00.000Z",
      kind: "content",
      severity: "substantive",
      headline: "Peace plan: point 26 rewritten",
      plan: { id: "peace-plan", title: "Peace plan" },
      source: { id: "wire", url: "https://example.test/plan.txt" },
    };
    await store.appendOutboxAlerts([{ at: "2025-11-20T10:00:00.000Z", targets: ["desk"], alert }]);
    await store.appendOutboxRecord("deliveries", {
      at: "2025-11-20T10:05:00.000Z",
      alertId: alert.id,
      notifier: "desk",
      outcome: "dead",
    });
    await store.close();

    const dead = await runCli(["alerts", "--dead", "--json", "--config", config]);
    const retry = await runCli(["alerts", "retry", alert.id, "--config", config]);
    const after = await runCli(["alerts", "--json", "--config", config]);

    expect(dead.status, dead.stderr).toBe(0);
    expect((JSON.parse(dead.stdout) as Array<{ id: string }>).map((row) => row.id)).toEqual([alert.id]);
    expect(retry.status, retry.stderr).toBe(0);
    expect(retry.stdout).toMatch(/^re-queued wire:2:content:abc for desk/);
    const rows = JSON.parse(after.stdout) as Array<{ status: string }>;
    expect(rows.map((row) => row.status)).toEqual(["pending"]);
  });

  it("refuses to read a database that was never migrated, saying what to run", async () => {
    const schema = freshSchemaName();
    const config = await configFor({ driver: "postgres", url: pgUrl, schema });

    const result = await runCli(["sources", "--config", config]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/schema version 0, this clausewatch needs 2; run "clausewatch migrate"/);
  });
});
