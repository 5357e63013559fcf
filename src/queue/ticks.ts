/**
 * Schedule ticks as the queue sees them. Every worker runs the same cron schedules; a tick is
 * named by its scheduled time (not by when a timer happened to fire), and the check of a source at
 * a tick gets a job id derived from both. Whichever worker inserts that job first wins; the others'
 * inserts of the same id do nothing, so a schedule fires once however many workers run it.
 */
import { createHash } from "node:crypto";
import cronParser from "cron-parser";
import type { SourceConfig } from "../config/index.js";

export interface ScheduleGroup {
  schedule: string;
  timezone: string | undefined;
  sourceIds: string[];
  /** Longest jitter of the group's sources, in seconds. */
  jitterSeconds: number;
}

/** Enabled sources grouped by schedule and time zone, as the fs scheduler groups them. */
export function scheduleGroups(sources: SourceConfig[]): ScheduleGroup[] {
  const groups = new Map<string, ScheduleGroup>();
  for (const source of sources.filter((candidate) => candidate.enabled)) {
    const key = `${source.schedule}|${source.timezone ?? ""}`;
    const group = groups.get(key) ?? {
      schedule: source.schedule,
      timezone: source.timezone,
      sourceIds: [],
      jitterSeconds: 0,
    };
    group.sourceIds.push(source.id);
    group.jitterSeconds = Math.max(group.jitterSeconds, source.jitterSeconds);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** A tick's name: its scheduled time to the second, ISO 8601 (`2025-11-20T10:00:00Z`). */
export function tickName(date: Date): string {
  return `${new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** The latest time the schedule fired at or before `now`, or undefined when it never did. */
export function previousFire(schedule: string, timezone: string | undefined, now: Date): Date | undefined {
  try {
    // +1 s: prev() is strictly before currentDate, and a tick at exactly `now` counts.
    const expression = cronParser.parseExpression(schedule, {
      currentDate: new Date(now.getTime() + 1000),
      ...(timezone ? { tz: timezone } : {}),
    });
    return expression.prev().toDate();
  } catch {
    return undefined;
  }
}

/** A stable UUID for `name` (sha256-based, RFC 9562 version 8), so equal names collide on insert. */
export function stableUuid(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The job id of checking `sourceId` at `tick`. */
export function checkJobId(sourceId: string, tick: string): string {
  return stableUuid(`clausewatch check ${sourceId} @ ${tick}`);
}
