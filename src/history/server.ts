/**
 * The read-only web view: HTML pages, the JSON API behind them, `/healthz` and `/metrics`, on
 * plain `node:http`. Nothing here writes to the store.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Config } from "../config/index.js";
import { InputError } from "../errors.js";
import type { SnapshotStore } from "../store/index.js";
import { changeAnchor } from "./anchors.js";
import { entryMatches, isFiltered, parseCompareParams } from "./filter.js";
import {
  renderClausePage,
  renderComparePage,
  renderErrorPage,
  renderMapPage,
  renderPlanPage,
  renderPlansPage,
  renderSearchPage,
  renderSourcePage,
  renderVersionPage,
  serverLinks,
  VERSIONS_PER_PAGE,
} from "./pages.js";
import { type History, type HistoryMetrics, openHistory } from "./read.js";
import { versionPlainText } from "./version.js";

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8080;

/** No scripts at all: the pages work without JavaScript, so nothing scraped can run. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface HistoryServerOptions {
  config: Pick<Config, "storageDir" | "plans" | "sources"> & Partial<Pick<Config, "storage">>;
  /** Interface to bind. @default "127.0.0.1" */
  host?: string;
  /** Port; 0 picks a free one. @default 8080 */
  port?: number;
  /**
   * Required for every request but `/healthz`, as `Authorization: Bearer TOKEN` (or HTTP Basic
   * with the token as password, so a browser can ask for it). Required when `host` is not a
   * loopback address. @default undefined (no token; loopback only)
   */
  token?: string;
  logger?: Logger;
  /** A store to read instead of opening the configured one read-only. */
  store?: SnapshotStore;
}

export interface HistoryServer {
  /** `http://host:port` without a trailing slash. */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

/** 127.0.0.0/8, ::1 and localhost: the addresses that need no token. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    bare === "localhost" ||
    bare === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) ||
    /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare)
  );
}

class NotFound extends Error {}

function notFound(what: string): never {
  throw new NotFound(what);
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Compares digests so the time taken says nothing about how much of the token matched. */
function authorized(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const expected = digest(token);
  const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  if (bearer !== undefined) return timingSafeEqual(digest(bearer), expected);
  const basic = /^Basic\s+(.+)$/i.exec(header)?.[1];
  if (basic === undefined) return false;
  const decoded = Buffer.from(basic, "base64").toString("utf8");
  const password = decoded.slice(decoded.indexOf(":") + 1);
  return timingSafeEqual(digest(password), expected);
}

const BASE_HEADERS = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-cache",
};

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  res.writeHead(status, {
    ...BASE_HEADERS,
    "content-type": type,
    "content-length": String(bytes.length),
    ...headers,
  });
  res.end(req.method === "HEAD" ? undefined : bytes);
}

function prometheusLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The metrics in Prometheus text exposition format (version 0.0.4). */
export function renderMetrics(metrics: HistoryMetrics): string {
  const lines: string[] = [];
  const family = (name: string, type: string, help: string) =>
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  family("clausewatch_cycles_total", "counter", "Worker cycles recorded in the source event logs.");
  lines.push(`clausewatch_cycles_total ${metrics.cycles}`);
  family("clausewatch_fetch_duration_seconds", "histogram", "Time to check one source, per source.");
  for (const [source, durations] of Object.entries(metrics.durations)) {
    const label = `source="${prometheusLabel(source)}"`;
    const seconds = durations.map((ms) => ms / 1000);
    for (const bound of DURATION_BUCKETS) {
      const count = seconds.filter((value) => value <= bound).length;
      lines.push(`clausewatch_fetch_duration_seconds_bucket{${label},le="${bound}"} ${count}`);
    }
    lines.push(`clausewatch_fetch_duration_seconds_bucket{${label},le="+Inf"} ${seconds.length}`);
    const sum = seconds.reduce((total, value) => total + value, 0);
    lines.push(`clausewatch_fetch_duration_seconds_sum{${label}} ${Number(sum.toFixed(6))}`);
    lines.push(`clausewatch_fetch_duration_seconds_count{${label}} ${seconds.length}`);
  }
  family("clausewatch_fetch_failures_total", "counter", "Checks that failed, per source.");
  for (const [source, count] of Object.entries(metrics.failures))
    lines.push(`clausewatch_fetch_failures_total{source="${prometheusLabel(source)}"} ${count}`);
  family("clausewatch_changes_total", "counter", "Changes recorded, per kind.");
  for (const [kind, count] of Object.entries(metrics.changes))
    lines.push(`clausewatch_changes_total{kind="${prometheusLabel(kind)}"} ${count}`);
  family(
    "clausewatch_alerts",
    "gauge",
    "Alerts in the outbox waiting for a notifier (pending) or given up on (dead).",
  );
  lines.push(`clausewatch_alerts{status="pending"} ${metrics.alerts.pending}`);
  lines.push(`clausewatch_alerts{status="dead"} ${metrics.alerts.dead}`);
  family("clausewatch_sources_broken", "gauge", "Sources whose health is broken.");
  lines.push(`clausewatch_sources_broken ${metrics.sourcesBroken}`);
  family("clausewatch_sources", "gauge", "Sources known to the config or the store.");
  lines.push(`clausewatch_sources ${metrics.sources}`);
  return `${lines.join("\n")}\n`;
}

