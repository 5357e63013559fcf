import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/paths.js";
import { openFsStore, verifyFsStore } from "../../src/store/index.js";
import type { CycleReport } from "../../src/worker/types.js";
import { CLI, runCli } from "../helpers/cli.js";
import {
  type ConfigSpec,
  configYaml,
  fixturePage,
  makeWorkspace,
  type Site,
  startSite,
  type Workspace,
} from "./support.js";

let site: Site;
let ws: Workspace;

beforeEach(async () => {
  site = await startSite();
  ws = await makeWorkspace();
  // Both outlets carry the same version, so the plan's lineage sees one version and two witnesses.
  site.set("/wire.txt", await fixturePage("v2-amnesty.txt"));
  site.set("/outlet.html", await fixturePage("article.html"));
  site.set("/broken.txt", { status: 404, body: "no such page" });
});

afterEach(async () => {
  await site.close();
  await ws.cleanup();
});

async function writeConfig(spec: Partial<ConfigSpec> & { broken?: boolean }): Promise<string> {
  const sources = spec.sources ?? [
    { id: "wire", url: `${site.url}/wire.txt` },
    { id: "outlet", url: `${site.url}/outlet.html` },
    ...(spec.broken ? [{ id: "broken", url: `${site.url}/broken.txt` }] : []),
  ];
  await writeFile(ws.configFile, configYaml({ ...spec, sources }));
  return ws.configFile;
}

/** Output lines that begin with a source id, as the per-source table prints them. */
function lineOf(stdout: string, id: string): string | undefined {
  return stdout.split("\n").find((line) => line.startsWith(`${id} `));
}

describe.skipIf(!existsSync(CLI))("clausewatch check", () => {
  it("prints a line per source and exits 0 when every source is fine", async () => {
    const config = await writeConfig({});

    const result = await runCli(["check", "--once", "--config", config]);

    expect(result.status, result.stderr).toBe(0);
    const firstOrWitness = (id: string) =>
      new RegExp(
        `first-seen .*(first version v1 \\(28 points, \\d+ clauses\\) from ${id}|${id} now carries v1)`,
      );
    expect(lineOf(result.stdout, "wire")).toMatch(firstOrWitness("wire"));
    expect(lineOf(result.stdout, "outlet")).toMatch(firstOrWitness("outlet"));
    expect(result.stdout.trim().split("\n")).toHaveLength(2);
  });

  it("prints the cycle report as parseable JSON with --json", async () => {
    const config = await writeConfig({ broken: true });

    const result = await runCli(["check", "--once", "--json", "--config", config]);

    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as CycleReport;
    expect(report.outcomes.map((outcome) => [outcome.sourceId, outcome.status])).toEqual([
      ["wire", "first-seen"],
      ["outlet", "first-seen"],
      ["broken", "failed"],
    ]);
    expect(report.outcomes[0]?.changes[0]?.kind).toBe("baseline");
    expect(report.outcomes[2]?.error?.message).toContain(`${site.url}/broken.txt`);
  });

  it("checks only the sources named with --source", async () => {
    const config = await writeConfig({ broken: true });

    const result = await runCli(["check", "--once", "--source", "outlet", "--config", config]);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    expect(lineOf(result.stdout, "outlet")).toMatch(/first-seen/);
    expect(site.requestsTo("/wire.txt")).toEqual([]);
    expect(site.requestsTo("/broken.txt")).toEqual([]);
  });

  it("refuses an unknown source id with exit 2 and a message naming it", async () => {
    const config = await writeConfig({});

    const result = await runCli(["check", "--once", "--source", "nosuch", "--config", config]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown source "nosuch"/);
    expect(result.stdout).toBe("");
    expect(site.requests).toEqual([]);
  });

  it("refuses a config with problems with exit 2, listing every problem with its path once", async () => {
    await writeFile(
      ws.configFile,
      [
        "http: { timeoutMs: -5 }",
        "plans: [{ id: plan, title: Plan }]",
        "sources:",
        '  - { id: a, plan: plan, url: "ftp://example.org/x" }',
        '  - { id: b, plan: nope, url: "http://127.0.0.1:9/x" }',
        '  - { id: c, plan: plan, url: "http://127.0.0.1:9/y", schedule: "99 * * * *" }',
        "",
      ].join("\n"),
    );

    const result = await runCli(["check", "--once", "--config", ws.configFile]);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain(ws.configFile);
    for (const path of ["http.timeoutMs", "sources[0].url", "sources[1].plan", "sources[2].schedule"]) {
      const mentions = result.stderr.split("\n").filter((line) => line.includes(`${path}:`));
      expect(mentions, `${path} in:\n${result.stderr}`).toHaveLength(1);
    }
    expect(existsSync(ws.storeDir)).toBe(false);
  });
});

