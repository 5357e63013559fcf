import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import { excerpt, FetchError } from "../errors.js";
import { networkErrorKind, parseRetryAfter, statusKind } from "./classify.js";
import { createDeadline, DeadlineExceeded } from "./deadline.js";
import { formatBytes } from "./decode.js";
import type { CollectControl, CollectOptions, CollectRequest, HostLimiter } from "./types.js";
import { request } from "./undici-request.js";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5";
/** Enough of an error page to say what the server complained about. */
const ERROR_EXCERPT_BYTES = 2048;

export interface HttpResponse {
  status: number;
  finalUrl: string;
  redirects: string[];
  contentType: string | undefined;
  contentEncoding: string | undefined;
  etag: string | undefined;
  lastModified: string | undefined;
  /** Bytes as sent (still content-encoded); empty for 304. */
  raw: Buffer;
}

/** Checks a body's declared type before reading it; throws to refuse the body. */
export type MediaTypeCheck = (contentType: string | undefined, url: string) => void;

/**
 * One try: GET with redirects followed by hand (so the chain is recorded and loops named), each hop
 * through the host limiter, all of it under one deadline.
 */
export async function httpGet(
  req: CollectRequest,
  options: CollectOptions,
  limiter: HostLimiter | undefined,
  checkMediaType: MediaTypeCheck,
  control: CollectControl = {},
): Promise<HttpResponse> {
  // The try's own clock stops while it queues for the host, like the caller's deadline.
  const clock = createDeadline(options.timeoutMs, control.signal);
  const redirects: string[] = [];
  const { url: start, authorization } = splitCredentials(req.url);
  const origin = originOf(start);
  let current = start;
  try {
    for (;;) {
      const hop = current;
      // Configured headers (credentials among them) go to the configured origin only, as a
      // browser drops Authorization on a cross-origin redirect.
      const headers = requestHeaders(req, options, originOf(hop) === origin, authorization);
      const release =
        limiter === undefined
          ? undefined
          : await clock.paused(() => (control.waiting ?? immediately)(() => limiter.slot(hop, clock.signal)));
      let response: HopResult;
      try {
        response = await requestHop(req, hop, headers, options, clock.signal, checkMediaType);
      } finally {
        release?.();
      }
      if (response.location === undefined) {
        return { ...response.result, finalUrl: current, redirects };
      }
      const next = nextLocation(req, current, response.location, redirects, options.maxRedirects);
      redirects.push(next);
      current = next;
    }
  } catch (error) {
    if (error instanceof FetchError) throw error;
    if (control.signal?.aborted) throw control.signal.reason;
    if (clock.signal.reason instanceof DeadlineExceeded) {
      throw new FetchError(`GET ${current} timed out after ${options.timeoutMs} ms (timeoutMs)`, {
        kind: "transient",
        source: req.sourceId,
        cause: error,
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new FetchError(`GET ${current} failed: ${reason}`, {
      kind: networkErrorKind(error),
      source: req.sourceId,
      cause: error,
    });
  } finally {
    clock.dispose();
  }
}

function immediately<T>(wait: () => Promise<T>): Promise<T> {
  return wait();
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * `https://user:pass@host/…` as a request: undici ignores userinfo, so it becomes a Basic
 * Authorization header (for the configured origin only) and leaves the URL.
 */
function splitCredentials(url: string): { url: string; authorization: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, authorization: undefined };
  }
  if (parsed.username === "" && parsed.password === "") return { url, authorization: undefined };
  const pair = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = "";
  parsed.password = "";
  return { url: parsed.href, authorization: `Basic ${Buffer.from(pair).toString("base64")}` };
}

function requestHeaders(
  req: CollectRequest,
  options: CollectOptions,
  sameOrigin: boolean,
  authorization: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    "user-agent": options.userAgent,
    accept: ACCEPT,
    "accept-encoding": "gzip, deflate, br",
  };
  if (sameOrigin) {
    if (authorization !== undefined) headers.authorization = authorization;
    for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
    if (req.etag !== undefined) headers["if-none-match"] = req.etag;
    if (req.lastModified !== undefined) headers["if-modified-since"] = req.lastModified;
  }
  return headers;
}

interface HopResult {
  location: string | undefined;
  result: Omit<HttpResponse, "finalUrl" | "redirects">;
}

async function requestHop(
  req: CollectRequest,
  url: string,
  headers: Record<string, string>,
  options: CollectOptions,
  signal: AbortSignal,
  checkMediaType: MediaTypeCheck,
): Promise<HopResult> {
  const response = await request(url, {
    method: "GET",
    headers,
    signal,
    // The deadline above bounds the whole try; these only stop undici's own 300 s defaults from firing first.
    headersTimeout: options.timeoutMs + 1000,
    bodyTimeout: options.timeoutMs + 1000,
  });
  const { statusCode: status, body } = response;
  const header = (name: string) => headerValue(response.headers, name);
  const result = {
    status,
    contentType: header("content-type"),
    contentEncoding: header("content-encoding"),
    etag: header("etag"),
    lastModified: header("last-modified"),
    raw: Buffer.alloc(0),
  };

  if (REDIRECT_STATUSES.has(status) && header("location") !== undefined) {
    await discard(body);
    return { location: header("location"), result };
  }
  if (status === 304) {
    await discard(body);
    return { location: undefined, result };
  }
  if (status < 200 || status >= 300) {
    const page = await readCapped(body, ERROR_EXCERPT_BYTES, false);
    const kind = statusKind(status);
    const retryAfter = parseRetryAfter(header("retry-after"));
    const said = page.length > 0 ? `: "${excerpt(page.toString("utf8"))}"` : "";
    const wait = retryAfter === undefined ? "" : ` (Retry-After ${retryAfter} s)`;
    throw new FetchError(
      `GET ${url} answered HTTP ${status} ${response.statusText}${wait}, expected 2xx${said}`,
      {
        kind,
        status,
        source: req.sourceId,
        ...(retryAfter === undefined ? {} : { retryAfter }),
      },
    );
  }

  try {
    checkMediaType(result.contentType, url);
    const declared = Number(header("content-length"));
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      throw tooLarge(req, url, options.maxBytes, `Content-Length ${declared}`);
    }
  } catch (error) {
    abandon(body);
    throw error;
  }
  const raw = await readCapped(body, options.maxBytes, true);
  if (raw.length > options.maxBytes) throw tooLarge(req, url, options.maxBytes, "body");
  return { location: undefined, result: { ...result, raw } };
}

