/**
 * The CLI as operators meet it: read-only commands that need none of the worker's secrets,
 * `sources` on a store no check has written, `health` on a broken config, `check`'s exit status
 * when alerts were not delivered, a config nested absurdly deep, and `serve` on loopback
 * (Host check, `[::1]`, a token from the environment).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { CLI, runCli } from "../helpers/cli.js";
import { startServer, type TestServer } from "../helpers/http-server.js";
import { configYaml, fixturePage, makeWorkspace, type Site, startSite, type Workspace } from "./support.js";

let site: Site;
let ws: Workspace;
const children: ChildProcess[] = [];
const servers: TestServer[] = [];

beforeEach(async () => {
  site = await startSite();
  ws = await makeWorkspace();
  site.set("/wire.txt", await fixturePage("v1-draft.txt"));
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const server of servers.splice(0)) await server.close();
  await site.close();
  await ws.cleanup();
});

/** A config whose webhook and source header take their secrets from the environment. */
async function configWithSecrets(extra: Record<string, unknown> = {}): Promise<string> {
  const base = JSON.parse(JSON.stringify((await import("yaml")).parse(configYaml({ sources: [] }))));
  const config = {
    ...base,
    sources: [
      {
        id: "wire",
        plan: "peace-plan",
        url: `${site.url}/wire.txt`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's ${VAR} syntax
        headers: { Authorization: "Bearer ${WIRE_TOKEN}" },
      },
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's ${VAR} syntax
    notify: [{ type: "webhook", id: "desk", url: "${HOOK_URL}", secret: "${HOOK_SECRET}" }],
    ...extra,
  };
  await writeFile(ws.configFile, stringify(config));
  return ws.configFile;
}

const NO_SECRETS = { WIRE_TOKEN: undefined, HOOK_URL: undefined, HOOK_SECRET: undefined };

describe.skipIf(!existsSync(CLI))("read-only commands", () => {
  it("run without the notifiers' and sources' secrets, which only check and run need", async () => {
    const file = await configWithSecrets();
    const env = { ...process.env, ...NO_SECRETS };
    delete env.WIRE_TOKEN;
    delete env.HOOK_URL;
    delete env.HOOK_SECRET;
    const seeded = await runCli(["check", "--once", "--config", file], {
      env: { WIRE_TOKEN: "t", HOOK_URL: `${site.url}/hook`, HOOK_SECRET: "s" },
    });

    const results = await Promise.all(
      [
        ["sources"],
        ["versions", "peace-plan"],
        ["coverage", "peace-plan"],
        ["alerts"],
        ["export", "peace-plan", "--format", "jsonl"],
      ].map(async (args) => ({ args, result: await runCli([...args, "--config", file], { env }) })),
    );
    const check = await runCli(["check", "--once", "--config", file], { env });

    expect(seeded.stdout).toMatch(/^wire\s+first-seen/m);
    for (const { args, result } of results) {
      expect({ args, status: result.status, stderr: result.stderr }).toEqual({ args, status: 0, stderr: "" });
    }
    expect(check.status).toBe(2);
    expect(check.stderr).toMatch(/environment variable HOOK_URL is not set/);
  });

  it("`sources` lists a store no check has written yet", async () => {
    await writeFile(ws.configFile, configYaml({ sources: [{ id: "wire", url: `${site.url}/wire.txt` }] }));

    const result = await runCli(["sources", "--config", ws.configFile]);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.split("\n")[1]).toMatch(/^wire\s+new\s+-\s+-\s+0$/);
    expect(existsSync(ws.storeDir)).toBe(false);
  });

  it("`health -c FILE` reports what is wrong with the config instead of checking the demo store", async () => {
    await writeFile(
      ws.configFile,
      "plans: [{ id: peace-plan, title: Plan }]\nsources:\n  - { id: wire, plan: nope, url: x }\n",
    );

    const result = await runCli(["health", "--config", ws.configFile]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^clausewatch: invalid configuration in .*clausewatch\.yaml \(2 problems\)/,
    );
    expect(result.stderr).toMatch(/sources\[0\]\.plan: unknown plan "nope"/);
    expect(result.stderr).not.toMatch(/heartbeat/);
  });

  it("refuses a config nested absurdly deep with a clear error, not a stack trace", async () => {
    const file = join(ws.dir, "deep.json");
    await writeFile(file, `{"plans": ${"[".repeat(50_000)}${"]".repeat(50_000)}}`);

    const result = await runCli(["sources", "--config", file]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/deep\.json: JSON nested more than 64 levels deep \(at plans\[0\]\[0\]/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe.skipIf(!existsSync(CLI))("check --once when alerts cannot be delivered", () => {
  it("exits 4, says so, and keeps the alert queued for the next run", async () => {
    const receiver = await startServer((_req, res) => res.writeHead(500).end("down"));
    servers.push(receiver);
    await writeFile(
      ws.configFile,
      configYaml({ sources: [{ id: "wire", url: `${site.url}/wire.txt` }] }).replace(
        /notify:[\s\S]*$/,
        stringify({ notify: [{ type: "webhook", id: "desk", url: `${receiver.url}/hook` }] }),
      ),
    );
    await runCli(["check", "--once", "--config", ws.configFile]);
    site.set("/wire.txt", await fixturePage("v2-amnesty.txt"));

    const result = await runCli(["check", "--once", "--config", ws.configFile]);
    const pending = await runCli(["alerts", "--pending", "--json", "--config", ws.configFile]);

    expect(result.status).toBe(4);
    expect(result.stdout).toMatch(/^wire\s+changed/m);
    expect(result.stderr).toMatch(/clausewatch: 1 alert delivery attempt\(s\) failed and will be retried/);
    expect(JSON.parse(pending.stdout).map((row: { kind: string }) => row.kind)).toEqual(["content"]);
  });
});

/** Starts `serve` and resolves with the URL it printed. */
function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--config", ws.configFile, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const url = / at (http:\/\/\S+?)\/ /.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

/** A GET with a Host header of our choosing (fetch would not let us pick one). */
function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on("error", reject)
      .end();
  });
}

describe.skipIf(!existsSync(CLI))("clausewatch serve", () => {
  beforeEach(async () => {
    await writeFile(ws.configFile, configYaml({ sources: [{ id: "wire", url: `${site.url}/wire.txt` }] }));
    await runCli(["check", "--once", "--config", ws.configFile]);
  });

  it("on loopback without a token, answers only to loopback Host names (no DNS rebinding)", async () => {
    const url = await serve([]);
    const port = new URL(url).port;

    const statuses = await Promise.all([
      get(`${url}/api/plans`),
      get(`${url}/api/plans`, { host: `localhost:${port}` }),
      get(`${url}/api/plans`, { host: "attacker.example" }),
      get(`${url}/api/plans`, { host: `attacker.example:${port}` }),
    ]);

    expect(statuses).toEqual([200, 200, 421, 421]);
  });

  it("binds [::1] as written in a URL", async () => {
    const url = await serve(["--host", "[::1]"]);

    expect(url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect(await get(`${url}/healthz`)).toBe(200);
  });

  it("takes the token from CLAUSEWATCH_TOKEN, so it need not appear in the process list", async () => {
    const url = await serve(["--host", "0.0.0.0"], { CLAUSEWATCH_TOKEN: "env-token-5e2b" });
    const local = url.replace("0.0.0.0", "127.0.0.1");

    const statuses = await Promise.all([
      get(`${local}/api/plans`),
      get(`${local}/api/plans`, { authorization: "Bearer env-token-5e2b" }),
    ]);

    expect(statuses).toEqual([401, 200]);
  });
});