describe.skipIf(!existsSync(CLI))("clausewatch sources", () => {
  it("shows health, last check, failures and last error after a check that exits 1 for one failed source", async () => {
    const config = await writeConfig({ broken: true });
    const check = await runCli(["check", "--once", "--config", config]);

    const table = await runCli(["sources", "--config", config]);
    const json = await runCli(["sources", "--json", "--config", config]);

    expect(check.status, check.stderr).toBe(1);
    expect(lineOf(check.stdout, "broken")).toMatch(/failed .*404/);
    expect(lineOf(check.stdout, "broken")).toContain(`${site.url}/broken.txt`);
    expect(lineOf(check.stdout, "wire")).toMatch(/first-seen/);
    expect(lineOf(check.stdout, "outlet")).toMatch(/first-seen/);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(
      /SOURCE\s+HEALTH\s+LAST CHECK\s+LAST CHANGE\s+FAILS\s+LAST ERROR/,
    );
    expect(lineOf(table.stdout, "broken")).toMatch(
      /^broken\s+ok\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+-\s+1\s+.*404/,
    );
    expect(lineOf(table.stdout, "broken")).toContain(`${site.url}/broken.txt`);
    expect(lineOf(table.stdout, "wire")).toMatch(/^wire\s+ok\s+\d{4}-.*\s0\s*$/);
    expect(json.status).toBe(0);
    const rows = JSON.parse(json.stdout) as Array<{
      id: string;
      health: string;
      lastCheckAt: string | null;
      consecutiveFailures: number;
      lastError: { message: string } | null;
    }>;
    const broken = rows.find((row) => row.id === "broken");
    expect(broken?.health).toBe("ok");
    expect(broken?.consecutiveFailures).toBe(1);
    expect(broken?.lastCheckAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(broken?.lastError?.message).toContain(`${site.url}/broken.txt`);
    expect(rows.find((row) => row.id === "wire")?.lastError).toBeNull();
  });
});

describe.skipIf(!existsSync(CLI))("clausewatch demo", () => {
  it("tells the story, names the rewrite and the counter-proposal, and leaves a verified store", async () => {
    const dir = join(packageRoot(), "snapshots", "demo");

    const result = await runCli(["demo"], { cwd: packageRoot() });

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/wire-fulltext\s+changed .*Point 26 rewritten/);
    expect(result.stdout).toMatch(/outlet-article\s+noise/);
    expect(result.stdout).toMatch(/eu-council\s+changed .*600,000 → 800,000.*Point 3 removed/);
    expect(existsSync(join(dir, "sources", "wire-fulltext", "snapshots.jsonl"))).toBe(true);
    expect(await verifyFsStore(dir)).toEqual([]);
    const store = await openFsStore(dir, { lock: false });
    try {
      expect(await store.listSnapshots("wire-fulltext")).toHaveLength(2);
      const alerted = (await store.listChanges()).filter(
        (change) => change.kind === "content" && !change.suppressed,
      );
      expect(alerted.map((change) => change.headline)).toEqual([
        expect.stringMatching(/new version v2 .*Point 26 rewritten/),
        expect.stringMatching(/new version v3 .*Point 3 removed/),
      ]);
    } finally {
      await store.close();
    }
  });
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(25);
  }
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}

describe.skipIf(!existsSync(CLI))("clausewatch run", () => {
  it("holds the store against a second check or run, and stops cleanly on SIGTERM", async () => {
    const config = await writeConfig({});
    const heartbeatFile = join(ws.storeDir, "heartbeat.json");
    const worker = spawn(process.execPath, [CLI, "run", "--config", config], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let workerErr = "";
    worker.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      workerErr += chunk;
    });
    try {
      const readBeat = async () => {
        const text = await readFile(heartbeatFile, "utf8").catch(() => undefined);
        return text ? (JSON.parse(text) as { pid: number; state: string; lastCycle?: unknown }) : undefined;
      };
      const running = await waitFor("the run heartbeat after its first cycle", async () => {
        const beat = await readBeat();
        return beat?.lastCycle ? beat : undefined;
      });

      const check = await runCli(["check", "--once", "--config", config]);
      const second = await runCli(["run", "--config", config], { timeoutMs: 10_000 });
      const sources = await runCli(["sources", "--config", config]);
      worker.kill("SIGTERM");
      const exit = await exitOf(worker);

      expect(running).toMatchObject({ pid: worker.pid, state: "running" });
      expect(check.status).toBe(2);
      expect(check.stderr).toMatch(/is in use by a running clausewatch worker/);
      expect(check.stderr).toContain(`pid ${worker.pid}`);
      expect(second.status).toBe(2);
      expect(second.stderr).toContain(`pid ${worker.pid}`);
      expect(sources.status, sources.stderr).toBe(0);
      expect(lineOf(sources.stdout, "wire")).toMatch(/^wire\s+ok/);
      expect(exit, workerErr).toEqual({ code: 0, signal: null });
      expect(await readBeat()).toMatchObject({ pid: worker.pid, state: "stopped" });
      expect(existsSync(join(ws.storeDir, ".lock"))).toBe(false);
    } finally {
      if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
    }
  });
});
