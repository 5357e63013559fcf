import { createHash } from "node:crypto";
import type { Transporter } from "nodemailer";
import { z } from "zod";
import type { Flag, RedlineOp } from "../../diff/index.js";
import { excerpt, NotifyError } from "../../errors.js";
import { escapeHtml } from "../../html.js";
import type { Alert, AlertClauseChange, DeliveryContext, Notifier, NotifierContext } from "../types.js";
import { notifierCommonFields, parseNotifierOptions } from "./common.js";

export const EMAIL_NOTIFIER = "email";

/** Options of the `email` notifier: SMTP delivery with a plain-text and an HTML part. */
export const EmailNotifierOptions = z
  .strictObject({
    type: z.literal(EMAIL_NOTIFIER).describe("Send alerts by email over SMTP"),
    ...notifierCommonFields,
    smtp: z
      .strictObject({
        host: z.string().min(1).describe("SMTP server host name or address"),
        port: z.number().int().min(1).max(65_535).default(587).describe("SMTP server port"),
        secure: z
          .boolean()
          .default(false)
          .describe("TLS from the first byte (port 465); false uses STARTTLS when the server offers it"),
        user: z.string().min(1).optional().describe("User for SMTP AUTH; no AUTH when absent"),
        pass: z
          .string()
          .optional()
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's environment reference syntax
          .describe('Password for SMTP AUTH; give it as "${VAR}" so it stays out of the config file'),
        requireTls: z
          .boolean()
          .default(false)
          .describe("Refuse to send unless the connection is upgraded with STARTTLS"),
      })
      .describe("SMTP server to hand the messages to"),
    from: z.string().min(1).describe('Sender, e.g. "clausewatch <alerts@example.org>"'),
    to: z.array(z.string().min(1)).min(1).describe("Recipients"),
    cc: z.array(z.string().min(1)).optional().describe("Copy recipients"),
    subjectPrefix: z.string().optional().describe('Put before every subject, e.g. "[clausewatch]"'),
  })
  .describe("Sends each alert (or digest) as one email, threaded per plan");
export type EmailNotifierOptions = z.infer<typeof EmailNotifierOptions>;

/** Longest subject, the prefix aside: a desk reads it at a glance. */
const SUBJECT_MAX = 140;
/** Words of unchanged text kept on each side of a change in a redline snippet. */
const CONTEXT_WORDS = 8;
/** Longest deleted or inserted run shown before it is cut. */
const RUN_MAX = 400;

/** Header naming the delivery, so receivers (and tests) can match a message to the outbox. */
export const DELIVERY_HEADER = "X-Clausewatch-Delivery";
/** Header listing the alert ids a message carries, comma-separated. */
export const ALERT_IDS_HEADER = "X-Clausewatch-Alert-Ids";

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Only web links become anchors: a scraped or misconfigured `javascript:` URL stays text. */
function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function link(url: string, label = url): string {
  return isWebUrl(url)
    ? `<a href="${escapeHtml(url)}" style="color:#0b57d0">${escapeHtml(label)}</a>`
    : escapeHtml(label);
}

/** One flag as a short phrase ("600,000 → 800,000 personnel", "terms: audit → amnesty"). */
export function flagText(flag: Flag): string {
  switch (flag.type) {
    case "number": {
      const unit = flag.context ? ` ${flag.context}` : "";
      if (flag.old && flag.new) return `number: ${flag.old} → ${flag.new}${unit}`;
      return flag.old ? `number dropped: ${flag.old}${unit}` : `number added: ${flag.new ?? ""}${unit}`;
    }
    case "modality":
      return `modality: ${flag.old.join(", ") || "—"} → ${flag.new.join(", ") || "—"}`;
    case "rewrite":
      return "rewritten";
    case "entity":
    case "reference":
    case "negation":
    case "obligation":
    case "condition":
    case "terms":
      return `${flag.type}: ${flag.removed.join(", ") || "—"} → ${flag.added.join(", ") || "—"}`;
  }
}

/** Keeps the words next to the changes and drops the middle of long unchanged runs. */
function trimEqual(text: string, position: "first" | "middle" | "last"): string {
  const words = text.split(/(\s+)/);
  const keep = CONTEXT_WORDS * 2;
  if (words.length <= keep * 2) return text;
  if (position === "first") return `…${words.slice(-keep).join("")}`;
  if (position === "last") return `${words.slice(0, keep).join("")}…`;
  return `${words.slice(0, keep).join("")} … ${words.slice(-keep).join("")}`;
}