function decodeSegments(pathname: string): string[] | undefined {
  try {
    return pathname
      .split("/")
      .filter((part) => part !== "")
      .map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
}

function splitRange(range: string): [string, string] {
  const at = range.indexOf("..");
  if (at <= 0 || at + 2 >= range.length) notFound(`"${range}" is not a comparison: expected FROM..TO`);
  return [range.slice(0, at), range.slice(at + 2)];
}

type Answer =
  | { kind: "page"; html: string }
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string; headers: Record<string, string> }
  | { kind: "redirect"; location: string };

/** A whole number from 1 in a query parameter, or a clear 400. */
function pageNumber(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 1_000_000) {
    throw new InputError(`${name} must be a whole number from 1, got "${value.slice(0, 40)}"`);
  }
  return number;
}

/** A header-safe file name: letters, digits, dot, dash and underscore. */
function fileName(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, "_");
}

async function route(
  history: History,
  segments: string[],
  query: URLSearchParams,
  api: boolean,
): Promise<Answer> {
  const out = (value: unknown, html: () => string): Answer =>
    api ? { kind: "json", value } : { kind: "page", html: html() };
  const [head, id, sub, arg, ...rest] = segments;
  const planTitle = async (planId: string) =>
    (await history.plans()).find((plan) => plan.id === planId)?.title;

  if (head === undefined && !api) {
    const [plans, sources] = await Promise.all([history.plans(), history.sources()]);
    return out({ plans }, () => renderPlansPage(plans, sources));
  }
  if (head === "plans" && id === undefined) {
    if (!api) return { kind: "redirect", location: "/" };
    return out({ plans: await history.plans() }, () => "");
  }
  if (head === "plans" && id !== undefined && sub === undefined) {
    const page = pageNumber(query, "page");
    // The page describes what changed in the versions it shows; the JSON in every version.
    const plan =
      (await history.plan(id, api ? {} : { page: page ?? 1, perPage: VERSIONS_PER_PAGE })) ??
      notFound(`no plan "${id}"`);
    return out(plan, () => renderPlanPage(plan, serverLinks, page ? { page } : {}));
  }
  if (head === "plans" && id !== undefined && sub === "versions" && arg === undefined && !api) {
    return { kind: "redirect", location: `${serverLinks.plan(id)}#versions` };
  }
  if (head === "plans" && id !== undefined && sub === "versions" && arg !== undefined && rest.length === 0) {
    if (arg.endsWith(".txt") && !api) {
      const ref = arg.slice(0, -".txt".length);
      const side =
        (await history.text(id, ref)) ?? notFound(`no version or snapshot "${ref}" in plan "${id}"`);
      return {
        kind: "text",
        text: versionPlainText(side),
        headers: {
          "content-disposition": `inline; filename="${fileName(`${id}-${ref}`)}.txt"`,
          "x-clausewatch-snapshot": side.snapshotId,
          "x-body-sha256": side.provenance.bodyHash,
        },
      };
    }
    const view =
      (await history.version(id, arg)) ?? notFound(`no version or snapshot "${arg}" in plan "${id}"`);
    return out(view, () => renderVersionPage(view));
  }
  if (head === "plans" && id !== undefined && sub === "map" && arg === undefined) {
    const rows = query.get("rows") ?? "all";
    if (rows !== "all" && rows !== "changed") {
      throw new InputError(`rows must be "all" or "changed", got "${rows.slice(0, 40)}"`);
    }
    const from = query.get("from") ?? undefined;
    const page = pageNumber(query, "page");
    const columns = pageNumber(query, "columns");
    const map =
      (await history.map(id, {
        ...(from ? { from } : {}),
        rows,
        ...(page ? { page } : {}),
        ...(columns ? { columns } : {}),
      })) ?? notFound(from ? `no version "${from}" in plan "${id}"` : `no plan "${id}"`);
    return out(map, () => renderMapPage(map));
  }
  if (head === "plans" && id !== undefined && sub === "search" && arg === undefined) {
    const results = (await history.search(id, query.get("q") ?? "")) ?? notFound(`no plan "${id}"`);
    return out(results, () => renderSearchPage(results));
  }
  if (head === "plans" && id !== undefined && sub === "compare" && arg === undefined && !api) {
    const from = query.get("from");
    const to = query.get("to");
    if (!from || !to) notFound("a comparison needs from and to");
    return { kind: "redirect", location: serverLinks.compare(id, from, to) };
  }
  if (head === "plans" && id !== undefined && sub === "compare" && arg !== undefined && rest.length === 0) {
    const [from, to] = splitRange(arg);
    const params = parseCompareParams(query);
    const comparison =
      (await history.compare(id, from, to)) ??
      notFound(`no version or snapshot "${from}" or "${to}" in plan "${id}"`);
    const anchors = comparison.diff.entries.map(changeAnchor);
    const value = {
      ...comparison,
      anchors,
      ...(isFiltered(params)
        ? {
            filter: params,
            matching: comparison.diff.entries
              .filter((entry) => entryMatches(entry, params))
              .map(changeAnchor),
          }
        : {}),
    };
    return out(value, () =>
      renderComparePage(comparison, serverLinks, {
        title: comparison.planTitle,
        versions: comparison.versions,
        params,
      }),
    );
  }
  if (head === "plans" && id !== undefined && sub === "clauses" && arg !== undefined && rest.length === 0) {
    const version = query.get("in") ?? undefined;
    const timeline =
      (await history.clause(id, arg, version ? { version } : {})) ??
      notFound(`no clause "${arg}" in plan "${id}"`);
    const title = await planTitle(id);
    return out(timeline, () => renderClausePage(timeline, serverLinks, title ? { title } : {}));
  }
  if (head === "sources" && id === undefined && api)
    return out({ sources: await history.sources() }, () => "");
  if (head === "sources" && id !== undefined && sub === undefined) {
    const source = (await history.source(id)) ?? notFound(`no source "${id}"`);
    return out(source, () => renderSourcePage(source));
  }
  return notFound("no such page");
}

