import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { ConfigError } from "../../src/errors.js";

const CONFIG_DIR = fileURLToPath(new URL("../../config/", import.meta.url));
const EXAMPLE_ENV = {
  WIRE_TOKEN: "example-token",
  WEBHOOK_SECRET: "example-secret",
  SLACK_WEBHOOK_URL: "https://hooks.slack.test/services/T0/B0/x",
  SLACK_OPS_WEBHOOK_URL: "https://hooks.slack.test/services/T0/B1/y",
  SMTP_PASSWORD: "example-password",
};

describe("loadConfig", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "clausewatch-config-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a YAML file and resolves relative paths against its directory", async () => {
    await mkdir(path.join(dir, "watch"));
    const file = path.join(dir, "watch", "clausewatch.yml");
    await writeFile(
      file,
      "storage: { dir: ../data }\nplans: [{ id: p, title: P }]\nsources: [{ id: s, plan: p, url: 'file:copies/s.html' }]\n",
    );

    const config = await loadConfig(file, {});

    expect(config.file).toBe(file);
    expect(config.storageDir).toBe(path.join(dir, "data"));
    expect(config.sources[0]?.url).toBe(`file://${path.join(dir, "watch", "copies", "s.html")}`);
  });

  it("reads a JSON file by its extension, tolerating a byte order mark", async () => {
    const file = path.join(dir, "clausewatch.json");
    await writeFile(file, `\uFEFF${JSON.stringify({ schedule: "0 6 * * *", log: { format: "pretty" } })}`);

    const config = await loadConfig(file, {});

    expect(config.schedule).toBe("0 6 * * *");
    expect(config.log.format).toBe("pretty");
  });

  it("refuses a missing file with a ConfigError naming it", async () => {
    const file = path.join(dir, "absent.yaml");

    const error = await loadConfig(file, {}).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatch(
      new RegExp(`^${file}: cannot read the file \\(ENOENT`),
    );
  });
});

describe("example configs", () => {
  for (const name of ["example.yaml", "example.json"]) {
    it(`${name} loads cleanly with the variables it references`, async () => {
      const config = await loadConfig(path.join(CONFIG_DIR, name), EXAMPLE_ENV);

      expect(config.sources.map((source) => [source.id, source.role, source.kind])).toEqual([
        ["wire-fulltext", "draft", "http"],
        ["daily-coverage", "coverage", "http"],
        ["ministry-pdf", "draft", "http"],
        ["live-tracker", "draft", "http"],
        ["world-desk-feed", "coverage", "http"],
        ["desk-copy", "draft", "file"],
      ]);
      expect(config.sources[3]?.render).toEqual({
        executablePath: "/usr/bin/chromium",
        timeoutMs: 30000,
        args: [],
        waitFor: "#plan-points li",
      });
      expect(config.sources[4]?.discover?.keywords).toEqual(["peace plan", "28-point"]);
      expect(config.sources[0]?.http.headers.Authorization).toBe("Bearer example-token");
      expect(config.storageDir).toBe(path.join(CONFIG_DIR, "snapshots"));
    });

    it(`${name} is refused without the secrets it references, naming each`, async () => {
      const error = await loadConfig(path.join(CONFIG_DIR, name), {}).catch((caught: unknown) => caught);

      expect((error as ConfigError).problems).toEqual([
        "sources[0].headers.Authorization: environment variable WIRE_TOKEN is not set",
        "notify[1].secret: environment variable WEBHOOK_SECRET is not set",
        "notify[2].url: environment variable SLACK_WEBHOOK_URL is not set",
        "notify[3].url: environment variable SLACK_OPS_WEBHOOK_URL is not set",
        "notify[4].smtp.pass: environment variable SMTP_PASSWORD is not set",
      ]);
    });
  }

  it("example.yaml and example.json describe the same configuration", async () => {
    const fromYaml = await loadConfig(path.join(CONFIG_DIR, "example.yaml"), EXAMPLE_ENV);
    const fromJson = await loadConfig(path.join(CONFIG_DIR, "example.json"), EXAMPLE_ENV);

    expect({ ...fromJson, file: "" }).toEqual({ ...fromYaml, file: "" });
  });
});
