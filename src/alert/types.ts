import type { Logger } from "pino";
import type { DiffSummary, EntryKind, Flag, RedlineOp, Severity } from "../diff/index.js";
import type { ChangeKind } from "../worker/types.js";

/** Version of the alert payload (webhook body, log line, stored outbox record). */
export const ALERT_SCHEMA = "clausewatch.alert/1";

/** One changed clause as an alert shows it: a headline, short old/new snippets, flags. */
export interface AlertClauseChange {
  /** "Point 6 (now 5): 600,000 → 800,000 people" */
  headline: string;
  kind: EntryKind;
  old: string[];
  new: string[];
  severity: Severity;
  flags: Flag[];
  /** Short excerpts around the change (≤ 240 characters each), with the changed words. */
  snippet: { old?: string; new?: string };
  /** Full word-level redline of the clause. */
  redline?: RedlineOp[];
  /** Pages the clause starts on in the old and new copy, for paged documents (PDF). */
  page?: { old?: number; new?: number };
}

/** What every notifier receives; its JSON form is published as config/alert.schema.json. */
export interface Alert {
  schema: typeof ALERT_SCHEMA;
  /** Idempotency key: the same across retries, restarts and notifiers. */
  id: string;
  kind: Exclude<ChangeKind, "baseline">;
  severity: Severity;
  /** When the change was detected (ISO). */
  detectedAt: string;
  plan: { id: string; title: string };
  source: { id: string; title?: string; url: string };
  /** At most 140 characters, readable at a glance. */
  headline: string;
  /** One entry per changed clause, most important first. */
  changes: AlertClauseChange[];
  summary?: DiffSummary;
  provenance: { url: string; seenAt: string; fromSnapshot?: string; toSnapshot?: string };
  /** The comparison in the history view, when `publicBaseUrl` is configured. */
  link?: string;
  /** For source-broken: what went wrong. */
  error?: { code: string; message: string };
}

/** Identifies one delivery of one alert (or digest) to one notifier; stable across retries. */
export interface DeliveryContext {
  /** `${alertId}:${notifierId}` for single alerts, `digest:${notifierId}:${first alert id}` for digests. */
  deliveryId: string;
  /** 1 for the first try. */
  attempt: number;
}

export interface Notifier {
  /** Driver name (`"webhook"`). */
  readonly type: string;
  /** Config id of this notifier. */
  readonly id: string;
  /**
   * Delivers one alert, or several as one digest message. Resolves only when the receiver
   * accepted it; throws NotifyError (with `retryAfter` seconds when the receiver said so,
   * `permanent` when retrying cannot help) otherwise.
   */
  send(alerts: Alert[], delivery: DeliveryContext): Promise<void>;
  close?(): Promise<void>;
}

export interface NotifierContext {
  /** The store directory: file-writing notifiers (atom) keep their output under it. */
  storageDir: string;
  logger: Logger;
  /** Where the log notifier writes; stdout by default. */
  stdout?: NodeJS.WritableStream;
}
