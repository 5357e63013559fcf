/**
 * Shared pieces of the worker tests: a loopback site whose pages change between cycles, configs
 * written as real YAML and parsed like a user's file, and a worker context on a real temp store.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { IncomingHttpHeaders, RequestListener } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { createHostLimiter } from "../../src/collect/index.js";
import { type Config, parseConfig } from "../../src/config/index.js";
import { createLogger } from "../../src/log.js";
import { type FsStore, openFsStore } from "../../src/store/index.js";
import type { WorkerContext } from "../../src/worker/types.js";
import { startServer, type TestServer } from "../helpers/http-server.js";

export const PLAN_DIR = fileURLToPath(new URL("../fixtures/plan/", import.meta.url));

/** The plan fixtures used as page bodies. */
export type PlanFixture =
  | "v1-draft.txt"
  | "v2-amnesty.txt"
  | "article.html"
  | "article-noise.html"
  | "counter.txt";

const cache = new Map<string, Buffer>();

export async function planFixture(name: PlanFixture): Promise<Buffer> {
  const cached = cache.get(name);
  if (cached) return cached;
  const body = await readFile(join(PLAN_DIR, name));
  cache.set(name, body);
  return body;
}

/** What one path of the site answers. */
export interface Page {
  body?: string | Buffer;
  /** @default 200 */
  status?: number;
  /** @default text/plain for .txt, text/html for .html */
  type?: string;
  /** Send an ETag and answer a matching If-None-Match with 304. @default false */
  etag?: boolean;
  headers?: Record<string, string>;
  /** Wait this long before answering. @default 0 */
  delayMs?: number;
  /** Full control; the fields above are ignored. */
  handler?: RequestListener;
}

export interface SiteRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

export interface Site extends TestServer {
  /** Replaces what a path answers from now on. */
  set(path: string, page: Page): void;
  /** Every request received, oldest first. */
  requests: SiteRequest[];
  requestsTo(path: string): SiteRequest[];
}

export async function fixturePage(name: PlanFixture, extra: Omit<Page, "body"> = {}): Promise<Page> {
  const type = name.endsWith(".html") ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
  return { type, ...extra, body: await planFixture(name) };
}

export async function startSite(): Promise<Site> {
  const pages = new Map<string, Page>();
  const requests: SiteRequest[] = [];
  const server = await startServer((req, res) => {
    const path = req.url ?? "/";
    requests.push({ path, headers: req.headers });
    const page = pages.get(path);
    if (!page) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    if (page.handler) {
      page.handler(req, res);
      return;
    }
    const answer = () => {
      const body = page.body ?? "";
      const headers: Record<string, string> = {
        "content-type": page.type ?? (path.endsWith(".html") ? "text/html" : "text/plain"),
        ...page.headers,
      };
      if (page.etag) {
        const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
        headers.etag = etag;
        if (req.headers["if-none-match"] === etag) {
          res.writeHead(304, { etag }).end();
          return;
        }
      }
      res.writeHead(page.status ?? 200, headers).end(body);
    };
    if (page.delayMs) setTimeout(answer, page.delayMs);
    else answer();
  });
  return {
    ...server,
    set(path, page) {
      pages.set(path, page);
    },
    requests,
    requestsTo: (path) => requests.filter((request) => request.path === path),
  };
}

/** One source in a test config; `http` is the per-source override block. */
export interface SourceSpec {
  id: string;
  url: string;
  plan?: string;
  role?: "draft" | "coverage";
  http?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface ConfigSpec {
  sources: SourceSpec[];
  /** @default 3 */
  failureThreshold?: number;
  /** @default 6 */
  flappingWindow?: number;
  /** Global http block, over fast test defaults. */
  http?: Record<string, unknown>;
  /** @default a far-away schedule, so a `run` never ticks during a test */
  schedule?: string;
  /** @default "silent" */
  logLevel?: string;
  /** storage.lockLeaseSeconds. @default the config's default (30) */
  lockLeaseSeconds?: number;
  /** Top-level settings merged in as written (concurrency, threads, deadlineSeconds …). */
  extra?: Record<string, unknown>;
}

/** A config file as a user would write it (YAML, store relative to the file). */
export function configYaml(spec: ConfigSpec): string {
  return stringify({
    storage: {
      dir: "./store",
      ...(spec.lockLeaseSeconds === undefined ? {} : { lockLeaseSeconds: spec.lockLeaseSeconds }),
    },
    ...spec.extra,
    schedule: spec.schedule ?? "0 0 1 1 *",
    jitterSeconds: 0,
    http: {
      timeoutMs: 3000,
      retries: { attempts: 1, baseDelayMs: 1, maxDelayMs: 5 },
      perHost: 4,
      politenessMs: 0,
      ...spec.http,
    },
    health: { failureThreshold: spec.failureThreshold ?? 3 },
    flapping: { window: spec.flappingWindow ?? 6 },
    log: { level: spec.logLevel ?? "silent" },
    plans: [{ id: "peace-plan", title: "Peace plan" }],
    sources: spec.sources.map(({ plan, ...source }) => ({ plan: plan ?? "peace-plan", ...source })),
    notify: [{ type: "log", minSeverity: "minor" }],
  });
}

export interface Workspace {
  dir: string;
  /** `<dir>/clausewatch.yaml`, the name configs are parsed under. */
  configFile: string;
  /** `<dir>/store`, where `configYaml` puts the store. */
  storeDir: string;
  config(spec: ConfigSpec): Config;
  /** A worker context on a freshly opened (locked) store; closed by `cleanup`. */
  context(config: Config): Promise<WorkerContext & { store: FsStore }>;
  cleanup(): Promise<void>;
}

export async function makeWorkspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), "clausewatch-worker-"));
  const configFile = join(dir, "clausewatch.yaml");
  const opened: FsStore[] = [];
  return {
    dir,
    configFile,
    storeDir: join(dir, "store"),
    config: (spec) => parseConfig(configYaml(spec), { file: configFile, env: {} }),
    async context(config) {
      const store = await openFsStore(config.storageDir);
      opened.push(store);
      return {
        config,
        store,
        logger: createLogger({ level: "silent" }),
        limiter: createHostLimiter({ perHost: 2, delayMs: 0 }),
      };
    },
    async cleanup() {
      for (const store of opened) await store.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
