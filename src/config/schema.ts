/**
 * The user's side of the config: what people write in YAML or JSON. Shape and field-local checks
 * only; anything that compares two fields lives in `rules.ts`. `config/schema.json` is generated
 * from this schema, so every field carries a description an editor can show.
 */

import { z } from "zod";
import { AtomNotifierOptions } from "../alert/notifiers/atom.js";
import { EmailNotifierOptions } from "../alert/notifiers/email.js";
import { LogNotifierOptions } from "../alert/notifiers/log.js";
import { SlackNotifierOptions } from "../alert/notifiers/slack.js";
import { WebhookNotifierOptions } from "../alert/notifiers/webhook.js";
import {
  checkCharset,
  checkCron,
  checkSelector,
  checkSourceUrl,
  checkTimezone,
  HEADER_NAME_PATTERN,
  ID_PATTERN,
} from "./checks.js";

export const DEFAULT_SCHEDULE = "*/10 * * * *";
export const DEFAULT_USER_AGENT = "clausewatch/0.1";

function checked(schema: z.ZodString, check: (value: string) => string | undefined): z.ZodString {
  return schema.superRefine((value, ctx) => {
    // The schema's own min(1) already reports an empty value.
    if (value === "") return;
    const message = check(value);
    if (message !== undefined) ctx.addIssue({ code: "custom", message, input: value });
  });
}

