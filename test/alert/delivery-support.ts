/**
 * Shared pieces of the outbox and delivery tests: temp store directories, sample changes, a
 * config with the notifiers under test, and a recording notifier whose next sends can be told to
 * fail the way real receivers do.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AlertConfig } from "../../src/alert/index.js";
import type { Alert, DeliveryContext, Notifier } from "../../src/alert/types.js";
import type { NotifierConfig } from "../../src/config/index.js";
import { NotifyError } from "../../src/errors.js";
import { createLogger } from "../../src/log.js";
import type { SourceChange } from "../../src/worker/types.js";

export const silentLogger = createLogger({ level: "silent" });

export async function makeTempDir(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "clausewatch-alert-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const T0 = Date.parse("2025-11-20T10:00:00.000Z");

/** A stored content change (the worker's hand-off), numbered so keys and headlines differ. */
export function sampleChange(n: number, fields: Partial<SourceChange> = {}): SourceChange {
  return {
    key: `wire:${n}:content:${String(n).padStart(4, "0")}`,
    at: new Date(T0 + n * 1000).toISOString(),
    sourceId: "wire",
    planId: "peace-plan",
    kind: "content",
    url: "https://example.org/plan.txt",
    severity: "substantive",
    headline: `Peace plan: point ${n} rewritten`,
    fromSnapshot: `${n}`.padStart(16, "a"),
    toSnapshot: `${n}`.padStart(16, "b"),
    ...fields,
  };
}

/** A notifier config entry as the config loader would produce it (filters and policy included). */
export function notifierEntry(id: string, fields: Record<string, unknown> = {}): NotifierConfig {
  return { type: "log", id, enabled: true, minSeverity: "minor", ...fields } as unknown as NotifierConfig;
}

export function alertConfig(notify: NotifierConfig[]): AlertConfig {
  return {
    plans: [
      { id: "peace-plan", title: "Peace plan" },
      { id: "trade-deal", title: "Trade deal" },
    ],
    sources: [
      { id: "wire", title: "Wire service" },
      { id: "outlet", title: "Outlet" },
    ] as AlertConfig["sources"],
    notify,
  };
}

export type Failure = "transient" | "permanent" | "retry-after" | "hang";

export interface RecordingNotifier extends Notifier {
  sends: Array<{ alertIds: string[]; delivery: DeliveryContext }>;
  /** The next `times` sends fail this way. */
  failNext(times: number, how: Failure, retryAfterSeconds?: number): void;
}

/** A notifier that remembers what it was asked to send; sends succeed unless told otherwise. */
export function recordingNotifier(id: string): RecordingNotifier {
  const failures: Array<{ how: Failure; retryAfter?: number }> = [];
  const sends: RecordingNotifier["sends"] = [];
  return {
    type: "test",
    id,
    sends,
    failNext(times, how, retryAfterSeconds) {
      for (let i = 0; i < times; i++)
        failures.push({ how, ...(retryAfterSeconds ? { retryAfter: retryAfterSeconds } : {}) });
    },
    async send(alerts: Alert[], delivery: DeliveryContext) {
      const failure = failures.shift();
      if (failure?.how === "hang") return new Promise<void>(() => undefined);
      if (failure?.how === "transient") throw new NotifyError(`test notifier "${id}": receiver answered 500`);
      if (failure?.how === "permanent")
        throw new NotifyError(`test notifier "${id}": receiver answered 404`, { permanent: true });
      if (failure?.how === "retry-after")
        throw new NotifyError(`test notifier "${id}": receiver answered 429`, {
          ...(failure.retryAfter !== undefined ? { retryAfter: failure.retryAfter } : {}),
        });
      sends.push({ alertIds: alerts.map((alert) => alert.id), delivery });
    },
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = T0 + 60_000): {
  now: () => Date;
  advance(ms: number): void;
  at(): number;
} {
  let current = start;
  return {
    now: () => new Date(current),
    advance(ms) {
      current += ms;
    },
    at: () => current,
  };
}
