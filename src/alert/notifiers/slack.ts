import { z } from "zod";
import type { Flag } from "../../diff/index.js";
import { NotifyError } from "../../errors.js";
import type { Alert, AlertClauseChange, Notifier, NotifierContext } from "../types.js";
import { notifierCommonFields, parseNotifierOptions } from "./common.js";
import { postToReceiver, redactUrl, USER_AGENT } from "./webhook.js";

export const SLACK_NOTIFIER = "slack";

export const SlackNotifierOptions = z.strictObject({
  type: z.literal(SLACK_NOTIFIER).describe("Post alerts to a Slack incoming webhook"),
  ...notifierCommonFields,
  url: z.url({ protocol: /^https?$/, error: "an http:// or https:// URL" }).describe(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's environment reference syntax
    "Incoming-webhook URL (https://hooks.slack.com/services/…). The URL is the credential: write it as ${SLACK_WEBHOOK_URL}",
  ),
});
export type SlackNotifierOptions = z.infer<typeof SlackNotifierOptions>;

/** What Slack accepts in one message (api.slack.com/reference/block-kit); beyond that it answers invalid_blocks. */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextText: 3000,
  fallbackText: 3000,
} as const;

/** Per-part budgets inside a clause's section, so one huge snippet cannot crowd out the rest. */
const HEADLINE_CHARS = 400;
const SNIPPET_CHARS = 1200;

export interface SlackText {
  type: "mrkdwn";
  text: string;
}

export type SlackBlock =
  | { type: "header"; text: { type: "plain_text"; text: string } }
  | { type: "section"; text: SlackText }
  | { type: "context"; elements: SlackText[] };

export interface SlackPayload {
  /** Shown in notifications and by clients that cannot draw blocks. */
  text: string;
  blocks: SlackBlock[];
}

const KIND_LABEL: Record<Alert["kind"], string> = {
  content: "text changed",
  reversion: "back to an earlier text",
  flapping: "switching between two versions",
  divergent: "a copy diverges",
  "coverage-variant": "coverage reports a change",
  "figure-mismatch": "coverage states a figure differently",
  "source-broken": "source broken",
  recovered: "source recovered",
};

