import { readFileSync } from "node:fs";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildAlert } from "../../src/alert/build.js";
import type { Alert, DeliveryContext, Notifier } from "../../src/alert/types.js";
import { diffClauses } from "../../src/diff/index.js";
import { readClauseSet } from "../../src/document.js";
import { NotifyError } from "../../src/errors.js";
import { clauseNoun, digestHeadline } from "../../src/report/headline.js";
import type { SourceChange } from "../../src/worker/types.js";
import { startServer } from "../helpers/http-server.js";

/** One message as the receiver saw it, reduced to what every driver can show. */
export interface ReceivedMessage {
  /** The delivery id the message carried, when the channel can carry one. */
  deliveryId?: string;
  alertIds: string[];
  /** Human-readable content of the message; contains each alert's headline. */
  text: string;
}

export type FailureMode = "status-500" | "status-404" | "retry-after" | "hang";

export interface NotifierHarness {
  notifier: Notifier;
  /** Messages the receiver accepted (a failed or hung request is not one). */
  received(): Promise<ReceivedMessage[]>;
  /** Makes the next `times` deliveries fail this way; `retry-after` must ask for CONFORMANCE_RETRY_AFTER seconds. */
  failNext(times: number, how: FailureMode): void;
  close(): Promise<void>;
}

export interface ConformanceOptions {
  /** false for drivers whose receiver cannot refuse (log, atom): only the delivery checks run. */
  canFail: boolean;
}

/** The wait a harness's `retry-after` failure asks for. */
export const CONFORMANCE_RETRY_AFTER = 7;

const PLAN_DIR = fileURLToPath(new URL("../fixtures/plan/", import.meta.url));

/**
 * A stored change as the worker records it (see src/worker/check-source.ts), from a real diff of
 * two plan fixtures.
 */
export function fixtureChange(
  from: string,
  to: string,
  fields: { sourceId?: string; at?: string; number?: number } = {},
): SourceChange {
  const oldSet = readClauseSet(readFileSync(`${PLAN_DIR}${from}`, "utf8"), { source: from });
  const newSet = readClauseSet(readFileSync(`${PLAN_DIR}${to}`, "utf8"), { source: to });
  const diff = diffClauses(oldSet, newSet);
  const sourceId = fields.sourceId ?? "wire-copy";
  const fromSnapshot = `${from.replace(/\W+/g, "-")}-0001`;
  const toSnapshot = `${to.replace(/\W+/g, "-")}-0002`;
  return {
    key: `${sourceId}:${fields.number ?? 2}:content:${toSnapshot}`,
    at: fields.at ?? "2025-11-21T09:30:00.000Z",
    sourceId,
    planId: "peace-plan",
    kind: "content",
    url: `https://news.example.org/${sourceId}/peace-plan`,
    severity: diff.severity,
    headline: digestHeadline(diff, { noun: clauseNoun(newSet), prefix: "Peace plan" }),
    summary: diff.summary,
    entries: diff.entries.filter((entry) => entry.severity !== "none"),
    fromSnapshot,
    toSnapshot,
  };
}

/** The alert `buildAlert` makes of `fixtureChange(from, to)`, with a comparison link. */
export function fixtureAlert(
  from: string,
  to: string,
  fields: { sourceId?: string; at?: string; number?: number } = {},
): Alert {
  const alert = buildAlert(fixtureChange(from, to, fields), {
    planTitle: "Peace plan",
    sourceTitle: "Example News wire copy",
    publicBaseUrl: "https://watch.example.org",
  });
  if (alert === undefined) throw new Error(`no alert for ${from} → ${to}`);
  return alert;
}

/** Three distinct, realistic alerts: the amnesty rewrite, the counter-proposal, the 20-point revision. */
export function fixtureAlerts(): [Alert, Alert, Alert] {
  return [
    fixtureAlert("v1-draft.txt", "v2-amnesty.txt", { sourceId: "wire-copy", number: 2 }),
    fixtureAlert("v1-draft.txt", "counter.txt", { sourceId: "counter-copy", number: 2 }),
    fixtureAlert("v2-amnesty.txt", "revision.txt", {
      sourceId: "wire-copy",
      number: 3,
      at: "2025-11-24T18:05:00.000Z",
    }),
  ];
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as received. */
  body: Buffer;
  /** The status answered; undefined while (or when) the request was left hanging. */
  status?: number;
}

export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface Receiver {
  /** Base URL, `http://127.0.0.1:<port>`. */
  url: string;
  /** Every request, answered or not, in arrival order. */
  requests: ReceivedRequest[];
  /** Requests answered 2xx. */
  accepted(): ReceivedRequest[];
  /** The next `times` requests get this answer, or no answer at all ("hang"). */
  answerNext(times: number, answer: Answer | "hang"): void;
  /** The conformance failure modes, as a typical HTTP receiver shows them. */
  failNext(times: number, how: FailureMode): void;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  /** What an accepted request gets. @default { status: 200, body: "ok" } */
  ok?: Answer;
  /** Checks a request before it is accepted; an answer returned here replaces the ok answer. */
  inspect?: (request: ReceivedRequest) => Answer | undefined;
}

