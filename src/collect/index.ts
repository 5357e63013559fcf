import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { RenderSettings } from "../config/types.js";
import { FetchError } from "../errors.js";
import { declaresBinaryDocument, sniffBinaryDocument } from "../read/detect.js";
import { retryDelayMs } from "./classify.js";
import { abortable } from "./deadline.js";
import {
  DecodeProblem,
  decodeContent,
  decodeText,
  formatBytes,
  isBinaryMediaType,
  parseContentType,
} from "./decode.js";
import { readFileUrl } from "./file.js";
import { httpGet } from "./http.js";
import type {
  CollectControl,
  CollectOptions,
  CollectOptionsInput,
  CollectOutcome,
  CollectRequest,
  HostLimiter,
} from "./types.js";

export { abortable, createDeadline, type Deadline, DeadlineExceeded } from "./deadline.js";
export { createHostLimiter } from "./host-limiter.js";
export type {
  CharsetSource,
  CollectControl,
  CollectOptions,
  CollectOptionsInput,
  CollectOutcome,
  CollectRequest,
  FetchedOutcome,
  HostLimiter,
  HostLimiterOptions,
  NotModifiedOutcome,
  RetryOptions,
  UnchangedOutcome,
} from "./types.js";

/** Kept equal to package.json's version by a test; read at build time would drag package.json into dist. */
export const CLAUSEWATCH_VERSION = "0.1.0";

export const DEFAULT_COLLECT_OPTIONS: CollectOptions = Object.freeze({
  timeoutMs: 30_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: `clausewatch/${CLAUSEWATCH_VERSION} (+https://github.com/clausewatch)`,
  retries: Object.freeze({ attempts: 3, baseDelayMs: 500, maxDelayMs: 30_000 }),
});

/**
 * Fetches one source's document (http(s) or file:) and returns its bytes decoded to text with
 * provenance, or says that nothing changed. Transient failures are retried with backoff; every
 * failure ends as a FetchError whose message names the URL and the tries made.
 */
export async function collect(
  req: CollectRequest,
  options: CollectOptionsInput = {},
  limiter?: HostLimiter,
  control: CollectControl = {},
): Promise<CollectOutcome> {
  const resolved: CollectOptions = {
    ...DEFAULT_COLLECT_OPTIONS,
    ...defined(options),
    retries: { ...DEFAULT_COLLECT_OPTIONS.retries, ...defined(options.retries ?? {}) },
  };
  const maxAttempts = Math.max(1, Math.floor(resolved.retries.attempts));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attemptOnce(req, resolved, limiter, attempt, control);
    } catch (error) {
      if (control.signal?.aborted) throw control.signal.reason;
      const failure = asFetchError(req, error);
      // A server that asks for more patience than a retry may wait is asked again in a later
      // cycle, not hammered within this one.
      const patience = failure.retryAfter === undefined ? 0 : failure.retryAfter * 1000;
      if (failure.kind === "transient" && patience > resolved.retries.maxDelayMs)
        throw deferred(failure, attempt);
      if (failure.kind === "permanent" || attempt >= maxAttempts) throw withAttempts(failure, attempt);
      await sleep(retryDelayMs(attempt + 1, resolved.retries, failure.retryAfter), undefined, {
        ...(control.signal ? { signal: control.signal } : {}),
      }).catch(() => {
        throw control.signal?.reason;
      });
    }
  }
}

async function attemptOnce(
  req: CollectRequest,
  options: CollectOptions,
  limiter: HostLimiter | undefined,
  attempts: number,
  control: CollectControl,
): Promise<CollectOutcome> {
  const protocol = protocolOf(req);
  if (protocol === "file:") {
    // A read that blocks (a dead network mount) cannot be interrupted; the check stops waiting for it.
    const reading = readFileUrl(req, options.maxBytes);
    const file = await (control.signal ? abortable(reading, control.signal) : reading);
    return finish(req, {
      attempts,
      status: 200,
      finalUrl: req.url,
      redirects: [],
      contentType: undefined,
      contentEncoding: undefined,
      etag: undefined,
      lastModified: file.lastModified,
      raw: file.raw,
      maxBytes: options.maxBytes,
    });
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new FetchError(`${req.url} has unsupported scheme ${protocol}, expected http:, https: or file:`, {
      kind: "permanent",
      source: req.sourceId,
    });
  }
  if (req.render) return rendered(req, req.render, options, limiter, attempts);
  const response = await httpGet(
    req,
    options,
    limiter,
    (contentType, url) => {
      const media = parseContentType(contentType);
      if (media !== undefined && isBinaryMediaType(media.essence) && !mayBeDocument(media.essence, url)) {
        throw new FetchError(`${url} is not a text document (content-type ${media.essence})`, {
          kind: "permanent",
          source: req.sourceId,
        });
      }
    },
    control,
  );
  const fetchedAt = new Date().toISOString();
  if (response.status === 304) {
    return {
      kind: "not-modified",
      status: 304,
      url: req.url,
      finalUrl: response.finalUrl,
      redirects: response.redirects,
      fetchedAt,
      attempts,
      ...optional("etag", response.etag ?? req.etag),
      ...optional("lastModified", response.lastModified ?? req.lastModified),
    };
  }
  return finish(req, { ...response, attempts, maxBytes: options.maxBytes });
}