/** Slack's only escaping rule for text it formats: &, < and > become entities. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escaped text of at most `max` characters, cut between characters (never inside an entity) with "…". */
function fitEscaped(text: string, max: number): string {
  const escaped = escapeSlack(text);
  if (escaped.length <= max) return escaped;
  let out = "";
  for (const char of text) {
    const piece = escapeSlack(char);
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

/** At most `max` UTF-16 units (what Slack counts), never splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Longer URLs are shown as their label only, so a section's budget never cuts through a link. */
const LINK_URL_CHARS = 1000;

function link(url: string, label: string): string {
  if (url.length > LINK_URL_CHARS) return fitEscaped(oneLine(label), 200);
  const target = url.replace(/\|/g, "%7C").replace(/[<>\s]/g, encodeURIComponent);
  return `<${escapeSlack(target)}|${fitEscaped(oneLine(label), 200)}>`;
}

/** A date Slack renders in the reader's time zone, with the UTC text as fallback. */
function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeSlack(iso);
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

function words(list: string[]): string {
  return list.join(", ");
}

/** One short phrase per flag ("number: 600,000 → 800,000 people"). */
export function flagText(flag: Flag): string {
  switch (flag.type) {
    case "number": {
      const unit = flag.context ? ` ${flag.context}` : "";
      if (flag.old === undefined) return `number added: ${flag.new ?? "?"}${unit}`;
      if (flag.new === undefined) return `number dropped: ${flag.old}${unit}`;
      return `number: ${flag.old} → ${flag.new}${unit}`;
    }
    case "modality":
      return `modality: ${words(flag.old) || "—"} → ${words(flag.new) || "—"}`;
    case "rewrite":
      return "rewritten";
    default: {
      const parts = [
        flag.removed.length > 0 ? `−${words(flag.removed)}` : "",
        flag.added.length > 0 ? `+${words(flag.added)}` : "",
      ].filter(Boolean);
      return `${flag.type === "entity" ? "entities" : flag.type}: ${parts.join(" ")}`;
    }
  }
}

function section(text: string): SlackBlock {
  return { type: "section", text: { type: "mrkdwn", text: cut(text, SLACK_LIMITS.sectionText) } };
}

function context(texts: string[]): SlackBlock {
  return {
    type: "context",
    elements: texts
      .slice(0, 10)
      .map((text) => ({ type: "mrkdwn", text: cut(text, SLACK_LIMITS.contextText) })),
  };
}

function header(text: string): SlackBlock {
  return { type: "header", text: { type: "plain_text", text: cut(oneLine(text), SLACK_LIMITS.headerText) } };
}

/** The clause's section (headline, struck-out old words, bold new words) and its flags. */
function changeBlocks(change: AlertClauseChange): SlackBlock[] {
  const lines = [`*${fitEscaped(oneLine(change.headline), HEADLINE_CHARS)}*`];
  // Slack's ~strike~ and *bold* only work on a single line without padding spaces.
  const old = change.snippet.old === undefined ? "" : oneLine(change.snippet.old);
  const now = change.snippet.new === undefined ? "" : oneLine(change.snippet.new);
  if (old) lines.push(`~${fitEscaped(old, SNIPPET_CHARS)}~`);
  if (now) lines.push(`*${fitEscaped(now, SNIPPET_CHARS)}*`);
  const blocks = [section(lines.join("\n"))];
  if (change.flags.length > 0)
    blocks.push(context([fitEscaped(change.flags.map(flagText).join(" · "), 2900)]));
  return blocks;
}

function summaryText(alert: Alert): string {
  const counts = Object.entries(alert.summary ?? {})
    .filter(([kind, count]) => count > 0 && kind !== "unchanged")
    .map(([kind, count]) => `${count} ${kind}`);
  return [`Severity: ${alert.severity}`, ...counts].join(" · ");
}

function provenanceBlock(alert: Alert): SlackBlock {
  const { fromSnapshot, toSnapshot } = alert.provenance;
  const snapshots =
    fromSnapshot || toSnapshot ? `Snapshots \`${fromSnapshot ?? "—"}\` → \`${toSnapshot ?? "—"}\`` : "";
  return context(
    [
      `Source: ${link(alert.provenance.url, alert.source.title ?? alert.source.id)}`,
      `Detected ${slackDate(alert.detectedAt)}`,
      escapeSlack(snapshots),
      `Alert \`${escapeSlack(alert.id)}\``,
    ].filter(Boolean),
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function alertPayload(alert: Alert): SlackPayload {
  const head: SlackBlock[] = [
    header(`${alert.plan.title} — ${KIND_LABEL[alert.kind]}`),
    section(`*${fitEscaped(oneLine(alert.headline), HEADLINE_CHARS)}*\n${escapeSlack(summaryText(alert))}`),
  ];
  if (alert.error) {
    head.push(
      section(
        `\`${escapeSlack(alert.error.code)}\` ${fitEscaped(oneLine(alert.error.message), SNIPPET_CHARS)}`,
      ),
    );
  }
  const tail: SlackBlock[] = [provenanceBlock(alert)];
  if (alert.link) tail.push(section(link(alert.link, "Compare the two versions")));

  // Always keep room for the "…and N more" line unless the last change is the one being placed.
  const room = SLACK_LIMITS.blocks - head.length - tail.length;
  const body: SlackBlock[] = [];
  let shown = 0;
  for (const [index, change] of alert.changes.entries()) {
    const blocks = changeBlocks(change);
    const budget = index === alert.changes.length - 1 ? room : room - 1;
    if (body.length + blocks.length > budget) break;
    body.push(...blocks);
    shown++;
  }
  const hidden = alert.changes.length - shown;
  if (hidden > 0) {
    const where = alert.link ? " — see the comparison below" : "";
    body.push(section(`_…and ${plural(hidden, "more change")}${where}_`));
  }
  return {
    text: fitEscaped(oneLine(alert.headline), SLACK_LIMITS.fallbackText),
    blocks: [...head, ...body, ...tail],
  };
}

function digestLine(alert: Alert): string {
  const parts = [
    `Source: ${link(alert.provenance.url, alert.source.title ?? alert.source.id)}`,
    `detected ${slackDate(alert.detectedAt)}`,
    ...(alert.link ? [link(alert.link, "compare")] : []),
    `alert \`${escapeSlack(alert.id)}\``,
  ];
  return `*${fitEscaped(oneLine(alert.headline), HEADLINE_CHARS)}*\n${parts.join(" · ")}`;
}

function digestPayload(alerts: Alert[]): SlackPayload {
  const plans = new Set(alerts.map((alert) => alert.plan.title));
  const [only] = plans;
  const title = plans.size === 1 && only !== undefined ? only : "clausewatch";
  const blocks: SlackBlock[] = [header(`${title} — ${plural(alerts.length, "alert")}`)];
  const room = SLACK_LIMITS.blocks - blocks.length;
  const shown = alerts.length <= room ? alerts.length : room - 1;
  for (const alert of alerts.slice(0, shown)) blocks.push(section(digestLine(alert)));
  if (shown < alerts.length) blocks.push(section(`_…and ${plural(alerts.length - shown, "more alert")}_`));
  const text = `${plural(alerts.length, "alert")}: ${alerts.map((alert) => oneLine(alert.headline)).join("; ")}`;
  return { text: fitEscaped(text, SLACK_LIMITS.fallbackText), blocks };
}

/** The incoming-webhook message for one alert, or for a digest of several; always within Slack's limits. */
export function slackPayload(alerts: Alert[]): SlackPayload {
  const [first, ...rest] = alerts;
  if (first === undefined) {
    throw new NotifyError("slack notifier: nothing to send (no alerts)", { permanent: true });
  }
  return rest.length === 0 ? alertPayload(first) : digestPayload(alerts);
}

/** The webhook URL's path is its secret (`/services/T…/B…/<token>`): errors show only its first segment. */
function redactSlackUrl(url: string): string {
  const shown = redactUrl(url);
  return shown.replace(/^(https?:\/\/[^/]+\/[^/?]*\/)[^?]+/, "$1***");
}

/** Posts each alert (or digest) to a Slack incoming webhook as Block Kit blocks. */
export function createSlackNotifier(
  options: z.input<typeof SlackNotifierOptions>,
  context: NotifierContext,
): Notifier {
  const config = parseNotifierOptions(SlackNotifierOptions, options, "slack");
  const id = config.id ?? SLACK_NOTIFIER;
  const label = `slack notifier "${id}"`;
  const shownUrl = redactSlackUrl(config.url);
  return {
    type: SLACK_NOTIFIER,
    id,
    async send(alerts, delivery) {
      const body = JSON.stringify(slackPayload(alerts));
      // Slack ignores these headers; Slack-compatible receivers and proxies can use them to deduplicate.
      const headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "x-clausewatch-delivery": delivery.deliveryId,
        "x-clausewatch-attempt": String(delivery.attempt),
      };
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
        "slack delivered",
      );
    },
  };
}
