import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { errorCode, parseRetryAfter } from "../../collect/classify.js";
import { CLAUSEWATCH_VERSION } from "../../collect/index.js";
import { request } from "../../collect/undici-request.js";
import { excerpt, NotifyError } from "../../errors.js";
import { ALERT_DIGEST_SCHEMA, type AlertDigest } from "../schema.js";
import type { Alert, Notifier, NotifierContext } from "../types.js";
import { notifierCommonFields, parseNotifierOptions } from "./common.js";

export const WEBHOOK_NOTIFIER = "webhook";

/** Headers the driver sets itself; a configured header may not replace them. */
const RESERVED_HEADER = /^(content-type|content-length|transfer-encoding|host|connection|x-clausewatch-.*)$/i;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const WebhookNotifierOptions = z.strictObject({
  type: z.literal(WEBHOOK_NOTIFIER).describe("POST signed alert JSON to a URL"),
  ...notifierCommonFields,
  url: z
    .url({ protocol: /^https?$/, error: "an http:// or https:// URL" })
    .describe("Receiver URL (http or https); each alert is POSTed here as JSON (config/alert.schema.json)"),
  secret: z.string().min(1).optional().describe(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's environment reference syntax
    "Key for the X-Clausewatch-Signature HMAC-SHA256; write it as ${VAR} so it comes from the environment",
  ),
  headers: z
    .record(z.string(), z.string().regex(/^[^\r\n]*$/, "a single line"))
    .superRefine((headers, check) => {
      for (const name of Object.keys(headers)) {
        if (!HEADER_NAME.test(name))
          check.addIssue({ code: "custom", path: [name], message: "not an HTTP header name" });
        else if (RESERVED_HEADER.test(name)) {
          check.addIssue({ code: "custom", path: [name], message: "set by clausewatch itself" });
        }
      }
    })
    .optional()
    .describe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's environment reference syntax
      "Extra request headers, e.g. Authorization: Bearer ${WEBHOOK_TOKEN}",
    ),
});
export type WebhookNotifierOptions = z.infer<typeof WebhookNotifierOptions>;

export const USER_AGENT = `clausewatch/${CLAUSEWATCH_VERSION} (+https://github.com/clausewatch)`;

/**
 * The body for one delivery: the alert itself, or a digest when several go out together. A
 * digest window that caught a single alert sends that alert as is.
 */
export function webhookPayload(alerts: Alert[]): Alert | AlertDigest {
  const [first, ...rest] = alerts;
  if (first === undefined) {
    throw new NotifyError("webhook notifier: nothing to send (no alerts)", { permanent: true });
  }
  return rest.length === 0 ? first : { schema: ALERT_DIGEST_SCHEMA, alerts };
}

/**
 * `sha256=<hex>` over `"<timestamp>.<deliveryId>.<body>"`: the timestamp is signed so a captured
 * request cannot be replayed later, and the delivery id so a receiver's deduplication key cannot
 * be swapped to smuggle a replay past it.
 */
export function signWebhookBody(
  secret: string,
  timestamp: string,
  deliveryId: string,
  body: string | Buffer,
): string {
  const hmac = createHmac("sha256", secret).update(`${timestamp}.${deliveryId}.`).update(body).digest("hex");
  return `sha256=${hmac}`;
}

export interface VerifyWebhookSignatureInput {
  secret: string;
  /** X-Clausewatch-Timestamp as received (unix seconds). */
  timestamp: string | number | undefined;
  /** X-Clausewatch-Delivery as received. */
  deliveryId: string | undefined;
  /** The request body exactly as received, before any JSON parsing. */
  body: string | Buffer;
  /** X-Clausewatch-Signature as received. */
  signature: string | undefined;
  /** Largest accepted distance between the timestamp and `now`, either way. @default 300 */
  toleranceSeconds?: number;
  /** @default new Date() */
  now?: Date;
}

/** Whether a delivery is authentic and fresh: constant-time comparison, stale or future timestamps refused. */
export function verifyWebhookSignature(input: VerifyWebhookSignatureInput): boolean {
  const timestamp = String(input.timestamp ?? "");
  if (!/^\d{1,12}$/.test(timestamp) || input.signature === undefined) return false;
  if (input.deliveryId === undefined || input.deliveryId === "") return false;
  const nowSeconds = (input.now ?? new Date()).getTime() / 1000;
  if (Math.abs(nowSeconds - Number(timestamp)) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhookBody(input.secret, timestamp, input.deliveryId, input.body));
  const received = Buffer.from(input.signature);
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** The URL as errors and logs show it: credentials and query values (tokens live there) masked. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "(invalid URL)";
  }
  if (parsed.username) parsed.username = "***";
  if (parsed.password) parsed.password = "***";
  for (const key of new Set(parsed.searchParams.keys())) parsed.searchParams.set(key, "***");
  parsed.hash = "";
  return parsed.toString();
}

/**
 * Whether a status means retrying the same request cannot help. 5xx, 408, 425 and 429 are
 * transient. 404 is too, deliberately: a receiver being redeployed or a route not yet
 * registered answers 404 for a while, and the give-up window (not the first 404) decides when
 * the alert is dead. Other 4xx (400 bad payload, 401/403 bad credentials, 410 gone, 413 too
 * large…) will be answered the same way until someone changes the configuration. Redirects are
 * not followed (they would resend a signed body elsewhere); a permanent one is a stale URL.
 */