const DEL_STYLE = "background:#ffe0e0;color:#8a1010;text-decoration:line-through";
const INS_STYLE = "background:#dcf5dc;color:#0d5e0d;text-decoration:none";

function redlineFromOps(ops: RedlineOp[]): string {
  return ops
    .map((op, index) => {
      if (op.op === "delete")
        return `<del style="${DEL_STYLE}">${escapeHtml(truncate(op.text, RUN_MAX))}</del>`;
      if (op.op === "insert")
        return `<ins style="${INS_STYLE}">${escapeHtml(truncate(op.text, RUN_MAX))}</ins>`;
      const position = index === 0 ? "first" : index === ops.length - 1 ? "last" : "middle";
      return escapeHtml(trimEqual(op.text, position));
    })
    .join("");
}

/**
 * A clause change as an HTML redline: deleted words in `<del>`, inserted ones in `<ins>`, long
 * unchanged stretches shortened. Every scraped word is escaped; styles are inline because mail
 * clients drop `<style>` blocks and external sheets.
 */
export function redlineHtml(change: AlertClauseChange): string {
  if (change.redline?.some((op) => op.op !== "equal")) return redlineFromOps(change.redline);
  const parts: string[] = [];
  if (change.snippet.old) parts.push(`<del style="${DEL_STYLE}">${escapeHtml(change.snippet.old)}</del>`);
  if (change.snippet.new) parts.push(`<ins style="${INS_STYLE}">${escapeHtml(change.snippet.new)}</ins>`);
  return parts.join(" ");
}

function provenanceRows(alert: Alert): Array<[string, string]> {
  const source = alert.source.title ? `${alert.source.title} (${alert.source.id})` : alert.source.id;
  const rows: Array<[string, string]> = [
    ["Plan", alert.plan.title],
    ["Source", source],
    ["URL", alert.provenance.url],
    ["Seen", alert.provenance.seenAt],
  ];
  if (alert.provenance.fromSnapshot || alert.provenance.toSnapshot) {
    rows.push([
      "Snapshots",
      `${alert.provenance.fromSnapshot ?? "—"} → ${alert.provenance.toSnapshot ?? "—"}`,
    ]);
  }
  if (alert.link) rows.push(["Compare", alert.link]);
  rows.push(["Alert id", alert.id]);
  return rows;
}

export interface AlertHtmlOptions {
  /** Level of the headline heading; clause headings go one below. @default 2 */
  headingLevel?: 2 | 3;
  /** Show the headline (a feed entry already has it as its title). @default true */
  headline?: boolean;
}

/**
 * One alert as an HTML fragment (no `<html>` wrapper): headline, one redline per changed
 * clause with its flags, the error of a broken source, and provenance. Shared with the Atom feed.
 */
export function alertHtml(alert: Alert, options: AlertHtmlOptions = {}): string {
  const level = options.headingLevel ?? 2;
  const h = `h${level}`;
  const sub = `h${level + 1}`;
  const parts =
    options.headline === false
      ? []
      : [`<${h} style="font-size:18px;margin:16px 0 8px">${escapeHtml(alert.headline)}</${h}>`];
  if (alert.error) {
    parts.push(
      `<p style="color:#8a1010">${escapeHtml(alert.error.code)}: ${escapeHtml(alert.error.message)}</p>`,
    );
  }
  for (const change of alert.changes) {
    parts.push(
      `<${sub} style="font-size:15px;margin:12px 0 4px">${escapeHtml(change.headline)} <span style="color:#666;font-weight:normal">(${escapeHtml(change.severity)})</span></${sub}>`,
    );
    const redline = redlineHtml(change);
    if (redline) parts.push(`<p style="margin:4px 0;line-height:1.5">${redline}</p>`);
    if (change.flags.length > 0) {
      parts.push(
        `<p style="margin:4px 0;color:#555;font-size:13px">${change.flags.map((flag) => escapeHtml(flagText(flag))).join(" · ")}</p>`,
      );
    }
  }
  const rows = provenanceRows(alert).map(([label, value]) => {
    const shown = label === "URL" || label === "Compare" ? link(value) : escapeHtml(value);
    return `<tr><td style="color:#666;padding:2px 12px 2px 0;vertical-align:top">${label}</td><td style="padding:2px 0">${shown}</td></tr>`;
  });
  parts.push(
    `<table style="font-size:13px;border-collapse:collapse;margin-top:12px">${rows.join("")}</table>`,
  );
  return parts.join("\n");
}