function idSchema(what: string): z.ZodString {
  return z.string().regex(ID_PATTERN, {
    error: (issue) =>
      `invalid ${what} id ${JSON.stringify(issue.input)}; expected 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
  });
}

const cronSchema = checked(z.string().min(1), checkCron);
const deadlineSchema = z.number().min(0.1).max(3600);
const timezoneSchema = checked(z.string().min(1), checkTimezone);
const selectorSchema = checked(z.string().min(1), checkSelector);

const headersSchema = z.record(
  z.string().regex(HEADER_NAME_PATTERN, { error: "expected an HTTP header name (letters, digits, -)" }),
  z
    .string()
    .refine((value) => !/[\r\n]/.test(value), { error: "header values must not contain line breaks" }),
);

const retryFields = {
  attempts: z
    .int()
    .min(1)
    .max(20)
    .describe(
      "Tries in total for a transient failure (network error, 429, 5xx), the first included; 1 = no retry",
    ),
  baseDelayMs: z
    .int()
    .min(0)
    .max(600_000)
    .describe("Delay before the first retry in milliseconds; doubles on every further retry, with jitter"),
  maxDelayMs: z
    .int()
    .min(0)
    .max(3_600_000)
    .describe("Upper bound of one retry delay in milliseconds; also caps a server's Retry-After"),
};

const httpRequestFields = {
  timeoutMs: z
    .int()
    .min(1)
    .max(600_000)
    .describe("Give up on a request after this many milliseconds (connect, headers and body together)"),
  maxBytes: z
    .int()
    .min(1)
    .max(1_073_741_824)
    .describe("Refuse a response body larger than this many bytes (decoded)"),
  maxRedirects: z.int().min(0).max(20).describe("Follow at most this many redirects; 0 refuses any"),
  userAgent: z
    .string()
    .min(1)
    .describe("User-Agent header; polite crawlers name a contact (URL or e-mail) here"),
};

const hostLimitFields = {
  perHost: z.int().min(1).max(64).describe("Requests in flight to one host at most"),
  politenessMs: z
    .int()
    .min(0)
    .max(3_600_000)
    .describe("Minimum gap in milliseconds between the start of two requests to the same host"),
};

export const retriesSchema = z
  .strictObject({
    attempts: retryFields.attempts.default(3),
    baseDelayMs: retryFields.baseDelayMs.default(500),
    maxDelayMs: retryFields.maxDelayMs.default(30_000),
  })
  .describe("Retries with exponential backoff for transient failures");

export const httpSchema = z
  .strictObject({
    timeoutMs: httpRequestFields.timeoutMs.default(30_000),
    maxBytes: httpRequestFields.maxBytes.default(5 * 1024 * 1024),
    maxRedirects: httpRequestFields.maxRedirects.default(5),
    userAgent: httpRequestFields.userAgent.default(DEFAULT_USER_AGENT),
    headers: headersSchema.default({}).describe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax
      'Extra request headers for every source; values may use ${VAR} for secrets, e.g. "Bearer ${TOKEN}"',
    ),
    retries: retriesSchema.prefault({}),
    perHost: hostLimitFields.perHost.default(2),
    politenessMs: hostLimitFields.politenessMs.default(1000),
  })
  .describe("HTTP client settings for every source; a source may override the request-level ones");

export const httpOverrideSchema = z
  .strictObject({
    timeoutMs: httpRequestFields.timeoutMs.optional(),
    maxBytes: httpRequestFields.maxBytes.optional(),
    maxRedirects: httpRequestFields.maxRedirects.optional(),
    userAgent: httpRequestFields.userAgent.optional(),
    headers: headersSchema
      .optional()
      .describe(
        "Headers added to the global http.headers for this source (same name, case-insensitive: this wins)",
      ),
    retries: z
      .strictObject({
        attempts: retryFields.attempts.optional(),
        baseDelayMs: retryFields.baseDelayMs.optional(),
        maxDelayMs: retryFields.maxDelayMs.optional(),
      })
      .optional()
      .describe("Overrides of the global retry settings"),
  })
  .describe(
    "Per-source overrides of the global http block. Per-host limits (perHost, politenessMs) are set under `hosts` so every source on a host agrees",
  );

export const hostLimitsSchema = z
  .strictObject({
    perHost: hostLimitFields.perHost.optional(),
    politenessMs: hostLimitFields.politenessMs.optional(),
  })
  .describe("Limits for one host, overriding http.perHost / http.politenessMs");

export const documentsSchema = z
  .strictObject({
    maxPages: z
      .int()
      .min(1)
      .max(1_000_000)
      .default(2000)
      .describe("A PDF with more pages is refused before any page is read (a page-count bomb)"),
    timeoutMs: z
      .int()
      .min(100)
      .max(3_600_000)
      .default(60_000)
      .describe("Give up reading one PDF or Word file after this many milliseconds"),
    maxMemoryMb: z
      .int()
      .min(32)
      .max(16_384)
      .default(512)
      .describe("Refuse a PDF or Word file whose reading needs more memory than this many MiB"),
  })
  .describe("Bounds on reading PDF and Word documents, each read in its own worker thread");

export const browserSchema = z
  .strictObject({
    executablePath: z
      .string()
      .min(1)
      .default("/usr/bin/chromium")
      .describe("Chromium (or Chrome) binary used for sources with render: browser"),
    timeoutMs: z
      .int()
      .min(100)
      .max(600_000)
      .default(30_000)
      .describe("Deadline of rendering one page, navigation and waiting included"),
    args: z
      .array(z.string().min(1))
      .default([])
      .describe("Extra command-line flags for Chromium, added to the built-in safe set"),
  })
  .describe("Headless Chromium for pages built by scripts (started only when a source uses render: browser)");

export const discoverSchema = z
  .strictObject({
    keywords: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "An entry is relevant when its title, summary, categories or URL mention one of these (case-insensitive)",
      ),
    planVocabulary: z
      .boolean()
      .default(true)
      .describe(
        "Also count an entry relevant when it mentions the plan's title or at least two distinctive terms of its clauses",
      ),
    maxEntriesPerCycle: z
      .int()
      .min(1)
      .max(1000)
      .default(20)
      .describe("New articles fetched per cycle at most, newest first; the rest wait for the next cycle"),
    maxAgeHours: z
      .number()
      .min(1)
      .max(24 * 365)
      .default(72)
      .describe("Entries published longer ago than this are ignored"),
    recheckHours: z
      .number()
      .min(0)
      .max(24 * 90)
      .default(48)
      .describe("A discovered article is checked again on every cycle for this long, then retired"),
    maxArticles: z
      .int()
      .min(1)
      .max(10_000)
      .default(200)
      .describe("Discovered articles kept in the source's list; the oldest retired ones are forgotten first"),
  })
  .describe(
    "Makes a coverage source a feed (RSS, Atom, JSON Feed) or sitemap whose new articles are found, fetched and analysed",
  );

export const planSchema = z
  .strictObject({
    id: idSchema("plan").describe("Stable id of the plan, used by sources and in the snapshot store"),
    title: z.string().min(1).describe("Human name of the plan, shown in alerts"),
    description: z.string().optional().describe("Free text for people reading the config"),
  })
  .describe("A document that evolves through versions, watched through one or more sources");

export const sourceSchema = z
  .strictObject({
    id: idSchema("source").describe(
      "Stable id of the source; names its history in the store, so renaming starts a new history",
    ),
    plan: z.string().min(1).describe("Id of the plan (under `plans`) this source carries"),
    role: z
      .enum(["draft", "coverage"])
      .default("draft")
      .describe("draft: a copy of the document itself; coverage: an article reporting on it"),
    title: z.string().min(1).optional().describe("Human name of the source, shown in alerts"),
    url: checked(z.string().min(1), checkSourceUrl).describe(
      "Where to read the source: http(s)://…, file:///absolute/path or file:relative/path (relative to the config file)",
    ),
    select: selectorSchema
      .optional()
      .describe("CSS selector of the content element; without it the main content is guessed"),
    ignore: z
      .array(selectorSchema)
      .default([])
      .describe("CSS selectors of elements removed before extraction (ads, related links, timestamps)"),
    schedule: cronSchema
      .optional()
      .describe('Cron expression (5 or 6 fields) overriding the global schedule, e.g. "*/5 * * * *"'),
    timezone: timezoneSchema.optional().describe("IANA time zone for this source's schedule"),
    format: z
      .enum(["auto", "html", "text", "markdown", "pdf", "docx"])
      .default("auto")
      .describe(
        "How to read the body; auto recognises PDF and Word files by their bytes, then uses Content-Type, the file extension, then sniffs",
      ),
    render: z
      .enum(["fetch", "browser"])
      .default("fetch")
      .describe(
        "fetch: read the page as served; browser: render it in headless Chromium first (pages built by scripts)",
      ),
    waitFor: selectorSchema
      .optional()
      .describe(
        "With render: browser, wait for this CSS selector before reading; without it, for network idle",
      ),
    discover: discoverSchema.optional(),
    charset: checked(z.string().min(1), checkCharset)
      .optional()
      .describe("Force this character encoding when a site declares a wrong one (e.g. windows-1251)"),
    headers: headersSchema
      .optional()
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax
      .describe("Request headers for this source, added last (same as http.headers); ${VAR} for secrets"),
    enabled: z
      .boolean()
      .default(true)
      .describe("false keeps the source and its history but stops checking it"),
    deadlineSeconds: deadlineSchema.optional().describe("This source's deadline, overriding the global one"),
    http: httpOverrideSchema.optional(),
  })
  .describe("One place where a plan's text or coverage of it is published");

/** Postgres schema names: lower-case SQL identifiers (see src/store/postgres-store.ts). */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

const storageSchema = z
  .strictObject({
    driver: z
      .enum(["fs", "postgres"])
      .default("fs")
      .describe(
        "fs: the snapshots/ directory (one worker, the embedded default); postgres: a PostgreSQL database shared by several workers",
      ),
    dir: z
      .string()
      .min(1)
      .default("./snapshots")
      .describe(
        "fs: the store directory. postgres: this machine's heartbeat and Atom feeds only. A relative path is resolved against the config file's directory",
      ),
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, { error: "expected a postgres:// or postgresql:// connection URL" })
      .optional()
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax
      .describe('postgres: connection URL; keep it in the environment, e.g. "${DATABASE_URL}"'),
    lockLeaseSeconds: z
      .int()
      .min(2)
      .max(3600)
      .default(30)
      .describe(
        "fs: the writer renews its store lock this often × 4; a lock not renewed for this long (its holder was killed) is taken over. A worker starting meanwhile waits for it",
      ),
    poolSize: z.int().min(1).max(200).default(10).describe("postgres: connections per process for queries"),
    schema: z
      .string()
      .regex(SCHEMA_NAME, { error: "expected a lower-case SQL name such as clausewatch" })
      .default("clausewatch")
      .describe("postgres: schema holding the tables (the job queue uses <schema>_queue)"),
  })
  .superRefine((storage, ctx) => {
    if (storage.driver === "postgres" && storage.url === undefined) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "storage.driver postgres needs storage.url" });
    }
    if (storage.driver === "fs" && storage.url !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message: 'storage.url is only read with driver "postgres"',
      });
    }
  })
  .prefault({})
  .describe("Where snapshots, logs and the outbox are kept");

const queueSchema = z
  .strictObject({
    concurrency: z.int().min(1).max(256).default(16).describe("Checks one worker runs at once"),
    leaseSeconds: z
      .int()
      .min(2)
      .max(86_400)
      .default(600)
      .describe(
        "A check or delivery not finished this long after it started (its worker died) is given to another worker; keep it above the slowest check",
      ),
    pollSeconds: z
      .number()
      .min(0.5)
      .max(60)
      .default(2)
      .describe("How often an idle worker asks the queue for work"),
  })
  .prefault({})
  .describe("The shared job queue of `clausewatch run` with storage.driver postgres");

/** Every notifier driver's options; `type` picks the driver (src/alert/notifiers). */
export const notifierSchema = z.discriminatedUnion("type", [
  LogNotifierOptions,
  WebhookNotifierOptions,
  SlackNotifierOptions,
  EmailNotifierOptions,
  AtomNotifierOptions,
]);

export const userConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe("JSON Schema of this file, for editors"),
    publicBaseUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe("Base URL where the history view is published; alerts then link to the comparison"),
    storage: storageSchema,
    queue: queueSchema,
    schedule: cronSchema
      .default(DEFAULT_SCHEDULE)
      .describe('Cron expression (5 or 6 fields) used by every source without its own, e.g. "*/10 * * * *"'),
    timezone: timezoneSchema
      .optional()
      .describe("IANA time zone the schedules are read in; the host's zone when absent"),
    jitterSeconds: z
      .int()
      .min(0)
      .max(3600)
      .default(30)
      .describe(
        "Each source waits a random 0..jitterSeconds after a tick so requests do not all start at once",
      ),
    concurrency: z
      .int()
      .min(1)
      .max(256)
      .default(16)
      .describe("Sources checked at once in a cycle (hosts are also limited by perHost and politenessMs)"),
    threads: z
      .int()
      .min(0)
      .max(64)
      .optional()
      .describe(
        "Worker threads that extract and parse fetched documents (off the main thread, under each source's deadline); one fewer than the machine's cores (at least 1, at most 4) when absent, 0 parses on the main thread",
      ),
    deadlineSeconds: deadlineSchema
      .default(120)
      .describe(
        "The most one source's check may take (fetch with retries, extraction, parsing, comparison); waiting for a per-host slot, the politeness delay or a parsing thread does not count",
      ),
    shutdownGraceSeconds: z
      .number()
      .min(0)
      .max(3600)
      .default(8)
      .describe(
        "On SIGTERM, how long sources in flight may finish before they are cut short (recording nothing) and the worker exits; keep it under the container's stop timeout (Docker's default is 10 s)",
      ),
    http: httpSchema.prefault({}),
    documents: documentsSchema.prefault({}),
    browser: browserSchema.prefault({}),
    hosts: z
      .record(
        z.string().regex(/^[A-Za-z0-9.-]+$/, {
          error: "expected a host name such as example.org (no scheme or port)",
        }),
        hostLimitsSchema,
      )
      .default({})
      .describe('Per-host limits keyed by host name, e.g. { "www.example.org": { politenessMs: 5000 } }'),
    health: z
      .strictObject({
        failureThreshold: z
          .int()
          .min(1)
          .max(1000)
          .default(3)
          .describe('Consecutive failed checks of a source before a "source broken" alert'),
      })
      .prefault({})
      .describe("When a failing source is reported"),
    flapping: z
      .strictObject({
        window: z
          .int()
          .min(2)
          .max(100)
          .default(6)
          .describe("Recent versions remembered per source to recognise reversions and flapping"),
      })
      .prefault({})
      .describe("Recognising a text that flips back and forth"),
    lineage: z
      .strictObject({
        minorShare: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .describe(
            "Deprecated, has no effect: a copy that only words things differently is always a witness of its version",
          ),
        divergentShare: z
          .number()
          .min(0)
          .max(1)
          .default(0.6)
          .describe(
            "A draft copy reworded in at least this share of its clauses, with every figure kept (and at most a tenth of its items cut or joined), is a divergent copy (a paraphrase, a translation), not a new version — whatever its wording changes",
          ),
      })
      .prefault({})
      .describe("How copies of a plan from several sources are grouped into versions"),
    log: z
      .strictObject({
        level: z
          .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
          .default("info")
          .describe("Least severe level written"),
        format: z
          .enum(["json", "pretty"])
          .default("json")
          .describe("json: one JSON object per line (for containers); pretty: human-readable"),
      })
      .prefault({})
      .describe("Logging"),
    plans: z.array(planSchema).default([]).describe("The documents being watched"),
    sources: z.array(sourceSchema).default([]).describe("Where the plans and their coverage are read"),
    notify: z
      .array(notifierSchema)
      .prefault([{ type: "log" }])
      .describe("Where alerts go; a log notifier when absent, nothing when empty"),
  })
  .describe("clausewatch configuration");

/** What a user may write (before defaults). */
export type UserConfig = z.input<typeof userConfigSchema>;
/** The user's config after validation and defaults, before normalization. */
export type ParsedUserConfig = z.output<typeof userConfigSchema>;
export type UserNotifier = z.output<typeof notifierSchema>;
