/**
 * `clausewatch alerts`: what the outbox holds and where each alert stands with each notifier;
 * `clausewatch alerts retry ID` re-queues a dead one. Both open the store without its lock (the
 * fs store accepts the re-queue log through such a handle), so they work beside a running worker.
 */
import { type AlertRow, listAlerts, requeue } from "../alert/index.js";
import type { Config } from "../config/index.js";
import { InputError } from "../errors.js";
import { openConfiguredStore, type SnapshotStore } from "../store/index.js";
import { requireConfig } from "./context.js";
import { pad } from "./format.js";

export interface AlertsCommandOptions {
  config?: string;
  pending?: boolean;
  dead?: boolean;
  json?: boolean;
}

function notifierCell(row: AlertRow): string {
  return row.notifiers
    .map((notifier) => {
      const tries =
        notifier.status === "delivered" || notifier.attempts === 0 ? "" : ` ×${notifier.attempts}`;
      return `${notifier.id}:${notifier.status}${tries}`;
    })
    .join(" ");
}

function table(rows: AlertRow[]): string {
  if (rows.length === 0) return "no alerts";
  const idWidth = Math.max(2, ...rows.map((row) => row.id.length));
  const notifiers = rows.map(notifierCell);
  const notifierWidth = Math.max(9, ...notifiers.map((cell) => cell.length));
  const lines = [
    `${pad("ID", idWidth)}  ${pad("DETECTED", 19)}  ${pad("KIND", 13)} ${pad("SEVERITY", 11)} ${pad("NOTIFIERS", notifierWidth)}  HEADLINE`,
  ];
  rows.forEach((row, index) => {
    lines.push(
      `${pad(row.id, idWidth)}  ${pad(row.detectedAt.slice(0, 19).replace("T", " "), 19)}  ${pad(row.kind, 13)} ${pad(row.severity, 11)} ${pad(notifiers[index] ?? "", notifierWidth)}  ${row.headline}`,
    );
    for (const notifier of row.notifiers) {
      if (notifier.status === "delivered" || !notifier.lastError) continue;
      const next = notifier.nextAttemptAt
        ? `; next try ${notifier.nextAttemptAt.slice(0, 19).replace("T", " ")}`
        : "";
      lines.push(`${" ".repeat(idWidth + 2)}└ ${notifier.id}: ${notifier.lastError}${next}`);
    }
  });
  return lines.join("\n");
}

async function withStore<T>(config: Config, work: (store: SnapshotStore) => Promise<T>): Promise<T> {
  const store = await openConfiguredStore(config.storage, { readOnly: true });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export async function runAlertsCommand(options: AlertsCommandOptions): Promise<number> {
  if (options.pending && options.dead) throw new InputError("--pending and --dead exclude each other");
  const config = await requireConfig(options.config, { readOnly: true });
  const status = options.dead ? "dead" : options.pending ? "pending" : undefined;
  const rows = await withStore(config, (store) => listAlerts(store, status ? { status } : {}));
  process.stdout.write(options.json ? `${JSON.stringify(rows, null, 2)}\n` : `${table(rows)}\n`);
  return 0;
}

/** Exit 0 when something was re-queued, 1 when the alert had nothing dead; unknown ids throw (exit 2). */
export async function runAlertsRetryCommand(
  alertId: string,
  options: { config?: string; notifier?: string },
): Promise<number> {
  const config = await requireConfig(options.config, { readOnly: true });
  const requeued = await withStore(config, (store) => requeue(store, alertId, options.notifier));
  if (requeued.length === 0) {
    process.stderr.write(
      `clausewatch: alert "${alertId}" is not dead${options.notifier ? ` for notifier "${options.notifier}"` : " for any notifier"}; nothing re-queued\n`,
    );
    return 1;
  }
  process.stdout.write(
    `re-queued ${alertId} for ${requeued.join(", ")}; the worker delivers it on its next pass (or run "clausewatch check")\n`,
  );
  return 0;
}
