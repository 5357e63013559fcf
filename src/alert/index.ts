import type { Logger } from "pino";
import type { NotifierConfig } from "../config/index.js";
import { severityAtLeast } from "../diff/index.js";
import type { SourceChange } from "../worker/types.js";

/** Whether a notifier wants this change: never cosmetic or suppressed ones, then its own filters. */
export function wants(notifier: NotifierConfig, change: SourceChange): boolean {
  if (!notifier.enabled || change.suppressed) return false;
  if (!severityAtLeast(change.severity, "minor")) return false;
  if (!severityAtLeast(change.severity, notifier.minSeverity)) return false;
  return notifier.plans === undefined || notifier.plans.includes(change.planId);
}

/**
 * Hands a cycle's changes to the configured notifiers. The changes are already in the store
 * (`changes.jsonl`) before this runs, so a crash here loses no change.
 */
export function handOff(notifiers: NotifierConfig[], changes: SourceChange[], logger: Logger): number {
  let sent = 0;
  for (const notifier of notifiers) {
    for (const change of changes) {
      if (!wants(notifier, change)) continue;
      logger.info(
        {
          notifier: notifier.id,
          alert: {
            key: change.key,
            kind: change.kind,
            plan: change.planId,
            source: change.sourceId,
            severity: change.severity,
          },
          headline: change.headline,
          summary: change.summary,
        },
        "alert",
      );
      sent++;
    }
  }
  return sent;
}
