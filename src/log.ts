/**
 * One pino root logger for the process; each source's work logs through a child carrying
 * `{ source, run }`. Secrets never reach the output: redaction runs before serialization, so it
 * covers both the JSON and the pretty format.
 */
import { createRequire } from "node:module";
import pino from "pino";
import type prettyFactory from "pino-pretty";
import { secretPaths } from "./config/secrets.js";

export type Logger = pino.Logger;

export interface LoggerOptions {
  /**
   * Least severe level written (`fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent`).
   * @default "info"
   */
  level?: string;
  /**
   * `json`: one JSON object per line, for containers and log shippers. `pretty`: human-readable lines.
   * @default "json"
   */
  format?: "json" | "pretty";
  /**
   * Where lines go.
   * @default stdout
   */
  destination?: pino.DestinationStream;
  /** More pino redact paths (e.g. `secretPaths` from the config), added to the built-in ones. */
  redact?: readonly string[];
}

const SECRET_HEADERS = [
  "authorization",
  "Authorization",
  "proxy-authorization",
  "Proxy-Authorization",
  "cookie",
  "Cookie",
  "set-cookie",
  "Set-Cookie",
  "x-api-key",
  "X-Api-Key",
];

const SECRET_FIELDS = ["password", "token", "secret", "apiKey"];

/** Paths always redacted: credential headers and credential-named fields, at the top level and one level down. */
export const DEFAULT_REDACT_PATHS: readonly string[] = [
  ...["headers", "*.headers"].flatMap((prefix) =>
    SECRET_HEADERS.map((name) => `${prefix}[${JSON.stringify(name)}]`),
  ),
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
  ...secretPaths,
];

export const REDACTED = "[redacted]";

export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? "json";
  const paths = [...new Set([...DEFAULT_REDACT_PATHS, ...(options.redact ?? [])])];
  const base: pino.LoggerOptions = {
    level: options.level ?? "info",
    redact: { paths, censor: REDACTED },
  };

  if (format === "pretty") {
    // A stream in this thread rather than a worker transport: works the same in tests, in
    // containers and when bundled, and the last lines are not lost on a crash.
    // Loaded only for pretty output: JSON logging (containers, the worker) never pays for it.
    const pretty = createRequire(import.meta.url)("pino-pretty") as typeof prettyFactory;
    const stream = pretty({
      destination: options.destination ?? 1,
      sync: true,
      colorize: options.destination === undefined && process.stdout.isTTY === true,
      translateTime: "SYS:yyyy-mm-dd HH:MM:ss.l",
      ignore: "pid,hostname",
    });
    return pino(base, stream);
  }

  const json: pino.LoggerOptions = {
    ...base,
    // Level names and ISO times read well in `docker logs` and need no mapping in log shippers.
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination === undefined ? pino(json) : pino(json, options.destination);
}

/** The logger for one source's work in one run: every line carries `{ source, run }`. */
export function sourceLogger(root: Logger, sourceId: string, runId: string): Logger {
  return root.child({ source: sourceId, run: runId });
}
