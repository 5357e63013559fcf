/** Validated user config → runtime config: defaults merged down, paths and URLs made absolute. */
import { availableParallelism } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ParsedUserConfig } from "./schema.js";
import { displayUrl, urlSecrets } from "./secrets.js";
import type { Config, HostLimits, HttpSettings, SourceConfig } from "./types.js";

/**
 * Parsing threads when the config names none: one core fewer than the machine has, at least one
 * and at most four. The main thread fetches, stores, diffs and judges lineage, and at first sight
 * it is as busy as the parsing: on 2 cores a second parsing thread only competes with it (1,000
 * pages read in the same wall time with one thread or two, the second costing 40 MB).
 */
export function defaultThreads(cores: number): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/** `substituted(path)`: the values `${VAR}` put into the string at that path, for redaction. */
export function normalizeConfig(
  user: ParsedUserConfig,
  file: string,
  substituted: (path: readonly (string | number)[]) => string[] = () => [],
): Config {
  const dir = path.dirname(file);
  const http: HttpSettings = {
    ...user.http,
    headers: mergeHeaders(user.http.headers),
    retries: { ...user.http.retries },
  };
  const hosts: Record<string, HostLimits> = {};
  for (const [host, limits] of Object.entries(user.hosts)) {
    hosts[host.toLowerCase()] = {
      perHost: limits.perHost ?? http.perHost,
      politenessMs: limits.politenessMs ?? http.politenessMs,
    };
  }

  const sources = user.sources.map((source, index): SourceConfig => {
    const { url, kind } = resolveSourceUrl(source.url, dir);
    const secrets = urlSecrets(url, substituted(["sources", index, "url"]));
    const shown = secrets.length === 0 ? url : displayUrl(url, secrets);
    const override = source.http ?? {};
    const hostLimits = kind === "http" ? hosts[new URL(url).hostname.toLowerCase()] : undefined;
    const effective: HttpSettings = {
      timeoutMs: override.timeoutMs ?? http.timeoutMs,
      maxBytes: override.maxBytes ?? http.maxBytes,
      maxRedirects: override.maxRedirects ?? http.maxRedirects,
      userAgent: override.userAgent ?? http.userAgent,
      headers: mergeHeaders(http.headers, override.headers, source.headers),
      retries: {
        attempts: override.retries?.attempts ?? http.retries.attempts,
        baseDelayMs: override.retries?.baseDelayMs ?? http.retries.baseDelayMs,
        maxDelayMs: override.retries?.maxDelayMs ?? http.retries.maxDelayMs,
      },
      perHost: hostLimits?.perHost ?? http.perHost,
      politenessMs: hostLimits?.politenessMs ?? http.politenessMs,
    };
    return {
      id: source.id,
      plan: source.plan,
      role: source.role,
      ...(source.title === undefined ? {} : { title: source.title }),
      url: shown,
      ...(shown === url ? {} : { fetchUrl: url, secrets }),
      kind,
      ...(source.select === undefined ? {} : { select: source.select }),
      ignore: [...source.ignore],
      schedule: source.schedule ?? user.schedule,
      ...withTimezone(source.timezone ?? user.timezone),
      jitterSeconds: user.jitterSeconds,
      format: source.format,
      ...(source.charset === undefined ? {} : { charset: source.charset }),
      enabled: source.enabled,
      deadlineMs: Math.round((source.deadlineSeconds ?? user.deadlineSeconds) * 1000),
      http: effective,
      ...(source.render === "browser"
        ? { render: { ...user.browser, args: [...user.browser.args], ...withWaitFor(source.waitFor) } }
        : {}),
      ...(source.discover === undefined
        ? {}
        : { discover: { ...source.discover, keywords: [...source.discover.keywords] } }),
    };
  });

  return {
    file,
    dir,
    storageDir: path.resolve(dir, user.storage.dir),
    lockLeaseMs: user.storage.lockLeaseSeconds * 1000,
    concurrency: user.concurrency,
    threads: user.threads ?? defaultThreads(availableParallelism()),
    shutdownGraceMs: user.shutdownGraceSeconds * 1000,
    storage:
      user.storage.driver === "postgres" && user.storage.url !== undefined
        ? {
            driver: "postgres",
            dir: path.resolve(dir, user.storage.dir),
            url: user.storage.url,
            poolSize: user.storage.poolSize,
            schema: user.storage.schema,
          }
        : { driver: "fs", dir: path.resolve(dir, user.storage.dir) },
    queue: { ...user.queue },
    schedule: user.schedule,
    ...withTimezone(user.timezone),
    jitterSeconds: user.jitterSeconds,
    http,
    documents: { ...user.documents },
    browser: { ...user.browser, args: [...user.browser.args] },
    hosts,
    health: { ...user.health },
    flapping: { ...user.flapping },
    lineage: { ...user.lineage },
    log: { ...user.log },
    plans: user.plans.map((plan) => ({ ...plan })),
    sources,
    notify: user.notify.map((notifier) => ({ ...notifier, id: notifier.id ?? notifier.type })),
    ...(user.publicBaseUrl === undefined ? {} : { publicBaseUrl: user.publicBaseUrl }),
  };
}

function withWaitFor(waitFor: string | undefined): { waitFor?: string } {
  return waitFor === undefined ? {} : { waitFor };
}

function withTimezone(timezone: string | undefined): { timezone?: string } {
  return timezone === undefined ? {} : { timezone };
}

/** Later layers win; names compare case-insensitively, the last spelling is kept. */
export function mergeHeaders(...layers: (Record<string, string> | undefined)[]): Record<string, string> {
  const byLowerName = new Map<string, [string, string]>();
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer ?? {}))
      byLowerName.set(name.toLowerCase(), [name, value]);
  }
  return Object.fromEntries(byLowerName.values());
}

function resolveSourceUrl(raw: string, dir: string): { url: string; kind: "http" | "file" } {
  const value = raw.trim();
  if (/^https?:/i.test(value)) return { url: new URL(value).href, kind: "http" };
  const rest = value.slice("file:".length);
  if (rest.startsWith("//")) return { url: new URL(value).href, kind: "file" };
  return { url: pathToFileURL(path.resolve(dir, decodePath(rest))).href, kind: "file" };
}

function decodePath(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
