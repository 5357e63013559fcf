/** Contracts of the collect stage: the only network edge of the worker. */
import type { RenderSettings } from "../config/types.js";
import type { BinaryDocumentKind } from "../read/detect.js";

export interface CollectRequest {
  /** Source id from the config; errors carry it as `source`. */
  sourceId: string;
  /** `http:`, `https:` or `file:` URL of the document. */
  url: string;
  /** Custom headers from the config, merged over the defaults (names compared case-insensitively). */
  headers?: Record<string, string>;
  /** ETag of the previous successful fetch: sent as `If-None-Match`. */
  etag?: string;
  /** Last-Modified of the previous successful fetch: sent as `If-Modified-Since`. */
  lastModified?: string;
  /** sha256 hex of the previous body: an equal body ends with the `unchanged` outcome. */
  previousBodyHash?: string;
  /** Encoding forced by the config for a site that mislabels its pages; beats header and meta. */
  charset?: string;
  /** Render the page in headless Chromium (`render: browser`) instead of reading it as served. */
  render?: RenderSettings;
}

export interface RetryOptions {
  /**
   * Total tries, the first one included; only transient failures are tried again.
   * @default 3
   */
  attempts: number;
  /**
   * Base of the exponential backoff (full jitter: a random wait up to `base * 2^(try-1)`).
   * @default 500
   */
  baseDelayMs: number;
  /**
   * Upper bound of any wait between tries, Retry-After included.
   * @default 30000
   */
  maxDelayMs: number;
}

export interface CollectOptions {
  /**
   * Deadline of one try, from the request start to the last body byte, redirects included;
   * a server that trickles bytes still ends here. Waiting for a per-host slot or the politeness
   * delay does not count.
   * @default 30000
   */
  timeoutMs: number;
  /**
   * Largest body accepted, both as sent and after content-decoding.
   * @default 5242880 (5 MiB)
   */
  maxBytes: number;
  /**
   * Redirects followed before giving up.
   * @default 5
   */
  maxRedirects: number;
  /**
   * Sent with every request unless the source's headers set their own.
   * @default "clausewatch/<version> (+https://github.com/clausewatch)"
   */
  userAgent: string;
  /** @default { attempts: 3, baseDelayMs: 500, maxDelayMs: 30000 } */
  retries: RetryOptions;
}

/** What callers pass: any option may be left out, retries field by field. */
export type CollectOptionsInput = Partial<Omit<CollectOptions, "retries">> & {
  retries?: Partial<RetryOptions>;
};

/** Where the charset of `text` came from. */
export type CharsetSource = "header" | "bom" | "meta" | "sniff";

interface Provenance {
  /** The requested URL. */
  url: string;
  /** The URL after redirects. */
  finalUrl: string;
  /** Every URL redirected to, in order (empty when there was no redirect). */
  redirects: string[];
  /** ISO time the successful response arrived. */
  fetchedAt: string;
  /** Tries it took, the successful one included. */
  attempts: number;
}

/** The server confirmed the validators: nothing new to read. */
export interface NotModifiedOutcome extends Provenance {
  kind: "not-modified";
  status: 304;
  etag?: string;
  lastModified?: string;
}

/** A body came back, but its hash equals `previousBodyHash`; it was not decoded. */
export interface UnchangedOutcome extends Provenance {
  kind: "unchanged";
  status: number;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  bodyHash: string;
}

export interface FetchedOutcome extends Provenance {
  kind: "fetched";
  status: number;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  /** WHATWG encoding name used to decode `text` (`"utf-8"`, `"windows-1251"` …). */
  charset: string;
  charsetSource: CharsetSource;
  /** Raw bytes after content-decoding (gzip/br/deflate), before charset decoding. */
  body: Buffer;
  /** sha256 hex of `body`. */
  bodyHash: string;
  /** `body` decoded with `charset`, byte order mark removed; empty for a binary document. */
  text: string;
  /** The Content-Type header and the document declared different charsets (logged by the worker). */
  charsetConflict?: { header: string; document: string; used: "header" | "document"; why: string };
  /** A PDF or Word file, read from `body` by the document reader; `text` is empty and `charset` is `"binary"`. */
  binary?: BinaryDocumentKind;
}

export type CollectOutcome = NotModifiedOutcome | UnchangedOutcome | FetchedOutcome;

/** Per-host concurrency and politeness, shared by every collect of a cycle. */
export interface HostLimiter {
  /**
   * Runs `task` once the URL's host (`hostname:port`) has a free slot and the politeness delay
   * since the previous start to that host has passed.
   */
  run<T>(url: string, task: () => Promise<T>): Promise<T>;
  /**
   * Resolves with a release function once the URL's host has a free slot and the politeness
   * delay has passed; rejects with the signal's reason (leaving the queue) if it aborts first.
   */
  slot(url: string, signal?: AbortSignal): Promise<() => void>;
}

/** How a caller steers one collect: abort it, and keep its waits off its own clock. */
export interface CollectControl {
  /** Aborts the collect (the source's deadline, a shutdown) with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Wraps every wait for a per-host slot and politeness delay, so the caller's deadline can stop
   * counting while the source only queues. The per-try `timeoutMs` never counts these waits.
   */
  waiting?: <T>(wait: () => Promise<T>) => Promise<T>;
}

export interface HostLimiterOptions {
  /** Requests in flight at once to one host. */
  perHost: number;
  /** Least time between two request starts to one host. */
  delayMs: number;
  /** Different limits for some hosts, keyed by lower-case host name (no port). */
  hosts?: Record<string, { perHost: number; delayMs: number }>;
}
