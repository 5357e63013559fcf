import { relative } from "node:path";
import { secretPaths } from "../config/index.js";
import { InputError } from "../errors.js";
import { DEFAULT_HOST, DEFAULT_PORT, startHistoryServer } from "../history/server.js";
import { createLogger } from "../log.js";
import { openHistoryConfig } from "./demo-history.js";

export interface ServeCommandOptions {
  config?: string;
  /** @default "127.0.0.1" */
  host?: string;
  /** @default 8080 */
  port?: string | number;
  /** @default $CLAUSEWATCH_TOKEN */
  token?: string;
  /** Serve the history `clausewatch demo` (`npm start`) left in snapshots/demo. */
  demo?: boolean;
}

function parsePort(value: string | number | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(`serve: --port must be a whole number from 0 to 65535, got "${String(value)}"`);
  }
  return port;
}

/** `clausewatch serve`: the read-only history view until SIGTERM/SIGINT; the demo's without a config. */
export async function runServeCommand(options: ServeCommandOptions): Promise<number> {
  const { config, store } = await openHistoryConfig(options, "serving");
  const logger = createLogger({
    level: config.log.level,
    format: config.log.format,
    redact: [...secretPaths],
    destination: process.stderr,
  });
  const token = options.token ?? (process.env.CLAUSEWATCH_TOKEN || undefined);
  try {
    const server = await startHistoryServer({
      config,
      host: options.host ?? DEFAULT_HOST,
      port: parsePort(options.port),
      ...(token ? { token } : {}),
      logger,
      ...(store ? { store } : {}),
    });
    const where = relative(process.cwd(), config.storageDir) || ".";
    process.stdout.write(
      `clausewatch: history of ${where} at ${server.url}/ (read-only${token ? ", token required" : ""}); Ctrl-C stops\n`,
    );
    await new Promise<void>((resolve) => {
      for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => resolve());
    });
    await server.close();
  } finally {
    await store?.close();
  }
  return 0;
}
