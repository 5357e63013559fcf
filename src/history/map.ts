/**
 * The clause × version map: rows are clauses followed through renumbering, columns a window of
 * versions in order of first sight, each cell what became of the clause since the column before
 * (the comparison's own entries, so every changed cell names an anchor on that comparison page).
 * Work is linear in the window: one comparison per column, one pass over its entries.
 */
import type { VersionRecord } from "../lineage/index.js";
import type { ClauseSet } from "../types.js";
import type { Edge, EdgeEntry } from "./edges.js";
import type { CellState, ClauseMap, MapCell, MapColumn, MapRow, TimelineChart } from "./types.js";

export const MAP_COLUMNS = 40;
export const MAP_ROWS_PER_PAGE = 500;

export interface MapInput {
  planId: string;
  planTitle: string;
  noun: string;
  /** Every version of the plan, oldest first. */
  versions: VersionRecord[];
  /** The window: positions (from 0) of its first column and of the column after its last. */
  start: number;
  end: number;
  /** Clause sets of the window's versions and of the version before it (missing snapshots left out). */
  sets: Map<string, ClauseSet>;
  /** The comparison of `versions[index - 1]` with `versions[index]`, when both texts are there. */
  edge(index: number): Edge | undefined;
  rows: "all" | "changed";
  page: number;
  perPage: number;
  chart: TimelineChart;
}

/**
 * What a diff entry makes of a cell: renumbered and typography-only clauses read as unchanged; a
 * split or a merge changed the outline even when the words did not, so it reads as reworded at least.
 */
function cellState(entry: Pick<EdgeEntry, "kind" | "severity">): CellState {
  if (entry.kind === "added" || entry.kind === "removed" || entry.kind === "moved") return entry.kind;
  if (entry.severity === "substantive") return "substantive";
  if (entry.severity === "minor" || entry.kind === "split" || entry.kind === "merged") return "reworded";
  return "unchanged";
}

interface Row {
  cells: Array<MapCell | null>;
  context: boolean;
  next: Row | undefined;
}

/** Where a window of `columns` versions starts: at `from` when given, else so that it ends at the newest. */
export function mapWindow(
  versions: VersionRecord[],
  from: string | undefined,
  columns: number,
): { start: number; end: number } | undefined {
  const start =
    from === undefined
      ? Math.max(0, versions.length - columns)
      : versions.findIndex((version) => version.id === from);
  if (start < 0) return undefined;
  return { start, end: Math.min(versions.length, start + columns) };
}

