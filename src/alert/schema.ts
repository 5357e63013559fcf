import { z } from "zod";
import { DiffSummary, EntryKind, Flag, RedlineOp, Severity } from "../diff/schema.js";
import { ALERT_KINDS } from "./notifiers/common.js";
import { ALERT_SCHEMA, type Alert } from "./types.js";

/*
 * The published alert contract: the webhook body, the log line, the stored outbox record.
 * `config/alert.schema.json` is generated from these definitions; a test keeps it current.
 */

/** Version of the body a webhook receives when several alerts go out as one digest. */
export const ALERT_DIGEST_SCHEMA = "clausewatch.alert-digest/1";

const isoTime = z.string().describe("ISO 8601 timestamp (UTC)");

export const AlertClauseChangeSchema = z
  .object({
    headline: z.string().describe('One line about this clause ("Point 6 (now 5): 600,000 → 800,000 people")'),
    kind: EntryKind,
    old: z.array(z.string()).describe("Labels of the old clauses in this change"),
    new: z.array(z.string()).describe("Labels of the new clauses in this change"),
    severity: Severity,
    flags: z.array(Flag),
    snippet: z
      .object({
        old: z.string().optional().describe("Old wording around the change (≤ 240 characters)"),
        new: z.string().optional().describe("New wording around the change (≤ 240 characters)"),
      })
      .describe("Short excerpts around the change, with the changed words"),
    redline: z.array(RedlineOp).optional().describe("Full word-level redline of the clause"),
    page: z
      .object({ old: z.int().optional(), new: z.int().optional() })
      .optional()
      .describe("Pages the clause starts on, for paged documents (PDF)"),
  })
  .describe("One changed clause");

export const AlertSchema = z
  .object({
    schema: z.literal(ALERT_SCHEMA),
    id: z.string().describe("Idempotency key: the same across retries, restarts and notifiers"),
    kind: z.enum(ALERT_KINDS),
    severity: Severity,
    detectedAt: isoTime.describe("When the change was detected (ISO 8601)"),
    plan: z.object({ id: z.string(), title: z.string() }),
    source: z.object({ id: z.string(), title: z.string().optional(), url: z.string() }),
    headline: z.string().max(140).describe("Readable at a glance; at most 140 characters"),
    changes: z.array(AlertClauseChangeSchema).describe("One entry per changed clause, most important first"),
    summary: DiffSummary.optional(),
    provenance: z.object({
      url: z.string(),
      seenAt: isoTime,
      fromSnapshot: z.string().optional(),
      toSnapshot: z.string().optional(),
    }),
    link: z.string().optional().describe("The comparison in the history view, when publicBaseUrl is set"),
    error: z
      .object({ code: z.string(), message: z.string() })
      .optional()
      .describe("For source-broken alerts: what went wrong"),
  })
  .meta({ id: "Alert", title: "clausewatch alert", description: `Schema ${ALERT_SCHEMA}` });

export const AlertDigestSchema = z
  .object({
    schema: z.literal(ALERT_DIGEST_SCHEMA),
    alerts: z
      .array(AlertSchema)
      .min(1)
      .describe("Every alert since the notifier's last message, oldest first"),
  })
  .meta({ title: "clausewatch alert digest", description: `Schema ${ALERT_DIGEST_SCHEMA}` });

export type AlertDigest = z.infer<typeof AlertDigestSchema>;

/** What a webhook receives: one alert, or a digest of several (`digestMinutes`). */
export const WebhookPayloadSchema = z
  .discriminatedUnion("schema", [AlertSchema, AlertDigestSchema])
  .meta({ title: "clausewatch webhook body" });

type MutuallyAssignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
/** Fails to compile when the zod schema and the hand-written `Alert` type drift apart. */
export type AlertSchemaMatchesAlert = Holds<MutuallyAssignable<z.infer<typeof AlertSchema>, Alert>>;

/**
 * The JSON Schema published as `config/alert.schema.json`. Generated for input so objects stay
 * open: later fields are additive within `/1`, and receivers validating against this file keep
 * accepting them (a breaking change bumps the version in `schema`).
 */
export function alertJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(WebhookPayloadSchema, { target: "draft-2020-12", io: "input" });
}
