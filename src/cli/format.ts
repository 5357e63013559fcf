import type { CycleReport, SourceOutcome } from "../worker/types.js";

export function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function outcomeLine(outcome: SourceOutcome, idWidth: number): string {
  const detail = outcome.error?.message ?? outcome.changes.map((change) => change.headline).join(" | ");
  return `${pad(outcome.sourceId, idWidth)}  ${pad(outcome.status, 12)} ${pad(`${outcome.durationMs} ms`, 8)}  ${detail}`.trimEnd();
}

/** The per-source table `check` and `demo` print. */
export function formatCycle(report: CycleReport): string {
  const idWidth = Math.max(6, ...report.outcomes.map((outcome) => outcome.sourceId.length));
  return report.outcomes.map((outcome) => outcomeLine(outcome, idWidth)).join("\n");
}
