/**
 * The runtime config: what the rest of clausewatch reads. Every source carries its effective
 * settings, so no stage has to merge global and per-source values itself.
 */
import type { StoreSettings } from "../store/index.js";
import type { UserNotifier } from "./schema.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
export type LogFormat = "json" | "pretty";
export type Severity = "none" | "cosmetic" | "minor" | "substantive";
export type SourceRole = "draft" | "coverage";
export type SourceFormat = "auto" | "html" | "text" | "markdown" | "pdf" | "docx";

export interface RetrySettings {
  /** Tries in total for a transient failure, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface HttpSettings {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  /** Global, per-source `http.headers` and per-source `headers` merged (names compared case-insensitively). */
  headers: Record<string, string>;
  retries: RetrySettings;
  /** Requests in flight to this source's host at most (same for every source on the host). */
  perHost: number;
  /** Minimum gap between two requests to this source's host (same for every source on the host). */
  politenessMs: number;
}

export interface HostLimits {
  perHost: number;
  politenessMs: number;
}

/** Bounds on reading one PDF or Word file (see src/read). */
export interface DocumentSettings {
  maxPages: number;
  timeoutMs: number;
  maxMemoryMb: number;
}

/** Headless Chromium for `render: browser` sources. */
export interface BrowserSettings {
  executablePath: string;
  /** Deadline of one page. */
  timeoutMs: number;
  /** Flags added to the built-in set. */
  args: string[];
}

/** How a source renders its page in the browser (`render: browser`). */
export interface RenderSettings extends BrowserSettings {
  /** CSS selector to wait for; network idle when absent. */
  waitFor?: string;
}

/** A coverage source that is a feed or sitemap: how its entries become articles. */
export interface DiscoverSettings {
  keywords: string[];
  planVocabulary: boolean;
  maxEntriesPerCycle: number;
  maxAgeHours: number;
  recheckHours: number;
  maxArticles: number;
}

export interface PlanConfig {
  id: string;
  title: string;
  description?: string;
}

export interface SourceConfig {
  id: string;
  plan: string;
  role: SourceRole;
  title?: string;
  /**
   * Absolute URL: `http(s)://…` or `file:///…` (relative file paths resolved against the config
   * directory), as it may be shown and stored: credentials and `${VAR}` parts masked (`***`).
   */
  url: string;
  /** The URL to fetch, when it differs from `url` (it holds secrets); never show or store it. */
  fetchUrl?: string;
  /** Strings of `fetchUrl` to mask wherever text about this source is shown (see redactSecrets). */
  secrets?: string[];
  /** How the source is read, from the URL scheme. */
  kind: "http" | "file";
  select?: string;
  ignore: string[];
  schedule: string;
  timezone?: string;
  jitterSeconds: number;
  format: SourceFormat;
  charset?: string;
  enabled: boolean;
  /**
   * The most one check of this source may take, waits for a host slot or a thread excluded.
   * @default 120000 (what the worker applies when a hand-made SourceConfig leaves it out)
   */
  deadlineMs?: number;
  http: HttpSettings;
  /** Present when the page is rendered in headless Chromium (`render: browser`). */
  render?: RenderSettings;
  /** Present when the source is a feed or sitemap listing coverage articles. */
  discover?: DiscoverSettings;
}

/** A notifier's user options with its id resolved (the type when the user gave none). */
export type NotifierConfig = UserNotifier & { id: string };

export interface Config {
  /** Absolute path of the config file. */
  file: string;
  /** Directory relative paths were resolved against. */
  dir: string;
  /** `storage.dir` resolved: the fs store, or (postgres) this machine's heartbeat and feeds. */
  storageDir: string;
  /** Lease of the store lock (see src/store/lock.ts). */
  lockLeaseMs: number;
  /** Sources checked at once. */
  concurrency: number;
  /** Parsing threads; 0 parses on the main thread. */
  threads: number;
  /** On SIGTERM, how long sources in flight may finish before they are cut short and the process exits. */
  shutdownGraceMs: number;
  /** The store to open (`openConfiguredStore`). */
  storage: StoreSettings;
  /** The job queue of `run` with the postgres driver. */
  queue: QueueSettings;
  schedule: string;
  timezone?: string;
  jitterSeconds: number;
  /** Global HTTP settings (what a source gets without overrides). */
  http: HttpSettings;
  /** Bounds on reading PDF and Word documents. */
  documents: DocumentSettings;
  browser: BrowserSettings;
  /** Effective limits per host name (lower case) for every host that has overrides. */
  hosts: Record<string, HostLimits>;
  health: { failureThreshold: number };
  flapping: { window: number };
  /** Same version, divergent copy or new version: see src/lineage. */
  lineage: { divergentShare: number };
  log: { level: LogLevel; format: LogFormat };
  plans: PlanConfig[];
  sources: SourceConfig[];
  notify: NotifierConfig[];
  /** Base URL of the published history view, for links in alerts. */
  publicBaseUrl?: string;
}

export interface QueueSettings {
  concurrency: number;
  leaseSeconds: number;
  pollSeconds: number;
}

/** One thing wrong with a config: where (`["sources", 2, "url"]`) and what. */
export interface Problem {
  path: readonly (string | number)[];
  message: string;
}
