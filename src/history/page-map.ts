/** The shape of a plan's history: the clause × version map and the chart of versions over time. */
import { count, h, layout, link, nounPlural, type PageLinks, serverLinks } from "./layout.js";
import { CELL_LABEL, clauseMapHtml, swatch, timelineChartHtml } from "./svg.js";
import type { CellState, ClauseMap } from "./types.js";

const LEGEND: CellState[] = ["unchanged", "reworded", "substantive", "added", "removed", "moved", "base"];

export function renderMapPage(map: ClauseMap, links: PageLinks = serverLinks): string {
  const { planId, window } = map;
  const first = map.columns[0]?.version ?? "";
  const last = map.columns[map.columns.length - 1]?.version ?? "";
  const total = map.versions.length;
  const at = (options: { from?: string; rows?: "all" | "changed"; page?: number }) =>
    links.map(planId, {
      from: first,
      ...(map.rowFilter === "changed" ? { rows: "changed" as const } : {}),
      ...options,
    });
  const earliest = map.versions[0];
  const latestStart = map.versions[Math.max(0, total - window.columns)];
  const windows =
    total > window.columns
      ? `<nav class="pager" aria-label="Windows of versions"><span>Versions ${h(window.start)}–${h(window.end)} of ${h(
          total.toLocaleString("en-US"),
        )}, ${h(window.columns)} at a time</span>${
          window.previous && earliest
            ? `${link(at({ from: earliest, page: 1 }), "⇤ first")}${link(at({ from: window.previous, page: 1 }), "← earlier")}`
            : ""
        }${
          window.next && latestStart
            ? `${link(at({ from: window.next, page: 1 }), "later →")}${link(at({ from: latestStart, page: 1 }), "newest ⇥")}`
            : ""
        }</nav>`
      : "";
  const rowsPager =
    map.rowPage.pages > 1
      ? `<nav class="pager" aria-label="Pages of clauses"><span>Clauses ${h(
          (map.rowPage.page - 1) * map.rowPage.perPage + 1,
        )}–${h((map.rowPage.page - 1) * map.rowPage.perPage + map.rows.length)} of ${h(
          map.rowPage.total.toLocaleString("en-US"),
        )}</span>${map.rowPage.page > 1 ? link(at({ page: map.rowPage.page - 1 }), "← previous clauses") : ""}${
          map.rowPage.page < map.rowPage.pages
            ? link(at({ page: map.rowPage.page + 1 }), "next clauses →")
            : ""
        }</nav>`
      : "";
  const rowsFilter = `<p class="small">Rows: ${
    map.rowFilter === "changed"
      ? `${link(at({ rows: "all", page: 1 }), "every clause")} · <strong>only clauses that changed here</strong>`
      : `<strong>every clause</strong> · ${link(at({ rows: "changed", page: 1 }), "only clauses that changed here")}`
  }</p>`;
  const legend = `<ul class="legend" aria-label="Legend">${LEGEND.map(
    (state) => `<li>${swatch(state)} ${h(CELL_LABEL[state])}</li>`,
  ).join("")}</ul>`;
  const title = `${map.planTitle}: ${nounPlural(map.noun)} × versions`;
  const body = `<h1>${h(title)}</h1>
<p>Each column is a version, in order of first sight, compared with the column before it; each row is a ${h(
    map.noun.toLowerCase(),
  )} followed through renumbering, labelled with its path in the last version shown. A changed cell links to that change in the comparison's redline; a column's label to the version.</p>
<p class="muted">${h(first)}${first !== last ? `–${h(last)}` : ""} · ${h(count(map.rowPage.total, "row"))}${
    map.rowFilter === "changed" ? " that changed" : ""
  }</p>
${windows}
${rowsFilter}
${legend}
${rowsPager}
${clauseMapHtml(map, links)}
${rowsPager}
${map.chart.buckets.length ? `<h2 id="over-time">Versions and coverage over time</h2>${timelineChartHtml(map.chart, planId, links)}` : ""}`;
  return layout({
    title,
    crumbs: [{ href: links.plan(planId), text: map.planTitle }, { text: "Map" }],
    body,
    links,
    path: links.map(planId, {
      from: first,
      ...(map.rowFilter === "changed" ? { rows: "changed" } : {}),
      ...(map.rowPage.page > 1 ? { page: map.rowPage.page } : {}),
    }),
  });
}
