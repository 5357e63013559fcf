import { z } from "zod";
import { NotifyError } from "../../errors.js";

export const ALERT_KINDS = [
  "content",
  "reversion",
  "flapping",
  "divergent",
  "coverage-variant",
  "figure-mismatch",
  "source-broken",
  "recovered",
] as const;

/** Options every notifier shares: identity, filters, digest, retry policy, timeout. */
export const notifierCommonFields = {
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, '.', '_' or '-'")
    .optional()
    .describe("Stable id; defaults to the type. Needed when two notifiers share a type"),
  enabled: z.boolean().default(true).describe("false keeps the notifier configured but sends nothing"),
  minSeverity: z
    .enum(["none", "cosmetic", "minor", "substantive"])
    .default("minor")
    .describe("Only changes at least this severe are sent (cosmetic changes are never sent)"),
  plans: z.array(z.string().min(1)).optional().describe("Only alerts of these plans; all plans when absent"),
  sources: z
    .array(z.string().min(1))
    .optional()
    .describe("Only alerts of these sources; all sources when absent"),
  kinds: z
    .array(z.enum(ALERT_KINDS))
    .optional()
    .describe(
      "Only these alert kinds (e.g. [source-broken, recovered] for an operations channel); all when absent",
    ),
  digestMinutes: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("Send at most one message per this many minutes, listing every alert since the last one"),
  timeoutMs: z.number().int().min(100).default(10_000).describe("Deadline of one delivery attempt"),
  retry: z
    .strictObject({
      baseDelayMs: z
        .number()
        .int()
        .min(0)
        .default(5_000)
        .describe("First wait before a retry; doubles each time, with jitter"),
      maxDelayMs: z
        .number()
        .int()
        .min(0)
        .default(600_000)
        .describe("Longest wait between retries (also caps Retry-After)"),
      giveUpAfterMinutes: z
        .number()
        .min(0)
        .default(1_440)
        .describe(
          "After this long an undelivered alert is marked dead for this notifier (still retryable by hand)",
        ),
    })
    .prefault({})
    .describe("Retry policy for failed deliveries"),
};

/**
 * A driver's options, validated at construction: an unusable notifier is a permanent error that
 * names the driver and every problem (`path: message`), so a misconfigured worker refuses to start.
 */
export function parseNotifierOptions<S extends z.ZodType>(
  schema: S,
  input: unknown,
  driver: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.join(".") || "(options)"}: ${issue.message}`,
  );
  throw new NotifyError(`${driver} notifier: invalid options: ${problems.join("; ")}`, { permanent: true });
}
