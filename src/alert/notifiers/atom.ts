import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { excerpt, NotifyError } from "../../errors.js";
import { writeFileAtomic } from "../../store/index.js";
import type { Alert, DeliveryContext, Notifier, NotifierContext } from "../types.js";
import { notifierCommonFields, parseNotifierOptions } from "./common.js";
import { alertHtml } from "./email.js";

export const ATOM_NOTIFIER = "atom";

/** Options of the `atom` notifier: one Atom 1.0 feed file per plan under the store. */
export const AtomNotifierOptions = z
  .strictObject({
    type: z.literal(ATOM_NOTIFIER).describe("Write alerts to an Atom feed per plan"),
    ...notifierCommonFields,
    maxEntries: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(50)
      .describe("Entries kept per feed, newest first; older ones drop off"),
    title: z.string().min(1).optional().describe('Feed title; "<plan title> — clausewatch" when absent'),
  })
  .describe("Keeps <store>/feeds/<plan>.atom.xml up to date for feed readers");
export type AtomNotifierOptions = z.infer<typeof AtomNotifierOptions>;

const STATE_SCHEMA = "clausewatch.atom-state/1";
const FEED_AUTHOR = "clausewatch";
/** Plan ids are config ids; anything else must not become a path. */
const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Fixed namespace for name-based (v5) UUIDs, so ids stay the same across installs and restarts. */
const ID_NAMESPACE = "5b0e8c2a-3d6f-4c1e-9a7b-2f4d6e8a0c13";

/** One feed entry as kept in the state file next to the feed. */
interface FeedEntry {
  id: string;
  alertId: string;
  title: string;
  updated: string;
  link: string;
  kind: string;
  severity: string;
  html: string;
}

interface FeedState {
  schema: typeof STATE_SCHEMA;
  planId: string;
  planTitle: string;
  entries: FeedEntry[];
}

