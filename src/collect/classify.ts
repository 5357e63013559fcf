import type { FetchFailureKind } from "../errors.js";
import type { RetryOptions } from "./types.js";

/** Status codes worth asking again: the server may answer differently later. */
export function statusKind(status: number): FetchFailureKind {
  return status === 408 || status === 429 || status >= 500 ? "transient" : "permanent";
}

const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
]);

/** The first system or undici error code found on an error, its cause, or the errors it aggregates. */
export function errorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 4) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code !== "UND_ERR") return code;
  const nested = (error as { errors?: unknown }).errors;
  if (Array.isArray(nested)) {
    for (const inner of nested) {
      const innerCode = errorCode(inner, depth + 1);
      if (innerCode !== undefined) return innerCode;
    }
  }
  return errorCode((error as { cause?: unknown }).cause, depth + 1);
}

/**
 * Network trouble (refused, reset, hang-up, DNS, socket timeouts) is transient; everything else
 * raised below HTTP (TLS certificate problems, invalid arguments) would fail the same way again.
 */
export function networkErrorKind(error: unknown): FetchFailureKind {
  const code = errorCode(error);
  if (code !== undefined && TRANSIENT_CODES.has(code)) return "transient";
  const message = error instanceof Error ? error.message : String(error);
  return /socket hang up|other side closed/i.test(message) ? "transient" : "permanent";
}

/** Seconds from a Retry-After header (delta-seconds or HTTP-date), or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * Wait before try number `nextAttempt` (2 for the first retry): what the server asked for when it
 * said, else exponential backoff with full jitter so many workers do not retry in step.
 */
export function retryDelayMs(
  nextAttempt: number,
  retries: RetryOptions,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterSeconds !== undefined) return Math.min(retryAfterSeconds * 1000, retries.maxDelayMs);
  const ceiling = Math.min(retries.maxDelayMs, retries.baseDelayMs * 2 ** (nextAttempt - 2));
  return Math.floor(random() * ceiling);
}