function alertText(alert: Alert): string {
  const lines = [alert.headline, ""];
  if (alert.error) lines.push(`${alert.error.code}: ${alert.error.message}`, "");
  for (const change of alert.changes) {
    lines.push(`* ${change.headline} (${change.severity})`);
    if (change.snippet.old) lines.push(`  was: ${change.snippet.old}`);
    if (change.snippet.new) lines.push(`  now: ${change.snippet.new}`);
    if (change.flags.length > 0) lines.push(`  ${change.flags.map(flagText).join("; ")}`);
  }
  if (alert.changes.length > 0) lines.push("");
  for (const [label, value] of provenanceRows(alert)) lines.push(`${`${label}:`.padEnd(10)} ${value}`);
  return lines.join("\n");
}

/** The subject: the headline, or "N changes: <first headline>" for a digest. */
export function emailSubject(alerts: Alert[], prefix?: string): string {
  const first = alerts[0]?.headline ?? "";
  const body = alerts.length > 1 ? `${alerts.length} changes: ${first}` : first;
  const start = prefix ? `${prefix.trim()} ` : "";
  return `${start}${truncate(body, SUBJECT_MAX)}`;
}

export function emailText(alerts: Alert[]): string {
  const sections = alerts.map(alertText);
  const intro = alerts.length > 1 ? [`${alerts.length} changes\n`] : [];
  return `${[...intro, ...sections].join("\n\n----\n\n")}\n`;
}

