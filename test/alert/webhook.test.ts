// The README's receiver snippet, verbatim: the node:crypto import below and verifyClausewatchRequest.
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import {
  createWebhookNotifier,
  isPermanentStatus,
  signWebhookBody,
  verifyWebhookSignature,
  WEBHOOK_NOTIFIER,
} from "../../src/alert/notifiers/webhook.js";
import {
  ALERT_DIGEST_SCHEMA,
  AlertDigestSchema,
  AlertSchema,
  WebhookPayloadSchema,
} from "../../src/alert/schema.js";
import type { Alert, NotifierContext } from "../../src/alert/types.js";
import { NotifyError } from "../../src/errors.js";
import {
  fixtureAlerts,
  type NotifierHarness,
  type ReceivedMessage,
  type ReceivedRequest,
  type Receiver,
  runNotifierConformance,
  startReceiver,
} from "./conformance.js";

/** True when a request really comes from clausewatch and is fresh. rawBody: the bytes as received. */
function verifyClausewatchRequest(
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer | string,
  secret: string,
  toleranceSeconds = 300,
): boolean {
  const timestamp = String(headers["x-clausewatch-timestamp"] ?? "");
  const deliveryId = String(headers["x-clausewatch-delivery"] ?? "");
  const signature = String(headers["x-clausewatch-signature"] ?? "");
  if (!/^\d+$/.test(timestamp) || deliveryId === "") return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const hmac = createHmac("sha256", secret)
    .update(`${timestamp}.${deliveryId}.`)
    .update(rawBody)
    .digest("hex");
  const expected = Buffer.from(`sha256=${hmac}`);
  const received = Buffer.from(signature);
  return received.length === expected.length && timingSafeEqual(received, expected);
}

const SECRET = "whsec-4f1d2c9a7be3-test-only";
const TOKEN = "q-token-93ab17";
const context: NotifierContext = { storageDir: tmpdir(), logger: pino({ level: "silent" }) };

/** A receiver that, like a careful newsroom endpoint, refuses requests the README snippet cannot verify. */
function signedReceiver(): Promise<Receiver> {
  return startReceiver({
    inspect: (request) =>
      verifyClausewatchRequest(request.headers, request.body, SECRET)
        ? undefined
        : { status: 401, body: "bad signature" },
  });
}

function hookUrl(receiver: Receiver): string {
  return `${receiver.url}/hooks/clausewatch?token=${TOKEN}`;
}

function payloadAlerts(request: ReceivedRequest): Alert[] {
  const payload = WebhookPayloadSchema.parse(JSON.parse(request.body.toString("utf8")));
  return payload.schema === ALERT_DIGEST_SCHEMA ? payload.alerts : [payload];
}

function asMessage(request: ReceivedRequest): ReceivedMessage {
  const alerts = payloadAlerts(request);
  const deliveryId = request.headers["x-clausewatch-delivery"];
  return {
    ...(typeof deliveryId === "string" ? { deliveryId } : {}),
    alertIds: alerts.map((alert) => alert.id),
    text: alerts.map((alert) => alert.headline).join("\n"),
  };
}

runNotifierConformance(
  WEBHOOK_NOTIFIER,
  async (): Promise<NotifierHarness> => {
    const receiver = await signedReceiver();
    const notifier = createWebhookNotifier(
      { type: "webhook", id: "newsroom-hook", url: hookUrl(receiver), secret: SECRET, timeoutMs: 300 },
      context,
    );
    return {
      notifier,
      received: async () => receiver.accepted().map(asMessage),
      failNext: (times, how) => receiver.failNext(times, how),
      close: () => receiver.close(),
    };
  },
  { canFail: true },
);

