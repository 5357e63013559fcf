import { tmpdir } from "node:os";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { buildAlert } from "../../src/alert/build.js";
import {
  createSlackNotifier,
  SLACK_LIMITS,
  SLACK_NOTIFIER,
  type SlackBlock,
  type SlackPayload,
  slackPayload,
} from "../../src/alert/notifiers/slack.js";
import type { Alert, AlertClauseChange, NotifierContext } from "../../src/alert/types.js";
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

const TOKEN = "xoxb-hook-secret-7c41";
const context: NotifierContext = { storageDir: tmpdir(), logger: pino({ level: "silent" }) };

function blockTexts(block: SlackBlock): string[] {
  if (block.type === "context") return block.elements.map((element) => element.text);
  return [block.text.text];
}

/** What Slack itself would refuse (api.slack.com/reference/block-kit), one line each. */
function slackProblems(payload: SlackPayload): string[] {
  const problems: string[] = [];
  if (typeof payload.text !== "string" || payload.text.length > SLACK_LIMITS.fallbackText)
    problems.push("text");
  if (!Array.isArray(payload.blocks) || payload.blocks.length > SLACK_LIMITS.blocks) problems.push("blocks");
  for (const [index, block] of (payload.blocks ?? []).entries()) {
    if (block.type === "header") {
      if (block.text.type !== "plain_text" || block.text.text.length > SLACK_LIMITS.headerText) {
        problems.push(`blocks[${index}] header`);
      }
    } else if (block.type === "section") {
      if (block.text.text.length > SLACK_LIMITS.sectionText) problems.push(`blocks[${index}] section text`);
    } else if (block.type === "context") {
      if (block.elements.length > 10) problems.push(`blocks[${index}] context elements`);
      for (const element of block.elements) {
        if (element.text.length > SLACK_LIMITS.contextText) problems.push(`blocks[${index}] context text`);
      }
    } else {
      problems.push(`blocks[${index}] unknown type`);
    }
  }
  return problems;
}

/** A receiver that answers like Slack: "ok", or 400 invalid_blocks for a message Slack would refuse. */
function slackReceiver(): Promise<Receiver> {
  return startReceiver({
    inspect: (request) =>
      slackProblems(JSON.parse(request.body.toString("utf8"))).length > 0
        ? { status: 400, body: "invalid_blocks" }
        : undefined,
  });
}