export function emailHtml(alerts: Alert[]): string {
  const digest = alerts.length > 1;
  const intro = digest ? `<h1 style="font-size:20px;margin:0 0 8px">${alerts.length} changes</h1>\n` : "";
  const sections = alerts
    .map((alert) => alertHtml(alert, { headingLevel: digest ? 3 : 2 }))
    .join('\n<hr style="border:0;border-top:1px solid #ddd;margin:20px 0">\n');
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(emailSubject(alerts))}</title></head>`,
    '<body style="font-family:Helvetica,Arial,sans-serif;color:#222;max-width:720px">',
    `${intro}${sections}`,
    '<p style="color:#888;font-size:12px;margin-top:24px">Sent by clausewatch</p>',
    "</body></html>",
    "",
  ].join("\n");
}

/** Characters RFC 5322 allows in the left part of a msg-id (dot-atom-text). */
const ATOM_TEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

/** Root id every alert of a plan refers to, so mail clients thread a plan's alerts together. */
export function planThreadId(planId: string): string {
  const left = ATOM_TEXT.test(planId) ? planId : shortHash(planId);
  return `<plan.${left}@clausewatch>`;
}

/**
 * Message-ID of a delivery. Derived from the delivery id alone, so a retried delivery carries
 * the same id and clients that already have it drop the duplicate.
 */
export function deliveryMessageId(deliveryId: string): string {
  return `<delivery.${shortHash(deliveryId)}@clausewatch>`;
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  rejected?: unknown[];
}

function smtpFailure(error: unknown): SmtpFailure {
  return typeof error === "object" && error !== null ? (error as SmtpFailure) : {};
}

/** RFC 5321: 4yz is transient, 5yz permanent, except 503 (a session in the wrong state). */
function permanentReply(code: number): boolean {
  return code >= 500 && code < 600 && code !== 503;
}

/**
 * The wait a 4xx reply asks for in words ("Greylisted, please try again in 5 minutes"), in
 * seconds. SMTP has no Retry-After header; greylisting servers say it in the reply text.
 */
export function replyRetryAfter(reply: string): number | undefined {
  const match =
    /\b(?:try again|retry)\b[^.;]*?\b(?:in|after)\s+(\d{1,5})\s*(s|secs?|seconds?|m|mins?|minutes?)\b/i.exec(
      reply,
    );
  if (!match?.[1] || !match[2]) return undefined;
  const amount = Number(match[1]);
  return match[2].toLowerCase().startsWith("m") ? amount * 60 : amount;
}

function classify(error: unknown, server: string, timeoutMs: number): NotifyError {
  const failure = smtpFailure(error);
  const aborted = error instanceof Error && error.name === "AbortError";
  if (aborted || failure.code === "ETIMEDOUT") {
    return new NotifyError(`email notifier: SMTP server ${server} timed out after ${timeoutMs} ms`, {
      cause: error,
    });
  }
  const reply = failure.response ? ` (${excerpt(failure.response)})` : "";
  if (failure.responseCode) {
    const permanent = permanentReply(failure.responseCode);
    const retryAfter = !permanent && failure.response ? replyRetryAfter(failure.response) : undefined;
    const what = failure.code === "EAUTH" ? "refused the login" : "rejected the message";
    return new NotifyError(
      `email notifier: SMTP server ${server} ${what} with ${failure.responseCode}${reply}; expected a 2xx reply`,
      { cause: error, permanent, ...(retryAfter === undefined ? {} : { retryAfter }) },
    );
  }
  const message = error instanceof Error ? excerpt(error.message) : excerpt(String(error));
  // Without a reply code: network trouble may pass; a message or envelope nodemailer refuses to
  // send, or credentials it lacks, will be refused the same way next time.
  const permanent = failure.code === "EENVELOPE" || failure.code === "EMESSAGE" || failure.code === "EAUTH";
  return new NotifyError(
    `email notifier: sending through ${server} failed (${failure.code ?? "error"}: ${message})`,
    { cause: error, permanent },
  );
}

/** Creates the `email` notifier; throws a permanent NotifyError when the options are unusable. */
export function createEmailNotifier(
  input: z.input<typeof EmailNotifierOptions>,
  context: NotifierContext,
): Notifier {
  const options = parseNotifierOptions(EmailNotifierOptions, input, "email");
  const { smtp } = options;
  if (smtp.pass !== undefined && smtp.user === undefined) {
    throw new NotifyError("email notifier: smtp.pass is set but smtp.user is not; expected both or neither", {
      permanent: true,
    });
  }
  const server = `${smtp.host}:${smtp.port}`;
  const id = options.id ?? EMAIL_NOTIFIER;
  const log = context.logger.child({ notifier: id });
  // nodemailer is loaded when the first message goes out, so a worker without email never loads it.
  let transport: Promise<Transporter> | undefined;
  const connect = async () => {
    const { createTransport } = await import("nodemailer");
    return createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      requireTLS: smtp.requireTls,
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? "" } } : {}),
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
      dnsTimeout: options.timeoutMs,
    });
  };

  async function send(alerts: Alert[], delivery: DeliveryContext): Promise<void> {
    const first = alerts[0];
    if (!first) return;
    const roots = [...new Set(alerts.map((alert) => planThreadId(alert.plan.id)))];
    let info: { rejected?: unknown[]; rejectedErrors?: unknown[] };
    try {
      transport ??= connect();
      info = await (await transport).sendMail({
        from: options.from,
        to: options.to,
        ...(options.cc ? { cc: options.cc } : {}),
        subject: emailSubject(alerts, options.subjectPrefix),
        text: emailText(alerts),
        html: emailHtml(alerts),
        messageId: deliveryMessageId(delivery.deliveryId),
        inReplyTo: planThreadId(first.plan.id),
        references: roots,
        date: new Date(),
        headers: {
          [DELIVERY_HEADER]: delivery.deliveryId,
          [ALERT_IDS_HEADER]: alerts.map((alert) => alert.id).join(", "),
        },
        // The whole attempt, DNS to the final reply, ends at timeoutMs even if the server trickles.
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw classify(error, server, options.timeoutMs);
    }
    const rejected = (info.rejected ?? []).map(String);
    if (rejected.length > 0) {
      // Some recipients have it; a retry re-sends with the same Message-ID, which clients de-duplicate.
      const codes = (info.rejectedErrors ?? []).map((error) => smtpFailure(error).responseCode ?? 0);
      const permanent = codes.length > 0 && codes.every(permanentReply);
      throw new NotifyError(
        `email notifier: SMTP server ${server} accepted the message for some recipients but rejected ${excerpt(rejected.join(", "))} (${codes.join(", ")})`,
        { permanent },
      );
    }
    log.debug({ deliveryId: delivery.deliveryId, alerts: alerts.length }, "email sent");
  }

  return {
    type: EMAIL_NOTIFIER,
    id,
    send,
    async close() {
      (await transport)?.close();
    },
  };
}
