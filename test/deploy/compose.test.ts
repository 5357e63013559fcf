/**
 * The container files, read as Docker would read them (no Docker engine here): the compose file
 * parsed with YAML merge keys, the Dockerfile's instructions. `.ci/production-start` replays the
 * image's install and start; this checks what only Docker itself would otherwise notice.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Mount {
  type: string;
  source: string;
  target: string;
  read_only?: boolean;
}

interface Service {
  image?: string;
  build?: { context: string };
  command?: string[];
  volumes?: Mount[];
  environment?: Record<string, string | null>;
  ports?: string[];
  stop_grace_period?: string;
  init?: boolean;
  restart?: string;
  healthcheck?: { test: string[] };
}

async function compose(): Promise<{
  services: Record<string, Service>;
  volumes: Record<string, { name?: string }>;
}> {
  const text = await readFile(new URL("../../config/compose.yaml", import.meta.url), "utf8");
  return parse(text, { merge: true });
}

async function dockerfile(): Promise<string[]> {
  const text = await readFile(new URL("../../Dockerfile", import.meta.url), "utf8");
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"));
}

const seconds = (duration: string | undefined) => Number(/^(\d+)s$/.exec(duration ?? "")?.[1] ?? Number.NaN);

describe("config/compose.yaml", () => {
  it("has a worker and a read-only serve on the same named store, in syntax Compose v1 and v2 both read", async () => {
    const file = await compose();

    expect(Object.keys(file).sort()).toEqual(["services", "volumes", "x-clausewatch"]);
    expect(Object.keys(file.services)).toEqual(["clausewatch", "serve"]);
    expect(file.volumes).toEqual({ data: { name: "clausewatch-data" } });
    const store = (service: Service | undefined) =>
      service?.volumes?.find((mount) => mount.target === "/app/snapshots");
    expect(store(file.services.clausewatch)).toEqual({
      type: "volume",
      source: "data",
      target: "/app/snapshots",
    });
    expect(store(file.services.serve)).toEqual({
      type: "volume",
      source: "data",
      target: "/app/snapshots",
      read_only: true,
    });
  });

  it("runs the worker with enough stop grace for its own shutdown, under tini", async () => {
    const worker = (await compose()).services.clausewatch;

    expect(worker?.command).toEqual(["run"]);
    expect(worker?.init).toBe(true);
    expect(worker?.restart).toBe("unless-stopped");
    // shutdownGraceSeconds (8 s by default) plus the 2 s the forced exit allows.
    expect(seconds(worker?.stop_grace_period)).toBeGreaterThanOrEqual(10);
  });

  it("serves the history with a token on the host's loopback only, health-checked on /healthz", async () => {
    const serve = (await compose()).services.serve;

    expect(serve?.command).toEqual(["serve", "--host", "0.0.0.0", "--port", "8080"]);
    expect(serve?.ports).toEqual(["127.0.0.1:8080:8080"]);
    expect(serve?.environment).toHaveProperty("CLAUSEWATCH_TOKEN", null);
    expect(serve?.healthcheck?.test.join(" ")).toContain("http://127.0.0.1:8080/healthz");
    expect(serve?.image).toBe("clausewatch:latest");
  });

  it("documents /metrics", async () => {
    const text = await readFile(new URL("../../config/compose.yaml", import.meta.url), "utf8");

    expect(text).toMatch(
      /curl -H "Authorization: Bearer \$CLAUSEWATCH_TOKEN" http:\/\/127\.0\.0\.1:8080\/metrics/,
    );
  });
});

describe("Dockerfile", () => {
  it("installs with npm ci in both stages (production dependencies only at run time)", async () => {
    const runs = (await dockerfile()).filter((line) => line.startsWith("RUN npm"));

    expect(runs).toEqual([
      "RUN npm ci --no-audit --no-fund",
      "RUN npm run build",
      "RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force",
    ]);
  });

  it("declares no VOLUME, so a plain docker run leaves no anonymous volume behind", async () => {
    expect((await dockerfile()).filter((line) => /^VOLUME\b/i.test(line))).toEqual([]);
  });
});
