import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type AlertRow, deliverPending, enqueueChanges } from "../../src/alert/index.js";
import { type Config, loadConfig } from "../../src/config/index.js";
import { runCli } from "../helpers/cli.js";
import { makeTempDir, recordingNotifier, sampleChange, silentLogger } from "./delivery-support.js";

let dir: string;
let cleanup: () => Promise<void>;
let configFile: string;
let config: Config;

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
  configFile = join(dir, "clausewatch.yaml");
  await writeFile(
    configFile,
    stringify({
      storage: { dir: "./store" },
      plans: [{ id: "peace-plan", title: "Peace plan" }],
      sources: [{ id: "wire", plan: "peace-plan", url: "http://127.0.0.1:9/plan.txt" }],
      notify: [{ type: "log", id: "desk" }],
    }),
  );
  config = await loadConfig(configFile, {});
  // Alerts 1 and 2 are delivered; each test adds alert 3, which the receiver refuses for good.
  await enqueueChanges([sampleChange(1), sampleChange(2)], { config, storageDir: config.storageDir });
  const desk = recordingNotifier("desk");
  await deliverPending({ config, storageDir: config.storageDir, logger: silentLogger, notifiers: [desk] });
});

afterEach(async () => {
  await cleanup();
});

async function addDeadAlert(): Promise<void> {
  await enqueueChanges([sampleChange(3)], { config, storageDir: config.storageDir });
  const refusing = recordingNotifier("desk");
  refusing.failNext(1, "permanent");
  await deliverPending({
    config,
    storageDir: config.storageDir,
    logger: silentLogger,
    notifiers: [refusing],
  });
}

describe("clausewatch alerts", () => {
  it("lists every alert with its status per notifier", async () => {
    await addDeadAlert();

    const json = await runCli(["alerts", "--config", configFile, "--json"]);
    const table = await runCli(["alerts", "--config", configFile]);

    expect(json.status).toBe(0);
    const rows = JSON.parse(json.stdout) as AlertRow[];
    expect(rows.map((row) => `${row.id} ${row.status}`)).toEqual([
      `${sampleChange(1).key} delivered`,
      `${sampleChange(2).key} delivered`,
      `${sampleChange(3).key} dead`,
    ]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^ID +DETECTED +KIND +SEVERITY +NOTIFIERS +HEADLINE$/m);
    expect(table.stdout).toContain(
      `${sampleChange(3).key}  2025-11-20 10:00:03  content       substantive desk:dead ×1`,
    );
    expect(table.stdout).toContain("Peace plan: point 3 rewritten");
    expect(table.stdout).toMatch(/└ desk: test notifier "desk": receiver answered 404/);
  });

  it("shows only dead ones with --dead, and re-queues one with retry", async () => {
    await addDeadAlert();

    const dead = await runCli(["alerts", "--dead", "--json", "--config", configFile]);
    const retry = await runCli(["alerts", "retry", sampleChange(3).key, "--config", configFile]);
    const pending = await runCli(["alerts", "--pending", "--json", "--config", configFile]);
    const again = await runCli(["alerts", "retry", sampleChange(3).key, "--config", configFile]);

    expect((JSON.parse(dead.stdout) as AlertRow[]).map((row) => row.id)).toEqual([sampleChange(3).key]);
    expect(retry.status).toBe(0);
    expect(retry.stdout).toContain(`re-queued ${sampleChange(3).key} for desk`);
    expect((JSON.parse(pending.stdout) as AlertRow[]).map((row) => row.id)).toEqual([sampleChange(3).key]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("is not dead");
  });

  it("exits 2 with a clear message for an unknown alert id", async () => {
    const result = await runCli(["alerts", "retry", "no-such-alert", "--config", configFile]);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown alert "no-such-alert"');
  });

  it("exits 2 for an unknown notifier of a known alert", async () => {
    const result = await runCli([
      "alerts",
      "retry",
      sampleChange(1).key,
      "--notifier",
      "pager",
      "--config",
      configFile,
    ]);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('was not meant for notifier "pager"');
  });
});