describe("webhook notifier", () => {
  const [amnesty, counter, revision] = fixtureAlerts();
  let receiver: Receiver | undefined;

  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  async function notifierFor(status?: number, extra: Record<string, unknown> = {}) {
    receiver = await signedReceiver();
    if (status !== undefined) receiver.answerNext(1, { status, body: `answer ${status}` });
    const notifier = createWebhookNotifier(
      {
        type: "webhook",
        id: "newsroom-hook",
        url: hookUrl(receiver),
        secret: SECRET,
        timeoutMs: 2000,
        ...extra,
      },
      context,
    );
    return { notifier, receiver };
  }

  async function failure(promise: Promise<unknown>): Promise<NotifyError> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(NotifyError);
    return error as NotifyError;
  }

  it("posts the alert JSON with delivery headers and a signature the README snippet verifies", async () => {
    const { notifier, receiver } = await notifierFor();

    await notifier.send([counter], { deliveryId: `${counter.id}:newsroom-hook`, attempt: 3 });

    const [request] = receiver.accepted();
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe(`/hooks/clausewatch?token=${TOKEN}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["user-agent"]).toMatch(/^clausewatch\/\d+\.\d+\.\d+ /);
    expect(request?.headers["x-clausewatch-delivery"]).toBe(`${counter.id}:newsroom-hook`);
    expect(request?.headers["x-clausewatch-attempt"]).toBe("3");
    expect(request?.headers["x-clausewatch-timestamp"]).toMatch(/^\d{10}$/);
    expect(request?.headers["x-clausewatch-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyClausewatchRequest(request?.headers ?? {}, request?.body ?? "", SECRET)).toBe(true);
    expect(JSON.parse(request?.body.toString("utf8") ?? "")).toEqual(counter);
    expect(AlertSchema.parse(JSON.parse(request?.body.toString("utf8") ?? ""))).toEqual(counter);
  });

  it("retries of one delivery carry the same delivery id, each attempt number and a fresh valid signature", async () => {
    const { notifier, receiver } = await notifierFor(500);
    const id = `${amnesty.id}:newsroom-hook`;

    const first = await failure(notifier.send([amnesty], { deliveryId: id, attempt: 1 }));
    await notifier.send([amnesty], { deliveryId: id, attempt: 2 });

    expect(first.message).toContain("HTTP 500");
    expect(receiver.requests.map((request) => request.headers["x-clausewatch-delivery"])).toEqual([id, id]);
    expect(receiver.requests.map((request) => request.headers["x-clausewatch-attempt"])).toEqual(["1", "2"]);
    expect(receiver.requests.map((request) => request.status)).toEqual([500, 200]);
    expect(receiver.accepted()).toHaveLength(1);
  });

  it("posts several alerts as one clausewatch.alert-digest/1 body", async () => {
    const { notifier, receiver } = await notifierFor();

    await notifier.send([amnesty, counter, revision], {
      deliveryId: `digest:newsroom-hook:${amnesty.id}`,
      attempt: 1,
    });

    const body = JSON.parse(receiver.accepted()[0]?.body.toString("utf8") ?? "");
    expect(body.schema).toBe("clausewatch.alert-digest/1");
    expect(AlertDigestSchema.parse(body).alerts).toEqual([amnesty, counter, revision]);
  });

  it("sends no signature header without a secret, and the receiver's check then refuses it", async () => {
    const { notifier, receiver } = await notifierFor(undefined, { secret: undefined });

    const error = await failure(notifier.send([amnesty], { deliveryId: "d-1", attempt: 1 }));

    expect(receiver.requests[0]?.headers["x-clausewatch-signature"]).toBeUndefined();
    expect(error.message).toContain("HTTP 401");
    expect(error.permanent).toBe(true);
  });

  it("adds configured headers but refuses to let them replace its own", async () => {
    const { notifier, receiver } = await notifierFor(undefined, { headers: { Authorization: "Bearer abc" } });

    await notifier.send([amnesty], { deliveryId: "d-1", attempt: 1 });

    expect(receiver.accepted()[0]?.headers.authorization).toBe("Bearer abc");
    expect(() =>
      createWebhookNotifier(
        {
          type: "webhook",
          url: "https://hooks.example.org/x",
          headers: { "X-Clausewatch-Delivery": "forged" },
        },
        context,
      ),
    ).toThrow(
      /^webhook notifier: invalid options: headers\.X-Clausewatch-Delivery: set by clausewatch itself/,
    );
  });

  it.each([
    [400, true],
    [401, true],
    [403, true],
    [410, true],
    [413, true],
    [301, true],
    [404, false],
    [408, false],
    [429, false],
    [500, false],
    [502, false],
    [503, false],
    [307, false],
  ])("treats HTTP %i as a failure, permanent: %s", async (status, permanent) => {
    const { notifier, receiver } = await notifierFor(status);

    const error = await failure(notifier.send([amnesty], { deliveryId: "d-1", attempt: 1 }));

    expect(error.permanent).toBe(permanent);
    expect(isPermanentStatus(status)).toBe(permanent);
    expect(error.message).toContain(`HTTP ${status}`);
    expect(receiver.accepted()).toEqual([]);
  });

  it("names the notifier, the URL with its query secret masked and the status in the error", async () => {
    const { notifier } = await notifierFor(404);

    const error = await failure(notifier.send([amnesty], { deliveryId: "d-1", attempt: 1 }));

    expect(error.message).toMatch(
      /^webhook notifier "newsroom-hook": POST http:\/\/127\.0\.0\.1:\d+\/hooks\//,
    );
    expect(error.message).toContain("/hooks/clausewatch?token=***");
    expect(error.message).toContain("HTTP 404");
    expect(error.message).toContain('"answer 404"');
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain(SECRET);
  });

  it("reads Retry-After in seconds or as an HTTP date", async () => {
    const { notifier, receiver } = await notifierFor();
    receiver.answerNext(1, { status: 429, headers: { "retry-after": "30" } });
    receiver.answerNext(1, {
      status: 503,
      headers: { "retry-after": new Date(Date.now() + 120_000).toUTCString() },
    });

    const seconds = await failure(notifier.send([amnesty], { deliveryId: "d-1", attempt: 1 }));
    const date = await failure(notifier.send([amnesty], { deliveryId: "d-1", attempt: 2 }));

    expect(seconds.retryAfter).toBe(30);
    expect(date.retryAfter).toBeGreaterThan(100);
    expect(date.retryAfter).toBeLessThanOrEqual(120);
  });

  it("rejects with a retryable error when nothing listens at the URL", async () => {
    const { notifier, receiver: closed } = await notifierFor();
    await closed.close();
    receiver = undefined;

    const error = await failure(notifier.send([amnesty], { deliveryId: "d-1", attempt: 1 }));

    expect(error.permanent).toBe(false);
    expect(error.message).toMatch(/^webhook notifier "newsroom-hook": POST .* failed: /);
  });

  it("refuses unusable options at construction with a permanent error", () => {
    const attempts = [
      { type: "webhook", url: "ftp://hooks.example.org/x" },
      { type: "webhook", url: "not a url" },
      { type: "webhook" },
    ];

    const errors = attempts.map((options) => {
      try {
        createWebhookNotifier(options as Parameters<typeof createWebhookNotifier>[0], context);
        return undefined;
      } catch (error) {
        return error;
      }
    });

    for (const error of errors) {
      expect(error).toBeInstanceOf(NotifyError);
      expect((error as NotifyError).permanent).toBe(true);
      expect((error as NotifyError).message).toMatch(/^webhook notifier: invalid options.*url/);
    }
  });
});

describe("the README's receiver snippet", () => {
  it("is, character for character, the verifyClausewatchRequest these tests verify real deliveries with", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const own = await readFile(new URL(import.meta.url), "utf8");
    const block = /```ts\n(import \{ createHmac, timingSafeEqual \} from "node:crypto";\n[\s\S]*?)```/.exec(
      readme,
    )?.[1];
    const start = own.indexOf("/** True when a request really comes from clausewatch");
    const fn = own.slice(start, own.indexOf("\n}\n", start) + 3);

    expect(block).toBe(`import { createHmac, timingSafeEqual } from "node:crypto";\n\n${fn}`);
  });
});

describe("verifyWebhookSignature", () => {
  const body = JSON.stringify({ schema: "clausewatch.alert/1", headline: "Peace plan: Point 26 rewritten" });
  const now = new Date("2025-11-21T09:30:00Z");
  const timestamp = String(now.getTime() / 1000);
  const deliveryId = "wire:2:content:ab12:webhook";
  const signature = signWebhookBody(SECRET, timestamp, deliveryId, body);

  it("accepts a fresh signature over the exact body", () => {
    expect(verifyWebhookSignature({ secret: SECRET, timestamp, deliveryId, body, signature, now })).toBe(
      true,
    );
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        timestamp,
        deliveryId,
        body: Buffer.from(body),
        signature,
        now,
      }),
    ).toBe(true);
  });

  it("covers the delivery id, so a receiver's deduplication key cannot be swapped", () => {
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        timestamp,
        deliveryId: "wire:3:content:cd34:webhook",
        body,
        signature,
        now,
      }),
    ).toBe(false);
    expect(
      verifyWebhookSignature({ secret: SECRET, timestamp, deliveryId: undefined, body, signature, now }),
    ).toBe(false);
    expect(signature).toBe(
      `sha256=${createHmac("sha256", SECRET).update(`${timestamp}.${deliveryId}.${body}`).digest("hex")}`,
    );
  });

  it("rejects a changed body, another secret, a missing or malformed signature", () => {
    expect(
      verifyWebhookSignature({ secret: SECRET, timestamp, deliveryId, body: `${body} `, signature, now }),
    ).toBe(false);
    expect(verifyWebhookSignature({ secret: "other", timestamp, deliveryId, body, signature, now })).toBe(
      false,
    );
    expect(
      verifyWebhookSignature({ secret: SECRET, timestamp, deliveryId, body, signature: undefined, now }),
    ).toBe(false);
    expect(
      verifyWebhookSignature({ secret: SECRET, timestamp, deliveryId, body, signature: "sha256=abc", now }),
    ).toBe(false);
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        timestamp: String(Number(timestamp) + 1),
        deliveryId,
        body,
        signature,
        now,
      }),
    ).toBe(false);
  });

  it("rejects timestamps outside the tolerance either way, so captured requests cannot be replayed", () => {
    const later = new Date(now.getTime() + 301_000);
    const earlier = new Date(now.getTime() - 301_000);

    expect(
      verifyWebhookSignature({ secret: SECRET, timestamp, deliveryId, body, signature, now: later }),
    ).toBe(false);
    expect(
      verifyWebhookSignature({ secret: SECRET, timestamp, deliveryId, body, signature, now: earlier }),
    ).toBe(false);
    expect(
      verifyWebhookSignature({
        secret: SECRET,
        timestamp,
        deliveryId,
        body,
        signature,
        now: later,
        toleranceSeconds: 600,
      }),
    ).toBe(true);
  });
});