function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function asMessage(request: ReceivedRequest): ReceivedMessage {
  const payload = JSON.parse(request.body.toString("utf8")) as SlackPayload;
  const texts = [payload.text, ...payload.blocks.flatMap(blockTexts)].map(unescapeSlack);
  const alertIds = texts.flatMap((text) =>
    [...text.matchAll(/[Aa]lert `([^`]+)`/g)].map((match) => match[1] ?? ""),
  );
  const deliveryId = request.headers["x-clausewatch-delivery"];
  return {
    ...(typeof deliveryId === "string" ? { deliveryId } : {}),
    alertIds,
    text: texts.join("\n"),
  };
}

function hookUrl(receiver: Receiver): string {
  return `${receiver.url}/services/T0CLAUSE/B0WATCH/${TOKEN}`;
}

runNotifierConformance(
  SLACK_NOTIFIER,
  async (): Promise<NotifierHarness> => {
    const receiver = await slackReceiver();
    const notifier = createSlackNotifier(
      { type: "slack", id: "desk-channel", url: hookUrl(receiver), timeoutMs: 300 },
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

function manyChanges(alert: Alert, count: number): AlertClauseChange[] {
  const template = alert.changes.find((change) => change.flags.length > 0 && change.snippet.old);
  if (!template) throw new Error("fixture alert has no flagged change");
  return Array.from({ length: count }, (_, index) => ({
    ...template,
    headline: `Point ${index + 1} modified`,
    old: [String(index + 1)],
    new: [String(index + 1)],
    snippet:
      index === 0
        ? { old: "Fees & <charges> apply. ".repeat(420), new: template.snippet.new }
        : template.snippet,
  }));
}

describe("slack payload", () => {
  const [amnesty, counter, revision] = fixtureAlerts();

  it("renders a realistic alert as header, headline, one section per clause, flags, provenance and link", async () => {
    const payload = slackPayload([counter]);

    await expect(`${JSON.stringify(payload, null, 2)}\n`).toMatchFileSnapshot(
      "__snapshots__/slack-alert.json",
    );
    expect(payload.text).toBe(counter.headline);
    expect(payload.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Peace plan — text changed" },
    });
    expect(blockTexts(payload.blocks[1] as SlackBlock)[0]).toContain(`*${counter.headline}*`);
    const texts = payload.blocks.flatMap(blockTexts);
    const point6 = texts.find((text) => text.startsWith("*Point 6 (now 5)"));
    expect(point6).toContain("~Ukraine will keep no more than 600,000 people in its armed forces.~");
    expect(point6).toContain(
      "*Ukraine will keep no more than 800,000 people in its armed forces in peacetime.*",
    );
    expect(texts).toContain("number: 600,000 → 800,000 people · terms: +peacetime");
    expect(texts.filter((text) => /^\*(Point |Title)/.test(text)).length).toBe(counter.changes.length);
    expect(texts).toContain(
      "Source: <https://news.example.org/counter-copy/peace-plan|Example News wire copy>",
    );
    expect(texts).toContain("Detected <!date^1763717400^{date_short_pretty} {time}|2025-11-21 09:30 UTC>");
    expect(texts).toContain("Snapshots `v1-draft-txt-0001` → `counter-txt-0002`");
    expect(texts.at(-1)).toBe(`<${counter.link}|Compare the two versions>`);
    expect(slackProblems(payload)).toEqual([]);
  });

  it("renders a digest as one message listing each alert's headline", async () => {
    const payload = slackPayload([amnesty, counter, revision]);

    await expect(`${JSON.stringify(payload, null, 2)}\n`).toMatchFileSnapshot(
      "__snapshots__/slack-digest.json",
    );
    expect(payload.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Peace plan — 3 alerts" },
    });
    expect(payload.blocks).toHaveLength(4);
    for (const [index, alert] of [amnesty, counter, revision].entries()) {
      expect(blockTexts(payload.blocks[index + 1] as SlackBlock)[0]).toMatch(
        new RegExp(`^\\*${alert.headline.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\*\\n`),
      );
    }
    expect(payload.text).toBe(`3 alerts: ${amnesty.headline}; ${counter.headline}; ${revision.headline}`);
  });

  it("escapes &, < and > in every text without breaking its own links", () => {
    const alert: Alert = {
      ...amnesty,
      headline: "Peace plan: <b>point 26</b> & more",
      source: { ...amnesty.source, title: "R&D <wire>" },
    };

    const texts = slackPayload([alert]).blocks.flatMap(blockTexts);

    expect(texts[1]).toContain("*Peace plan: &lt;b&gt;point 26&lt;/b&gt; &amp; more*");
    expect(texts).toContain("Source: <https://news.example.org/wire-copy/peace-plan|R&amp;D &lt;wire&gt;>");
    expect(texts.join("\n")).not.toMatch(/<b>|&(?!amp;|lt;|gt;)/);
  });

  it("fits an alert of 120 changes and a 10,000-character snippet within Slack's limits, saying how many were left out", () => {
    const alert: Alert = {
      ...counter,
      plan: { ...counter.plan, title: "A plan title far longer than any header may be ".repeat(5) },
      changes: manyChanges(counter, 120),
    };
    expect(alert.changes[0]?.snippet.old?.length).toBeGreaterThan(10_000);

    const payload = slackPayload([alert]);

    expect(slackProblems(payload)).toEqual([]);
    expect(payload.blocks.length).toBeLessThanOrEqual(50);
    const texts = payload.blocks.flatMap(blockTexts);
    const shown = texts.filter((text) => /^\*Point \d+ modified\*/.test(text)).length;
    expect(shown).toBeGreaterThan(10);
    expect(texts).toContain(`_…and ${120 - shown} more changes — see the comparison below_`);
    expect(texts.at(-1)).toBe(`<${counter.link}|Compare the two versions>`);
    const first = texts.find((text) => text.startsWith("*Point 1 modified*")) ?? "";
    expect(first).toContain("~Fees &amp; &lt;charges&gt; apply.");
    expect(first).toMatch(/…~\n/);
    expect(texts.join("\n")).not.toMatch(/&(?!amp;|lt;|gt;)/);
    expect((payload.blocks[0] as { text: { text: string } }).text.text).toHaveLength(SLACK_LIMITS.headerText);
  });

  it("fits a digest of 120 alerts within Slack's limits", () => {
    const alerts = Array.from({ length: 120 }, (_, index) => ({ ...amnesty, id: `a-${index}` }));

    const payload = slackPayload(alerts);

    expect(slackProblems(payload)).toEqual([]);
    expect(payload.blocks).toHaveLength(50);
    expect(blockTexts(payload.blocks[49] as SlackBlock)).toEqual(["_…and 72 more alerts_"]);
    expect(payload.text.startsWith("120 alerts: ")).toBe(true);
    expect(payload.text.endsWith("…")).toBe(true);
  });

  it("shows what went wrong for a broken source", () => {
    const alert = buildAlert(
      {
        key: "wire-copy:4:source-broken:E_FETCH",
        at: "2025-11-22T06:00:00.000Z",
        sourceId: "wire-copy",
        planId: "peace-plan",
        kind: "source-broken",
        url: "https://news.example.org/wire-copy/peace-plan",
        severity: "substantive",
        headline: "Peace plan: source wire-copy is broken (HTTP 503 three times)",
        error: {
          code: "E_FETCH",
          message: "GET https://news.example.org/wire-copy/peace-plan answered HTTP 503",
        },
      },
      { planTitle: "Peace plan" },
    ) as Alert;

    const payload = slackPayload([alert]);

    expect(blockTexts(payload.blocks[0] as SlackBlock)).toEqual(["Peace plan — source broken"]);
    expect(payload.blocks.flatMap(blockTexts)).toContain(
      "`E_FETCH` GET https://news.example.org/wire-copy/peace-plan answered HTTP 503",
    );
  });
});

describe("slack notifier", () => {
  const [amnesty] = fixtureAlerts();
  let receiver: Receiver | undefined;

  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  async function failure(promise: Promise<unknown>): Promise<NotifyError> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(NotifyError);
    return error as NotifyError;
  }

  async function notifierAnswering(status: number, body: string) {
    receiver = await slackReceiver();
    receiver.answerNext(1, { status, body });
    return createSlackNotifier({ type: "slack", id: "desk-channel", url: hookUrl(receiver) }, context);
  }

  it("posts the payload as JSON to the webhook URL with the delivery id", async () => {
    receiver = await slackReceiver();
    const notifier = createSlackNotifier({ type: "slack", url: hookUrl(receiver) }, context);

    await notifier.send([amnesty], { deliveryId: `${amnesty.id}:slack`, attempt: 1 });

    const [request] = receiver.accepted();
    expect(request?.path).toBe(`/services/T0CLAUSE/B0WATCH/${TOKEN}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["x-clausewatch-delivery"]).toBe(`${amnesty.id}:slack`);
    expect(JSON.parse(request?.body.toString("utf8") ?? "")).toEqual(slackPayload([amnesty]));
  });

  it("treats 400 invalid_payload as permanent, and the error keeps the webhook token out", async () => {
    const notifier = await notifierAnswering(400, "invalid_payload");

    const error = await failure(notifier.send([amnesty], { deliveryId: "d-1", attempt: 1 }));

    expect(error.permanent).toBe(true);
    expect(error.message).toMatch(
      /^slack notifier "desk-channel": POST http:\/\/127\.0\.0\.1:\d+\/services\/\*\*\* /,
    );
    expect(error.message).toContain('HTTP 400 Bad Request, expected 2xx: "invalid_payload"');
    expect(error.message).not.toContain(TOKEN);
  });

  it("treats 404 no_service as a retryable failure", async () => {
    const notifier = await notifierAnswering(404, "no_service");

    const error = await failure(notifier.send([amnesty], { deliveryId: "d-1", attempt: 1 }));

    expect(error.permanent).toBe(false);
    expect(error.message).toContain('HTTP 404 Not Found, expected 2xx: "no_service"');
  });

  it("treats 410 channel_is_archived and 403 action_prohibited as permanent", async () => {
    const archived = await notifierAnswering(410, "channel_is_archived");
    const archivedError = await failure(archived.send([amnesty], { deliveryId: "d-1", attempt: 1 }));
    await receiver?.close();
    const prohibited = await notifierAnswering(403, "action_prohibited");

    const prohibitedError = await failure(prohibited.send([amnesty], { deliveryId: "d-1", attempt: 1 }));

    expect(archivedError.permanent).toBe(true);
    expect(prohibitedError.permanent).toBe(true);
  });

  it("refuses unusable options at construction with a permanent error", () => {
    const build = () =>
      createSlackNotifier(
        { type: "slack", url: "hooks.slack.com/services/x" } as { type: "slack"; url: string },
        context,
      );

    expect(build).toThrow(NotifyError);
    expect(build).toThrow(/^slack notifier: invalid options: url: an http:\/\/ or https:\/\/ URL/);
  });
});