export function buildClauseMap(input: MapInput): ClauseMap {
  const { versions, start, end, sets } = input;
  const width = end - start;
  const head: Row = { cells: [], context: false, next: undefined };
  const newRow = (after: Row | undefined, context: boolean): Row => {
    const row: Row = { cells: new Array(width).fill(null), context, next: undefined };
    const at = after ?? head;
    row.next = at.next;
    at.next = row;
    return row;
  };
  let tail: Row = head;
  const append = (context: boolean) => {
    tail = newRow(tail, context);
    return tail;
  };

  // Rows start from the version before the window, so the first column shows what changed into it.
  let keyToRow = new Map<string, Row>();
  const before = start > 0 ? versions[start - 1] : undefined;
  const beforeSet = before ? sets.get(before.id) : undefined;
  for (const clause of beforeSet?.clauses ?? []) keyToRow.set(clause.key, append(clause.context === true));

  const columns: MapColumn[] = [];
  for (let column = 0; column < width; column++) {
    const index = start + column;
    const version = versions[index] as VersionRecord;
    const set = sets.get(version.id);
    const edge = index > 0 && keyToRow.size > 0 ? input.edge(index) : undefined;
    const previous = versions[index - 1];
    columns.push({
      version: version.id,
      firstSeen: version.firstSeen,
      ...(edge && previous ? { against: previous.id } : {}),
      clauses: set?.clauses.length ?? version.clauses,
    });
    const next = new Map<string, Row>();
    if (!edge) {
      // Nothing to compare with (the first version, or a text missing from the store): a fresh start.
      for (const clause of set?.clauses ?? []) {
        const row = append(clause.context === true);
        row.cells[column] = { state: "base", key: clause.key };
        next.set(clause.key, row);
      }
      keyToRow = next;
      continue;
    }
    let last: Row | undefined;
    const mark = (row: Row, entry: EdgeEntry, key: string) => {
      const state = cellState(entry);
      row.cells[column] = {
        state,
        key,
        kind: entry.kind,
        severity: entry.severity,
        ...(state === "unchanged" ? {} : { anchor: entry.anchor, headline: entry.headline ?? "" }),
      };
      if (entry.context) row.context = true;
    };
    for (const entry of edge.entries) {
      const [firstOld] = entry.old;
      const [firstNew] = entry.new;
      if (firstNew === undefined) {
        // Removed: the row ends here, marked where the clause stood.
        const row = (firstOld !== undefined ? keyToRow.get(firstOld) : undefined) ?? newRow(last, false);
        mark(row, entry, firstOld ?? "");
        last = row;
        continue;
      }
      const continued = firstOld !== undefined ? keyToRow.get(firstOld) : undefined;
      const row = continued ?? newRow(last, entry.context === true);
      mark(row, entry, firstNew);
      next.set(firstNew, row);
      last = row;
      // A split's other parts start rows of their own; a merge's other parts end theirs here.
      for (const key of entry.new.slice(1)) {
        const part = newRow(last, entry.context === true);
        mark(part, entry, key);
        next.set(key, part);
        last = part;
      }
      for (const key of entry.old.slice(1)) {
        const merged = keyToRow.get(key);
        if (merged) mark(merged, entry, firstNew);
      }
    }
    keyToRow = next;
  }

  const all: MapRow[] = [];
  for (let row = head.next; row; row = row.next) {
    const present = row.cells.filter((cell): cell is MapCell => cell !== null);
    if (present.length === 0) continue;
    const paths = [...new Set(present.map((cell) => cell.key))];
    const standing = present.filter((cell) => cell.state !== "removed");
    const label = (standing[standing.length - 1] ?? present[present.length - 1])?.key ?? "";
    all.push({ label, paths, cells: row.cells, ...(row.context ? { context: true as const } : {}) });
  }
  const filtered =
    input.rows === "changed"
      ? all.filter((row) =>
          row.cells.some((cell) => cell && cell.state !== "unchanged" && cell.state !== "base"),
        )
      : all;
  const pages = Math.max(1, Math.ceil(filtered.length / input.perPage));
  const page = Math.min(Math.max(1, input.page), pages);
  const previousWindow = start > 0 ? versions[Math.max(0, start - width)] : undefined;
  const nextWindow = end < versions.length ? versions[end] : undefined;
  return {
    planId: input.planId,
    planTitle: input.planTitle,
    noun: input.noun,
    versions: versions.map((version) => version.id),
    window: {
      start: start + 1,
      end,
      columns: width,
      ...(previousWindow ? { previous: previousWindow.id } : {}),
      ...(nextWindow ? { next: nextWindow.id } : {}),
    },
    columns,
    rows: filtered.slice((page - 1) * input.perPage, page * input.perPage),
    rowFilter: input.rows,
    rowPage: { page, pages, perPage: input.perPage, total: filtered.length },
    chart: input.chart,
  };
}

const DAY = 86_400_000;

function bucketStart(time: number, unit: TimelineChart["unit"]): number {
  const date = new Date(time);
  if (unit === "month") return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (unit === "day") return day;
  return day - ((date.getUTCDay() + 6) % 7) * DAY; // weeks start on Monday
}

function nextBucket(time: number, unit: TimelineChart["unit"]): number {
  if (unit === "day") return time + DAY;
  if (unit === "week") return time + 7 * DAY;
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/** Versions first seen and coverage mentions per day, week or month (whichever gives at most 60 periods). */
export function buildChart(
  versions: Array<Pick<VersionRecord, "id" | "firstSeen">>,
  mentionTimes: string[],
): TimelineChart {
  const times = [...versions.map((version) => Date.parse(version.firstSeen)), ...mentionTimes.map(Date.parse)]
    .filter((time) => Number.isFinite(time))
    .sort((a, b) => a - b);
  const first = times[0];
  const last = times[times.length - 1];
  if (first === undefined || last === undefined) return { unit: "day", buckets: [] };
  const span = last - first;
  const unit: TimelineChart["unit"] = span <= 60 * DAY ? "day" : span <= 60 * 7 * DAY ? "week" : "month";
  const buckets: TimelineChart["buckets"] = [];
  const index = new Map<number, TimelineChart["buckets"][number]>();
  for (let time = bucketStart(first, unit); time <= last; time = nextBucket(time, unit)) {
    const bucket: TimelineChart["buckets"][number] = {
      start: new Date(time).toISOString().slice(0, 10),
      versions: [],
      mentions: 0,
    };
    buckets.push(bucket);
    index.set(time, bucket);
  }
  for (const version of versions) {
    const time = Date.parse(version.firstSeen);
    if (Number.isFinite(time)) index.get(bucketStart(time, unit))?.versions.push(version.id);
  }
  for (const at of mentionTimes) {
    const time = Date.parse(at);
    const bucket = Number.isFinite(time) ? index.get(bucketStart(time, unit)) : undefined;
    if (bucket) bucket.mentions += 1;
  }
  return { unit, buckets };
}