/** A request handler over a history; `startHistoryServer` wraps it in a server. */
/** A Host header naming this machine by a loopback name or address (with or without a port). */
function loopbackHostHeader(value: string | undefined): boolean {
  if (value === undefined) return false;
  const host = value.startsWith("[") ? value.slice(0, value.indexOf("]") + 1) : value.replace(/:\d+$/, "");
  return isLoopback(host);
}

export function createHistoryHandler(
  history: History,
  options: {
    token?: string;
    logger?: Logger;
    /**
     * Answer only requests whose Host header is a loopback name: without a token, a page on
     * another site whose name was re-pointed at 127.0.0.1 (DNS rebinding) must not read the view.
     * @default false
     */
    loopbackHostsOnly?: boolean;
  },
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    if (options.loopbackHostsOnly && !loopbackHostHeader(req.headers.host)) {
      send(
        req,
        res,
        421,
        "text/plain; charset=utf-8",
        "unknown Host: this view answers to localhost, 127.0.0.1 and [::1] only\n",
      );
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const segments = decodeSegments(url.pathname);
    const api = segments?.[0] === "api";
    const fail = (status: number, message: string, headers: Record<string, string> = {}) =>
      api || segments?.[0] === "metrics"
        ? send(
            req,
            res,
            status,
            "application/json; charset=utf-8",
            `${JSON.stringify({ error: message })}\n`,
            headers,
          )
        : send(req, res, status, "text/html; charset=utf-8", renderErrorPage(status, message), headers);
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        fail(405, "read-only: only GET and HEAD", { allow: "GET, HEAD" });
        return;
      }
      if (!segments) {
        fail(400, "the path is not valid percent-encoding");
        return;
      }
      if (segments.length === 1 && segments[0] === "healthz") {
        const ok = await history.readable();
        const body = { status: ok ? "ok" : "unavailable", store: ok ? "readable" : "unreadable" };
        send(req, res, ok ? 200 : 503, "application/json; charset=utf-8", `${JSON.stringify(body)}\n`);
        return;
      }
      if (options.token !== undefined && !authorized(req.headers.authorization, options.token)) {
        fail(401, "a bearer token is required", {
          "www-authenticate": 'Bearer realm="clausewatch", Basic realm="clausewatch", charset="UTF-8"',
        });
        return;
      }
      if (segments.length === 1 && segments[0] === "metrics") {
        const text = renderMetrics(await history.metrics());
        send(req, res, 200, "text/plain; version=0.0.4; charset=utf-8", text);
        return;
      }
      const [head, id, sub, snapshotId, last, ...extra] = segments;
      if (
        head === "sources" &&
        id &&
        sub === "snapshots" &&
        snapshotId &&
        last === "body" &&
        extra.length === 0
      ) {
        const found = await history.snapshotBody(id, snapshotId);
        if (!found) notFound(`no snapshot "${snapshotId}" of source "${id}"`);
        // Served as inert text, never as HTML: the body is whatever the site sent.
        send(req, res, 200, "text/plain; charset=utf-8", found.body, {
          "content-disposition": `attachment; filename="${id}-${snapshotId}.txt"`,
          "x-body-sha256": found.snapshot.bodyHash,
          ...(found.snapshot.contentType
            ? { "x-original-content-type": found.snapshot.contentType.replace(/[^\x20-\x7e]/g, "") }
            : {}),
        });
        return;
      }
      const answer = await route(history, api ? segments.slice(1) : segments, url.searchParams, api);
      if (answer.kind === "redirect") {
        res.writeHead(303, { ...BASE_HEADERS, location: answer.location }).end();
      } else if (answer.kind === "text") {
        send(req, res, 200, "text/plain; charset=utf-8", answer.text, answer.headers);
      } else if (answer.kind === "json") {
        send(req, res, 200, "application/json; charset=utf-8", `${JSON.stringify(answer.value, null, 2)}\n`);
      } else {
        send(req, res, 200, "text/html; charset=utf-8", answer.html);
      }
    } catch (error) {
      if (error instanceof NotFound) {
        fail(404, error.message);
        return;
      }
      if (error instanceof InputError) {
        fail(400, error.message);
        return;
      }
      options.logger?.error({ err: error, url: req.url }, "history request failed");
      if (!res.headersSent) fail(500, "the history could not be read; see the server log");
      else res.destroy();
    }
  };
}

/** Starts the web view. Refuses a non-loopback host without a token. */
export async function startHistoryServer(options: HistoryServerOptions): Promise<HistoryServer> {
  // `[::1]` as people write it in URLs; listen() wants the bare address.
  const host = (options.host ?? DEFAULT_HOST).replace(/^\[(.*)\]$/, "$1");
  const port = options.port ?? DEFAULT_PORT;
  const token = options.token === "" ? undefined : options.token;
  if (!isLoopback(host) && token === undefined) {
    throw new InputError(
      `serve: refusing to bind ${host} without a token: pass --token or set CLAUSEWATCH_TOKEN (only loopback addresses such as 127.0.0.1 may run without one)`,
    );
  }
  const history = await openHistory({
    config: options.config,
    ...(options.store ? { store: options.store } : {}),
  });
  const handler = createHistoryHandler(history, {
    ...(token !== undefined ? { token } : { loopbackHostsOnly: true }),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const server = createServer((req, res) => void handler(req, res));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await history.close();
    throw new InputError(`serve: cannot listen on ${host}:${port}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    host: address.address,
    port: address.port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await history.close();
    },
  };
}
