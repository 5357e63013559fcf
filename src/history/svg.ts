/**
 * Server-rendered SVG: the clause × version map and the timeline of versions and coverage. Plain
 * SVG inline in the page — no script, no external asset — sized in CSS pixels so labels stay
 * legible at phone width (the chart scrolls sideways inside its box instead of shrinking). Every
 * scraped string (paths, headlines) is escaped like any HTML text and shown in <text>/<title>.
 */
import { fragment } from "./anchors.js";
import { h, type PageLinks } from "./layout.js";
import type { CellState, ClauseMap, MapCell, TimelineChart } from "./types.js";

const CELL = 16;
const BOX = 14;
const HEADER = 58;
const LABEL_WIDTH = 104;

/** Letters inside cells, so the map reads in black and white too. */
const GLYPH: Record<CellState, string> = {
  base: "",
  unchanged: "",
  reworded: "~",
  substantive: "!",
  added: "+",
  removed: "−",
  moved: "↕",
};

export const CELL_LABEL: Record<CellState, string> = {
  base: "as first compared",
  unchanged: "unchanged",
  reworded: "reworded (minor)",
  substantive: "substantive change",
  added: "added",
  removed: "removed",
  moved: "moved",
};

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A small swatch for the legend. */
export function swatch(state: CellState): string {
  const glyph = GLYPH[state];
  return `<svg width="${BOX}" height="${BOX}" aria-hidden="true" focusable="false"><rect class="s-${state}" width="${BOX}" height="${BOX}" rx="2"/>${
    glyph ? `<text class="glyph light" x="${BOX / 2}" y="${BOX - 3}">${h(glyph)}</text>` : ""
  }</svg>`;
}

/** The row labels: a column of its own that stays put while the cells scroll. */
function labelsSvg(map: ClauseMap, links: PageLinks): string {
  const height = HEADER + map.rows.length * CELL;
  const lastVersion = map.columns[map.columns.length - 1]?.version;
  const rows = map.rows
    .map((row, index) => {
      const y = HEADER + index * CELL;
      const version =
        [...map.columns].reverse().find((_, back) => {
          const cell = row.cells[map.columns.length - 1 - back];
          return cell && cell.state !== "removed";
        })?.version ?? lastVersion;
      const href = links.clause(map.planId, row.label, version);
      // A clause renumbered in the window reads "6 → 5": where it was, where it is.
      const first = row.paths[0] ?? row.label;
      const shown = first === row.label ? row.label : `${first} → ${row.label}`;
      const title = `${row.paths.join(" → ")}${row.context ? " (page text)" : ""}`;
      return `${index % 2 ? `<rect class="stripe" x="0" y="${y}" width="${LABEL_WIDTH}" height="${CELL}"/>` : ""}<a href="${h(href)}"><title>${h(title)}</title><text class="lbl${row.context ? " context" : ""}" x="${LABEL_WIDTH - 6}" y="${y + CELL - 4}" text-anchor="end">${h(cut(shown, 16))}</text></a>`;
    })
    .join("");
  return `<svg class="labels" width="${LABEL_WIDTH}" height="${height}" role="group" aria-label="Clauses"><text class="axis" x="6" y="${HEADER - 8}">clause</text>${rows}</svg>`;
}

function cellLink(
  map: ClauseMap,
  column: number,
  cell: MapCell,
  links: PageLinks,
  y: number,
  x: number,
): string {
  const against = map.columns[column]?.against;
  const version = map.columns[column]?.version ?? "";
  const glyph = GLYPH[cell.state];
  const shape = `<rect class="s-${cell.state}" x="${x + 1}" y="${y + 1}" width="${BOX}" height="${BOX}" rx="2"/>${
    glyph ? `<text class="glyph light" x="${x + 1 + BOX / 2}" y="${y + BOX - 2}">${h(glyph)}</text>` : ""
  }`;
  const title = `${version} · ${cell.key}: ${cell.headline || CELL_LABEL[cell.state]}`;
  if (!against || !cell.anchor) return `<g><title>${h(title)}</title>${shape}</g>`;
  const href = `${links.compare(map.planId, against, version)}${fragment(cell.anchor)}`;
  return `<a href="${h(href)}"><title>${h(title)}</title>${shape}</a>`;
}