/** A page built by scripts: its DOM after rendering, as UTF-8 HTML. No validators: a browser cannot ask conditionally. */
async function rendered(
  req: CollectRequest,
  settings: RenderSettings,
  options: CollectOptions,
  limiter: HostLimiter | undefined,
  attempts: number,
): Promise<CollectOutcome> {
  // playwright-core loads only for sources that render.
  const { renderPage } = await import("../render/index.js");
  const headers = Object.fromEntries(
    Object.entries(req.headers ?? {}).filter(([name]) => name.toLowerCase() !== "user-agent"),
  );
  const run = () =>
    renderPage({ sourceId: req.sourceId, url: req.url, settings, userAgent: options.userAgent, headers });
  const page = limiter === undefined ? await run() : await limiter.run(req.url, run);
  const raw = Buffer.from(page.html, "utf8");
  if (raw.length > options.maxBytes) {
    throw new FetchError(
      `rendering ${req.url}: the page exceeds ${formatBytes(options.maxBytes)} limit (maxBytes)`,
      {
        kind: "permanent",
        source: req.sourceId,
      },
    );
  }
  return finish(req, {
    attempts,
    status: page.status,
    finalUrl: page.finalUrl,
    redirects: [],
    contentType: "text/html; charset=utf-8",
    contentEncoding: undefined,
    etag: undefined,
    lastModified: undefined,
    raw,
    maxBytes: options.maxBytes,
  });
}

interface Received {
  attempts: number;
  status: number;
  finalUrl: string;
  redirects: string[];
  contentType: string | undefined;
  contentEncoding: string | undefined;
  etag: string | undefined;
  lastModified: string | undefined;
  raw: Buffer;
  maxBytes: number;
}

async function finish(req: CollectRequest, received: Received): Promise<CollectOutcome> {
  const fetchedAt = new Date().toISOString();
  const subject = received.finalUrl;
  try {
    const body = await decodeContent(received.raw, received.contentEncoding, received.maxBytes);
    const bodyHash = createHash("sha256").update(body).digest("hex");
    const provenance = {
      status: received.status,
      url: req.url,
      finalUrl: received.finalUrl,
      redirects: received.redirects,
      fetchedAt,
      attempts: received.attempts,
      ...optional("contentType", received.contentType),
      ...optional("etag", received.etag),
      ...optional("lastModified", received.lastModified),
    };
    // An equal hash ends the work early: no charset decoding for a body already processed.
    if (req.previousBodyHash !== undefined && req.previousBodyHash.toLowerCase() === bodyHash) {
      return { kind: "unchanged", ...provenance, bodyHash };
    }
    const media = parseContentType(received.contentType);
    // PDF and Word files are read from their bytes by the document reader, not decoded as text.
    const binary = sniffBinaryDocument(body);
    if (binary !== undefined) {
      return {
        kind: "fetched",
        ...provenance,
        charset: "binary",
        charsetSource: "sniff",
        body,
        bodyHash,
        text: "",
        binary,
      };
    }
    const declared = req.charset ? { essence: media?.essence ?? "text/plain", charset: req.charset } : media;
    // A charset forced by the config is not second-guessed.
    const { charset, charsetSource, text, conflict } = decodeText(
      body,
      req.charset ? { essence: "text/plain", charset: req.charset } : declared,
    );
    return {
      kind: "fetched",
      ...provenance,
      charset,
      charsetSource,
      body,
      bodyHash,
      text,
      ...(conflict ? { charsetConflict: conflict } : {}),
    };
  } catch (error) {
    if (!(error instanceof DecodeProblem)) throw error;
    const message =
      error.reason === "binary" ? `${subject} ${error.message}` : `${subject}: ${error.message}`;
    throw new FetchError(message, { kind: "permanent", source: req.sourceId, cause: error });
  }
}

/** Types a PDF or Word file may come as; the bytes decide after the download (`finish`). */
function mayBeDocument(essence: string, url: string): boolean {
  return (
    essence === "application/octet-stream" ||
    declaresBinaryDocument({ mediaType: essence, name: url }) !== undefined
  );
}

function protocolOf(req: CollectRequest): string {
  try {
    return new URL(req.url).protocol;
  } catch (error) {
    throw new FetchError(`"${req.url}" is not a valid URL`, {
      kind: "permanent",
      source: req.sourceId,
      cause: error,
    });
  }
}

function asFetchError(req: CollectRequest, error: unknown): FetchError {
  if (error instanceof FetchError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new FetchError(`collecting ${req.url} failed: ${reason}`, {
    kind: "permanent",
    source: req.sourceId,
    cause: error,
  });
}

/** The message gains how many tries were made; kind, status and cause are kept. */
function withAttempts(error: FetchError, attempts: number): FetchError {
  const tries = `${attempts} ${attempts === 1 ? "attempt" : "attempts"}`;
  const note = error.kind === "permanent" ? `permanent, ${tries}` : `transient, gave up after ${tries}`;
  return new FetchError(`${error.message} [${note}]`, {
    kind: error.kind,
    source: error.source,
    cause: error.cause,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
  });
}

/** A transient failure whose Retry-After exceeds what one retry may wait: try in a later cycle. */
function deferred(error: FetchError, attempts: number): FetchError {
  const tries = `${attempts} ${attempts === 1 ? "attempt" : "attempts"}`;
  return new FetchError(`${error.message} [deferred to a later cycle after ${tries}]`, {
    kind: "transient",
    source: error.source,
    cause: error.cause,
    deferSeconds: error.retryAfter ?? 0,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
  });
}

/** Options read from config may carry explicit undefineds; those must not erase the defaults. */
function defined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