/** RFC 4122 version-5 UUID: a stable `urn:uuid:` for any name. */
function uuidFor(name: string): string {
  const namespace = Buffer.from(ID_NAMESPACE.replace(/-/g, ""), "hex");
  const bytes = createHash("sha1").update(namespace).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Entry id of an alert: the same for every delivery of it, so a re-delivery replaces the entry. */
export function atomEntryId(alertId: string): string {
  return uuidFor(`alert:${alertId}`);
}

export function atomFeedId(planId: string): string {
  return uuidFor(`plan:${planId}`);
}

export function atomFeedPath(storageDir: string, planId: string): string {
  return join(storageDir, "feeds", `${planId}.atom.xml`);
}

function statePath(storageDir: string, planId: string): string {
  return join(storageDir, "feeds", `${planId}.atom.json`);
}

const XML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/**
 * Escapes text for XML content and attributes, and drops what XML 1.0 cannot carry at all
 * (control characters, lone surrogates, U+FFFE/U+FFFF) — scraped pages do contain them.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/[&<>"']/g, (char) => XML_ENTITIES[char] ?? char);
}

/** RFC 3339 time; a malformed one would make the whole feed invalid, so fall back to now. */
function rfc3339(value: string): string {
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? new Date().toISOString() : time.toISOString();
}

function entryFor(alert: Alert): FeedEntry {
  return {
    id: atomEntryId(alert.id),
    alertId: alert.id,
    title: alert.headline,
    updated: rfc3339(alert.detectedAt),
    link: alert.link ?? alert.source.url,
    kind: alert.kind,
    severity: alert.severity,
    html: alertHtml(alert, { headingLevel: 2, headline: false }),
  };
}

/** Newest first; entries with the same time keep their current order (later writes first). */
function merge(entries: FeedEntry[], incoming: FeedEntry[], maxEntries: number): FeedEntry[] {
  // A later copy of the same alert (a re-delivery, or twice in one digest) replaces the earlier one.
  const fresh = [...new Map(incoming.map((entry) => [entry.id, entry])).values()].reverse();
  const ids = new Set(fresh.map((entry) => entry.id));
  const kept = entries.filter((entry) => !ids.has(entry.id));
  return [...fresh, ...kept]
    .map((entry, index) => ({ entry, index }))
    .sort((x, y) => Date.parse(y.entry.updated) - Date.parse(x.entry.updated) || x.index - y.index)
    .map(({ entry }) => entry)
    .slice(0, maxEntries);
}

function renderEntry(entry: FeedEntry): string {
  const link = /^https?:\/\//i.test(entry.link)
    ? `\n    <link rel="alternate" type="text/html" href="${escapeXml(entry.link)}"/>`
    : "";
  return [
    "  <entry>",
    `    <id>${entry.id}</id>`,
    `    <title type="text">${escapeXml(entry.title)}</title>`,
    `    <updated>${entry.updated}</updated>`,
    `    <author><name>${FEED_AUTHOR}</name></author>${link}`,
    `    <category term="${escapeXml(entry.kind)}"/>`,
    `    <category term="severity:${escapeXml(entry.severity)}"/>`,
    `    <content type="html">${escapeXml(entry.html)}</content>`,
    "  </entry>",
  ].join("\n");
}

/** The feed document; `updated` is the newest entry's time so an unchanged feed renders the same. */
export function renderFeed(state: FeedState, title: string | undefined): string {
  const updated = state.entries[0]?.updated ?? new Date(0).toISOString();
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${atomFeedId(state.planId)}</id>`,
    `  <title type="text">${escapeXml(title ?? `${state.planTitle} — clausewatch`)}</title>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>${FEED_AUTHOR}</name></author>`,
    `  <generator>clausewatch</generator>`,
    ...state.entries.map(renderEntry),
    "</feed>",
    "",
  ].join("\n");
}

function isFeedState(value: unknown, planId: string): value is FeedState {
  if (typeof value !== "object" || value === null) return false;
  const state = value as Partial<FeedState>;
  return state.schema === STATE_SCHEMA && state.planId === planId && Array.isArray(state.entries);
}

/** Creates the `atom` notifier; throws a permanent NotifyError when the options are unusable. */
export function createAtomNotifier(
  input: z.input<typeof AtomNotifierOptions>,
  context: NotifierContext,
): Notifier {
  const options = parseNotifierOptions(AtomNotifierOptions, input, "atom");
  if (!context.storageDir) {
    throw new NotifyError("atom notifier: no storage directory; expected the store directory", {
      permanent: true,
    });
  }
  const id = options.id ?? ATOM_NOTIFIER;
  const log = context.logger.child({ notifier: id });
  // Read-modify-write of one plan's feed must not interleave with another send for that plan.
  const queues = new Map<string, Promise<void>>();

  async function readState(planId: string, planTitle: string): Promise<FeedState> {
    const path = statePath(context.storageDir, planId);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        return { schema: STATE_SCHEMA, planId, planTitle, entries: [] };
      throw error;
    }
    try {
      const value: unknown = JSON.parse(text);
      if (isFeedState(value, planId)) return value;
    } catch {
      // fall through: the state is written atomically, so only a hand edit gets here
    }
    // The feed is a view of alerts the outbox keeps; starting it afresh beats never updating it.
    log.warn({ path, excerpt: excerpt(text) }, "atom state unreadable, starting the feed afresh");
    return { schema: STATE_SCHEMA, planId, planTitle, entries: [] };
  }

  async function update(planId: string, alerts: Alert[]): Promise<void> {
    const last = alerts[alerts.length - 1];
    if (!last) return;
    const previous = await readState(planId, last.plan.title);
    const state: FeedState = {
      ...previous,
      planTitle: last.plan.title,
      entries: merge(previous.entries, alerts.map(entryFor), options.maxEntries),
    };
    await mkdir(join(context.storageDir, "feeds"), { recursive: true });
    // State first: after a crash between the two writes the next update renders the feed from it.
    await writeFileAtomic(statePath(context.storageDir, planId), `${JSON.stringify(state)}\n`);
    await writeFileAtomic(atomFeedPath(context.storageDir, planId), renderFeed(state, options.title));
  }

  function enqueue(planId: string, alerts: Alert[]): Promise<void> {
    const previous = queues.get(planId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => update(planId, alerts));
    const settled = next.catch(() => {});
    queues.set(planId, settled);
    void settled.then(() => {
      if (queues.get(planId) === settled) queues.delete(planId);
    });
    return next;
  }

  async function send(alerts: Alert[], delivery: DeliveryContext): Promise<void> {
    const byPlan = new Map<string, Alert[]>();
    for (const alert of alerts) {
      if (!SAFE_FILE_NAME.test(alert.plan.id)) {
        throw new NotifyError(
          `atom notifier: plan id ${JSON.stringify(excerpt(alert.plan.id))} cannot name a feed file; expected letters, digits, ".", "_" or "-"`,
          { permanent: true },
        );
      }
      byPlan.set(alert.plan.id, [...(byPlan.get(alert.plan.id) ?? []), alert]);
    }
    for (const [planId, planAlerts] of byPlan) {
      try {
        await enqueue(planId, planAlerts);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "error";
        throw new NotifyError(
          `atom notifier: could not write ${atomFeedPath(context.storageDir, planId)} (${code}: ${excerpt(error instanceof Error ? error.message : String(error))})`,
          { cause: error },
        );
      }
    }
    log.debug({ deliveryId: delivery.deliveryId, alerts: alerts.length }, "atom feed updated");
  }

  return { type: ATOM_NOTIFIER, id, send };
}