/** The cells: unchanged stretches as one bar, each change a linked square. */
function cellsSvg(map: ClauseMap, links: PageLinks): string {
  const width = map.columns.length * CELL + 8;
  const height = HEADER + map.rows.length * CELL;
  const header = map.columns
    .map((column, index) => {
      const x = index * CELL + CELL / 2 + 8;
      return `<a href="${h(links.version(map.planId, column.version))}"><title>${h(
        `${column.version}, first seen ${column.firstSeen.slice(0, 10)}${column.against ? `, compared with ${column.against}` : ""}`,
      )}</title><text class="axis" transform="translate(${x} ${HEADER - 6}) rotate(-90)">${h(column.version)}</text></a>`;
    })
    .join("");
  const body = map.rows
    .map((row, index) => {
      const y = HEADER + index * CELL;
      const parts: string[] =
        index % 2 ? [`<rect class="stripe" x="0" y="${y}" width="${width}" height="${CELL}"/>`] : [];
      for (let column = 0; column < row.cells.length; column++) {
        const cell = row.cells[column];
        if (!cell) continue;
        if (cell.state === "unchanged" || cell.state === "base") {
          let end = column;
          while (row.cells[end + 1]?.state === cell.state) end += 1;
          parts.push(
            `<rect class="s-${cell.state}" x="${column * CELL + 5}" y="${y + 1}" width="${(end - column + 1) * CELL - 2}" height="${BOX}" rx="2"><title>${h(
              `${row.label}: ${CELL_LABEL[cell.state]} ${map.columns[column]?.version ?? ""}${end > column ? `–${map.columns[end]?.version ?? ""}` : ""}`,
            )}</title></rect>`,
          );
          column = end;
          continue;
        }
        parts.push(cellLink(map, column, cell, links, y, column * CELL + 4));
      }
      return parts.join("");
    })
    .join("");
  return `<svg class="cells" width="${width}" height="${height}" role="group" aria-label="Versions ${h(
    map.columns[0]?.version ?? "",
  )} to ${h(map.columns[map.columns.length - 1]?.version ?? "")}">${header}${body}</svg>`;
}

/** The map: labels on the left, the cells in a box that scrolls sideways on narrow screens. */
export function clauseMapHtml(map: ClauseMap, links: PageLinks): string {
  if (map.rows.length === 0) return "<p>No clauses to show in this window.</p>";
  return `<div class="map">${labelsSvg(map, links)}<div class="scroll" role="region" aria-label="Clause × version map, scrolls sideways" tabindex="0">${cellsSvg(
    map,
    links,
  )}</div></div>`;
}

const UNIT: Record<TimelineChart["unit"], string> = { day: "Day", week: "Week of", month: "Month of" };

/** Bars per period: versions first seen (linked to the first of them) and coverage mentions. */
export function timelineChartHtml(chart: TimelineChart, planId: string, links: PageLinks): string {
  if (chart.buckets.length === 0) return "";
  // Wide bars for a few periods, narrow ones for many; never narrower than two 6 px bars.
  const pitch = Math.max(14, Math.min(48, Math.floor(560 / chart.buckets.length)));
  const bar = Math.floor((pitch - 2) / 2);
  const left = 30;
  const top = 10;
  const plot = 96;
  const width = left + chart.buckets.length * pitch + 44;
  const height = top + plot + 34;
  const peak = Math.max(
    1,
    ...chart.buckets.map((bucket) => Math.max(bucket.versions.length, bucket.mentions)),
  );
  const scale = (value: number) => Math.round((value / peak) * plot);
  const every = Math.max(1, Math.ceil(44 / pitch));
  const bars = chart.buckets
    .map((bucket, index) => {
      const x = left + index * pitch;
      const title = `${UNIT[chart.unit]} ${bucket.start}: ${bucket.versions.length} version${bucket.versions.length === 1 ? "" : "s"}${
        bucket.versions.length ? ` (${cut(bucket.versions.join(", "), 80)})` : ""
      }, ${bucket.mentions} coverage mention${bucket.mentions === 1 ? "" : "s"}`;
      const versionHeight = scale(bucket.versions.length);
      const mentionHeight = scale(bucket.mentions);
      const versionBar = `<rect class="bar-v" x="${x + 1}" y="${top + plot - versionHeight}" width="${bar}" height="${versionHeight}"/>`;
      const first = bucket.versions[0];
      const linked =
        first && versionHeight > 0
          ? `<a href="${h(links.version(planId, first))}"><title>${h(title)}</title>${versionBar}</a>`
          : "";
      const label =
        index % every === 0
          ? `<text class="axis" x="${x}" y="${top + plot + 14}">${h(bucket.start.slice(5))}</text>`
          : "";
      return `<g><title>${h(title)}</title>${linked}${
        mentionHeight > 0
          ? `<rect class="bar-m" x="${x + 1 + bar}" y="${top + plot - mentionHeight}" width="${bar}" height="${mentionHeight}"/>`
          : ""
      }</g>${label}`;
    })
    .join("");
  const first = chart.buckets[0]?.start ?? "";
  const last = chart.buckets[chart.buckets.length - 1]?.start ?? "";
  return `<figure class="chart"><div class="scroll" role="region" aria-label="Versions and coverage over time" tabindex="0"><svg width="${width}" height="${height}" role="img" aria-label="${h(
    `Versions and coverage mentions per ${chart.unit}, ${first} to ${last}`,
  )}"><line x1="${left}" y1="${top + plot}" x2="${width - 4}" y2="${top + plot}" stroke="#999"/><text class="axis" x="${left - 4}" y="${top + 8}" text-anchor="end">${peak}</text><text class="axis" x="${left - 4}" y="${top + plot}" text-anchor="end">0</text>${bars}<text class="axis" x="${left}" y="${height - 4}">${h(
    first.slice(0, 4),
  )} · per ${chart.unit}</text></svg></div><figcaption class="small"><svg width="10" height="10" aria-hidden="true"><rect class="bar-v" width="10" height="10"/></svg> versions first seen · <svg width="10" height="10" aria-hidden="true"><rect class="bar-m" width="10" height="10"/></svg> coverage mentions, per ${chart.unit}</figcaption></figure>`;
}