export function isPermanentStatus(status: number): boolean {
  if (status >= 500) return false;
  if (status >= 400) return ![404, 408, 425, 429].includes(status);
  return status === 301 || status === 308;
}

export interface ReceiverPost {
  /** Names the notifier in errors: `webhook notifier "ops"`. */
  label: string;
  url: string;
  /** The URL as errors show it, secrets masked. */
  shownUrl: string;
  body: string;
  headers: Record<string, string>;
  /** Deadline for the whole exchange, response headers and body included. */
  timeoutMs: number;
}

export interface ReceiverAnswer {
  status: number;
  /** The start of the response body (a few KB), for drivers whose receivers answer in words. */
  text: string;
}

/** Raised inside the exchange when the deadline fires, so the abort is reported as a timeout. */
class DeadlineReached extends Error {
  override name = "DeadlineReached";
}

const ANSWER_BYTES = 4096;

async function readStart(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Reading to the end (keeping only the start) leaves the connection reusable.
  for await (const chunk of body) {
    if (size >= ANSWER_BYTES) continue;
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, ANSWER_BYTES).toString("utf8");
}

/**
 * One POST to a receiver under one deadline. Resolves with a 2xx answer; anything else becomes a
 * NotifyError naming the notifier, the masked URL and the status (with `retryAfter` and
 * `permanent` set from the answer). Exactly one attempt: retrying is the outbox's job.
 */
export async function postToReceiver(post: ReceiverPost): Promise<ReceiverAnswer> {
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(new DeadlineReached()), post.timeoutMs);
  let answer: ReceiverAnswer & { statusText: string; retryAfter: string | undefined };
  try {
    const response = await request(post.url, {
      method: "POST",
      headers: post.headers,
      body: post.body,
      signal: controller.signal,
      // The deadline above bounds the exchange; these only keep undici's 300 s defaults from firing first.
      headersTimeout: post.timeoutMs + 1000,
      bodyTimeout: post.timeoutMs + 1000,
    });
    const retryAfter = response.headers["retry-after"];
    answer = {
      status: response.statusCode,
      statusText: response.statusText,
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      text: await readStart(response.body),
    };
  } catch (error) {
    if (controller.signal.reason instanceof DeadlineReached) {
      throw new NotifyError(
        `${post.label}: POST ${post.shownUrl} timed out after ${post.timeoutMs} ms (timeoutMs); the receiver may still have got it, a retry carries the same delivery id`,
        { cause: error },
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    // Network trouble is worth retrying until the give-up window; a request undici refuses to build is not.
    throw new NotifyError(`${post.label}: POST ${post.shownUrl} failed: ${reason}`, {
      cause: error,
      permanent: errorCode(error) === "UND_ERR_INVALID_ARG",
    });
  } finally {
    clearTimeout(deadline);
  }
  if (answer.status >= 200 && answer.status < 300) return { status: answer.status, text: answer.text };
  const retryAfter =
    answer.status === 429 || answer.status >= 500 ? parseRetryAfter(answer.retryAfter) : undefined;
  const wait = retryAfter === undefined ? "" : ` (Retry-After ${retryAfter} s)`;
  const said = answer.text.trim().length > 0 ? `: "${excerpt(answer.text)}"` : "";
  const status = `${answer.status}${answer.statusText ? ` ${answer.statusText}` : ""}`;
  throw new NotifyError(
    `${post.label}: POST ${post.shownUrl} answered HTTP ${status}${wait}, expected 2xx${said}`,
    {
      permanent: isPermanentStatus(answer.status),
      ...(retryAfter === undefined ? {} : { retryAfter }),
    },
  );
}

/** POSTs each alert (or digest) as JSON, signed when a secret is configured. */
export function createWebhookNotifier(
  options: z.input<typeof WebhookNotifierOptions>,
  context: NotifierContext,
): Notifier {
  const config = parseNotifierOptions(WebhookNotifierOptions, options, "webhook");
  const id = config.id ?? WEBHOOK_NOTIFIER;
  const label = `webhook notifier "${id}"`;
  const shownUrl = redactUrl(config.url);
  return {
    type: WEBHOOK_NOTIFIER,
    id,
    async send(alerts, delivery) {
      const body = JSON.stringify(webhookPayload(alerts));
      const timestamp = String(Math.floor(Date.now() / 1000));
      const headers: Record<string, string> = {
        "user-agent": USER_AGENT,
        ...config.headers,
        "content-type": "application/json",
        "x-clausewatch-delivery": delivery.deliveryId,
        "x-clausewatch-attempt": String(delivery.attempt),
        "x-clausewatch-timestamp": timestamp,
      };
      if (config.secret !== undefined) {
        headers["x-clausewatch-signature"] = signWebhookBody(
          config.secret,
          timestamp,
          delivery.deliveryId,
          body,
        );
      }
      const answer = await postToReceiver({
        label,
        url: config.url,
        shownUrl,
        body,
        headers,
        timeoutMs: config.timeoutMs,
      });
      context.logger.debug(
        { notifier: id, deliveryId: delivery.deliveryId, attempt: delivery.attempt, status: answer.status },
        "webhook delivered",
      );
    },
  };
}