/** A real `node:http` receiver on 127.0.0.1 that records requests and fails on demand. */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const queue: (Answer | "hang")[] = [];
  const hanging: ServerResponse[] = [];
  const server = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const received: ReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(received);
      const planned = queue.shift();
      if (planned === "hang") {
        hanging.push(res);
        return;
      }
      const answer = planned ?? options.inspect?.(received) ?? options.ok ?? { status: 200, body: "ok" };
      received.status = answer.status;
      res.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers });
      res.end(answer.body ?? "");
    });
  });
  return {
    url: server.url,
    requests,
    accepted: () => requests.filter((request) => request.status !== undefined && request.status < 300),
    answerNext(times, answer) {
      for (let i = 0; i < times; i++) queue.push(answer);
    },
    failNext(times, how) {
      const answer: Answer | "hang" =
        how === "hang"
          ? "hang"
          : how === "status-404"
            ? { status: 404, body: "no such hook" }
            : how === "status-500"
              ? { status: 500, body: "receiver crashed" }
              : { status: 503, body: "busy", headers: { "retry-after": String(CONFORMANCE_RETRY_AFTER) } };
      for (let i = 0; i < times; i++) queue.push(answer);
    },
    close: () => server.close(),
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the send to reject, but it resolved");
}

function delivery(id: string, attempt = 1): DeliveryContext {
  return { deliveryId: id, attempt };
}

/**
 * The behaviour every notifier shares. `harness` makes a fresh notifier and receiver per test;
 * the notifier's timeoutMs should be short (≈ 300 ms) so the hang case ends quickly.
 */
export function runNotifierConformance(
  name: string,
  harness: () => Promise<NotifierHarness> | NotifierHarness,
  options: ConformanceOptions,
): void {
  describe(`${name} notifier conformance`, () => {
    let h: NotifierHarness;
    const [amnesty, counter, revision] = fixtureAlerts();

    beforeEach(async () => {
      h = await harness();
    });

    afterEach(async () => {
      await h.close();
    });

    it("delivers a sent alert as one message carrying its headline", async () => {
      await h.notifier.send([counter], delivery(`${counter.id}:${h.notifier.id}`));

      const messages = await h.received();

      expect(messages).toHaveLength(1);
      expect(messages[0]?.text).toContain(counter.headline);
      expect(messages[0]?.alertIds).toEqual([counter.id]);
    });

    it("delivers a digest of three alerts as one message naming every headline", async () => {
      const alerts = [amnesty, counter, revision];

      await h.notifier.send(alerts, delivery(`digest:${h.notifier.id}:${amnesty.id}`));

      const messages = await h.received();
      expect(messages).toHaveLength(1);
      for (const alert of alerts) expect(messages[0]?.text).toContain(alert.headline);
      expect([...(messages[0]?.alertIds ?? [])].sort()).toEqual(alerts.map((alert) => alert.id).sort());
    });

    it.runIf(options.canFail)(
      "carries the same delivery id when a failed delivery is sent again, and delivers it once",
      async () => {
        const id = `${revision.id}:${h.notifier.id}`;
        h.failNext(1, "status-500");

        const first = await rejection(h.notifier.send([revision], delivery(id, 1)));
        await h.notifier.send([revision], delivery(id, 2));

        expect(first).toBeInstanceOf(NotifyError);
        const messages = await h.received();
        expect(messages).toHaveLength(1);
        expect(messages[0]?.deliveryId).toBe(id);
        expect(messages[0]?.alertIds).toEqual([revision.id]);
      },
    );

    it.runIf(!options.canFail)("carries the same delivery id when a delivery is sent again", async () => {
      const id = `${revision.id}:${h.notifier.id}`;

      await h.notifier.send([revision], delivery(id, 1));
      await h.notifier.send([revision], delivery(id, 2));

      const messages = await h.received();
      expect(messages.length).toBeGreaterThanOrEqual(1);
      for (const message of messages) {
        if (message.deliveryId !== undefined) expect(message.deliveryId).toBe(id);
        expect(message.alertIds).toEqual([revision.id]);
      }
    });

    it.runIf(options.canFail)(
      "rejects with a non-permanent NotifyError when the receiver answers 500, and nothing counts as delivered",
      async () => {
        h.failNext(1, "status-500");

        const error = await rejection(h.notifier.send([amnesty], delivery(`${amnesty.id}:${h.notifier.id}`)));

        expect(error).toBeInstanceOf(NotifyError);
        expect((error as NotifyError).permanent).toBe(false);
        expect((error as NotifyError).message).toMatch(/500/);
        expect(await h.received()).toEqual([]);
      },
    );

    it.runIf(options.canFail)(
      "rejects a 404 as a retryable failure that never counts as delivered",
      async () => {
        h.failNext(1, "status-404");

        const error = await rejection(h.notifier.send([amnesty], delivery(`${amnesty.id}:${h.notifier.id}`)));

        expect(error).toBeInstanceOf(NotifyError);
        expect((error as NotifyError).permanent).toBe(false);
        expect((error as NotifyError).message).toMatch(/404/);
        expect(await h.received()).toEqual([]);
      },
    );

    it.runIf(options.canFail)("passes the receiver's Retry-After on as retryAfter seconds", async () => {
      h.failNext(1, "retry-after");

      const error = await rejection(h.notifier.send([amnesty], delivery(`${amnesty.id}:${h.notifier.id}`)));

      expect(error).toBeInstanceOf(NotifyError);
      expect((error as NotifyError).retryAfter).toBe(CONFORMANCE_RETRY_AFTER);
      expect(await h.received()).toEqual([]);
    });

    it.runIf(options.canFail)("rejects with a timeout when the receiver never answers", async () => {
      h.failNext(1, "hang");

      const error = await rejection(h.notifier.send([amnesty], delivery(`${amnesty.id}:${h.notifier.id}`)));

      expect(error).toBeInstanceOf(NotifyError);
      expect((error as NotifyError).message).toMatch(/timed out after \d+ ms/);
      expect((error as NotifyError).permanent).toBe(false);
      expect(await h.received()).toEqual([]);
    });
  });
}