function tooLarge(req: CollectRequest, url: string, maxBytes: number, what: string): FetchError {
  return new FetchError(`GET ${url}: ${what} exceeds ${formatBytes(maxBytes)} limit (maxBytes)`, {
    kind: "permanent",
    source: req.sourceId,
  });
}

function nextLocation(
  req: CollectRequest,
  current: string,
  location: string,
  redirects: string[],
  maxRedirects: number,
): string {
  const chain = [req.url, ...redirects];
  let next: URL;
  try {
    next = new URL(location, current);
  } catch (error) {
    throw new FetchError(`GET ${current} redirected to an invalid URL "${excerpt(location)}"`, {
      kind: "permanent",
      source: req.sourceId,
      cause: error,
    });
  }
  // A server must not be able to point the worker at local files or other schemes.
  if (next.protocol !== "http:" && next.protocol !== "https:") {
    throw new FetchError(`GET ${current} redirected to ${next.href}, expected an http(s) URL`, {
      kind: "permanent",
      source: req.sourceId,
    });
  }
  if (chain.includes(next.href)) {
    throw new FetchError(`GET ${req.url} redirect loop: ${[...chain, next.href].join(" → ")}`, {
      kind: "permanent",
      source: req.sourceId,
    });
  }
  if (redirects.length >= maxRedirects) {
    throw new FetchError(
      `GET ${req.url} redirected more than ${maxRedirects} times (maxRedirects): ${[...chain, next.href].join(" → ")}`,
      { kind: "permanent", source: req.sourceId },
    );
  }
  return next.href;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (Array.isArray(value)) return value.join(", ");
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Reads at most `limit + 1` bytes (one past the limit tells the caller it was exceeded, without
 * reading a body that never ends), then lets go of the connection.
 */
async function readCapped(
  body: Dispatcher.ResponseData["body"],
  limit: number,
  strict: boolean,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      const bytes = chunk as Buffer;
      chunks.push(bytes);
      total += bytes.length;
      if (total > limit) {
        abandon(body);
        break;
      }
    }
  } catch (error) {
    if (strict) throw error;
  }
  const all = Buffer.concat(chunks, total);
  return all.length > limit ? all.subarray(0, strict ? limit + 1 : limit) : all;
}

/** Drops a body unread; undici reports that as an abort error nobody needs to hear. */
function abandon(body: Dispatcher.ResponseData["body"]): void {
  body.on("error", () => {});
  body.destroy();
}

async function discard(body: Dispatcher.ResponseData["body"]): Promise<void> {
  try {
    await body.dump({ limit: ERROR_EXCERPT_BYTES * 32 });
  } catch {
    // The body of a redirect or 304 carries nothing we need; a broken one only costs the socket.
  }
}
