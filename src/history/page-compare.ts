/**
 * Two versions compared: each change once, under its own anchor (from its paths), as one inline
 * redline or old and new side by side; filters by severity, flag and kind as plain links and a
 * GET form; provenance and the citation of both texts (repeated on every printed page).
 */
import type { DiffEntry, RedlineOp } from "../diff/index.js";
import { entryHeadline, summaryLine } from "../report/headline.js";
import type { Clause, ClauseSet } from "../types.js";
import { changeAnchor, fragment } from "./anchors.js";
import { citationLine } from "./cite.js";
import { ENTRY_KINDS, entryMatches, FLAG_TYPES, isFiltered } from "./filter.js";
import {
  badge,
  type CompareParams,
  clauseText,
  entryBadges,
  h,
  layout,
  link,
  nounPlural,
  type PageLinks,
  pickerForm,
  provenanceList,
  redlineHtml,
  serverLinks,
  sideHtml,
} from "./layout.js";
import type { CompareSide, Comparison } from "./types.js";
import { sideName } from "./version.js";

const SEVERITY_ORDER = ["substantive", "minor", "cosmetic", "none"] as const;

/** " · page 4" for a clause of a paged document (PDF). */
function pageLabel(clauses: Map<string, Clause>, keys: string[]): string {
  const page = keys[0] === undefined ? undefined : clauses.get(keys[0])?.page;
  return page === undefined ? "" : ` · page ${page}`;
}

function lines(clauses: Map<string, Clause>, keys: string[]): string {
  return keys
    .map((key) => clauses.get(key))
    .filter((clause): clause is Clause => clause !== undefined)
    .map((clause) => `${clause.printed} ${clauseText(clause)}`)
    .join("\n");
}

function byKey(set: ClauseSet): Map<string, Clause> {
  return new Map(set.clauses.map((clause) => [clause.key, clause]));
}

/** The citation line of one side of a comparison. */
function sideCitation(side: CompareSide, planTitle: string): string {
  return citationLine({
    planTitle,
    label: sideName(side),
    url: side.provenance.url,
    firstSeen: side.firstSeen ?? side.provenance.fetchedAt,
    snapshotId: side.snapshotId,
    bodyHash: side.provenance.bodyHash,
  });
}

interface Sides {
  old: Map<string, Clause>;
  now: Map<string, Clause>;
}

function entryBlock(
  comparison: Comparison,
  entry: DiffEntry,
  links: PageLinks,
  sides: Sides,
  view: string,
): string {
  const { from, to, noun, planId } = comparison;
  const heading = entryHeadline(entry, noun);
  const anchor = changeAnchor(entry);
  const clauseHref =
    entry.new[0] !== undefined && to.version
      ? links.clause(planId, entry.new[0], to.version)
      : entry.old[0] !== undefined && from.version
        ? links.clause(planId, entry.old[0], from.version)
        : undefined;
  const ops: RedlineOp[] = entry.redline ?? [
    { op: "equal", text: lines(sides.now, entry.new) || lines(sides.old, entry.old) },
  ];
  const oldLabel = entry.old.length
    ? `${sideName(from)} · ${entry.old.join(", ")}${pageLabel(sides.old, entry.old)}`
    : `not in ${sideName(from)}`;
  const newLabel = entry.new.length
    ? `${sideName(to)} · ${entry.new.join(", ")}${pageLabel(sides.now, entry.new)}`
    : `not in ${sideName(to)}`;
  const text =
    view === "sides"
      ? `<div class="sides"><div><h4>${h(oldLabel)}</h4>${
          entry.old.length ? `<p class="text redline">${sideHtml(ops, "old")}</p>` : ""
        }</div><div><h4>${h(newLabel)}</h4>${
          entry.new.length ? `<p class="text redline">${sideHtml(ops, "new")}</p>` : ""
        }</div></div>`
      : `<div class="where"><h4>${h(oldLabel)}</h4><span aria-hidden="true">→</span><h4>${h(newLabel)}</h4></div>
<p class="text redline">${redlineHtml(ops)}</p>`;
  return `<article class="card entry" id="${h(anchor)}" aria-label="${h(heading)}">
<h3>${clauseHref ? link(clauseHref, heading) : h(heading)}<a class="anchor" href="${h(fragment(anchor))}" aria-label="Link to this change">#</a></h3>
<p>${entryBadges(entry)}</p>
${text}
</article>`;
}

function filterForm(comparison: Comparison, links: PageLinks, params: CompareParams): string {
  const { compareWith } = links;
  if (!compareWith) return "";
  const { planId, from, to, diff } = comparison;
  const counts = (values: readonly string[], of: (entry: DiffEntry) => string[]) =>
    values
      .map((value) => [value, diff.entries.filter((entry) => of(entry).includes(value)).length] as const)
      .filter(([, n]) => n > 0);
  const facet = (
    name: "severity" | "flag" | "kind",
    legend: string,
    options: ReadonlyArray<readonly [string, number]>,
  ) =>
    options.length === 0
      ? ""
      : `<fieldset><legend>${h(legend)}</legend>${options
          .map(
            ([value, n]) =>
              `<label><input type="checkbox" name="${name}" value="${h(value)}"${
                params[name]?.includes(value) ? " checked" : ""
              }> ${h(value)} <span class="muted small">(${h(n)})</span></label>`,
          )
          .join("")}</fieldset>`;
  const here = (extra: CompareParams) =>
    compareWith(planId, from.ref, to.ref, { view: params.view, ...extra });
  const quick = [
    link(`${here({ severity: ["substantive"] })}#changes`, "substantive only"),
    link(`${here({ flag: ["number"] })}#changes`, "figures changed"),
    link(`${here({ kind: ["added", "removed"] })}#changes`, "added or removed"),
    ...(isFiltered(params) ? [link(`${here({})}#changes`, "show everything")] : []),
  ];
  return `<ul class="quick" aria-label="Quick filters">${quick.map((item) => `<li>${item}</li>`).join("")}</ul>
<details class="filters"${isFiltered(params) ? " open" : ""}><summary>Filter by severity, flag and kind</summary>
<form class="filter" method="get" action="${h(compareWith(planId, from.ref, to.ref, {}))}">
${facet(
  "severity",
  "Severity",
  counts(SEVERITY_ORDER, (entry) => [entry.severity]),
)}
${facet(
  "flag",
  "Flag",
  counts(FLAG_TYPES, (entry) => (entry.flags ?? []).map((flag) => flag.type)),
)}
${facet(
  "kind",
  "Kind",
  counts(ENTRY_KINDS, (entry) => [entry.kind]),
)}
${params.view === "sides" ? '<input type="hidden" name="view" value="sides">' : ""}
<button type="submit">Filter</button></form></details>`;
}

function viewSwitch(comparison: Comparison, links: PageLinks, params: CompareParams): string {
  const { compareWith } = links;
  if (!compareWith) return "";
  const { planId, from, to } = comparison;
  const inline = compareWith(planId, from.ref, to.ref, { ...params, view: "inline" });
  const sides = compareWith(planId, from.ref, to.ref, { ...params, view: "sides" });
  return `<p class="small no-print">View: ${
    params.view === "sides" ? link(inline, "inline redline") : "<strong>inline redline</strong>"
  } · ${params.view === "sides" ? "<strong>side by side</strong>" : link(sides, "side by side")}</p>`;
}

export function renderComparePage(
  comparison: Comparison,
  links: PageLinks = serverLinks,
  options: { title?: string; versions?: string[]; params?: CompareParams } = {},
): string {
  const { from, to, diff, planId, noun } = comparison;
  const params = options.params ?? {};
  const filtered = isFiltered(params);
  const sides: Sides = { old: byKey(from.clauseSet), now: byKey(to.clauseSet) };
  const quiet = (entry: DiffEntry) =>
    (entry.kind === "unchanged" || entry.kind === "renumbered") &&
    (entry.severity === "none" || entry.severity === "cosmetic");
  const changed = filtered
    ? diff.entries.filter((entry) => entryMatches(entry, params))
    : diff.entries.filter((entry) => !quiet(entry));
  const unchanged = filtered
    ? []
    : diff.entries.filter((entry) => entry.kind === "unchanged" && quiet(entry));
  const renumbered = filtered
    ? []
    : diff.entries.filter((entry) => entry.kind === "renumbered" && quiet(entry));
  const plural = nounPlural(noun);
  const planTitle = options.title ?? planId;
  const permalink = links.compare(planId, from.snapshotId, to.snapshotId);
  const title = `${planTitle}: ${sideName(from)} → ${sideName(to)}`;
  const citations = [sideCitation(from, planTitle), sideCitation(to, planTitle)];
  const quietList = (entries: DiffEntry[], label: (entry: DiffEntry) => string) =>
    `<ol class="clauses">${entries
      .map((entry) => {
        const key = entry.new[0] ?? "";
        const clause = sides.now.get(key);
        const href = to.version ? links.clause(planId, key, to.version) : undefined;
        return `<li id="${h(changeAnchor(entry))}">${href ? link(href, label(entry)) : h(label(entry))}${
          entry.severity === "cosmetic" ? ` ${badge("typography only")}` : ""
        } <span class="text">${h(clause ? clauseText(clause) : "")}</span></li>`;
      })
      .join("")}</ol>`;
  const facets = [
    ...(params.severity?.length ? [`severity ${params.severity.join(" or ")}`] : []),
    ...(params.flag?.length ? [`flag ${params.flag.join(" or ")}`] : []),
    ...(params.kind?.length ? [`kind ${params.kind.join(" or ")}`] : []),
  ];
  const heading = filtered
    ? `Changes matching ${facets.join(", ")} (${changed.length} of ${diff.entries.filter((entry) => !quiet(entry)).length})`
    : `Changes (${changed.length})`;
  const versionLink = (side: CompareSide) =>
    side.version ? ` · ${link(links.version(planId, side.version), `read ${side.version}`)}` : "";
  const view = params.view ?? "inline";
  const body = `<h1>${h(title)}</h1>
<p>${h(summaryLine(diff))}</p>
<p class="small">Permalink: ${link(permalink, permalink, ' class="permalink"')}</p>
${pickerForm(planId, options.versions ?? [], links, from.version, to.version)}
${viewSwitch(comparison, links, params)}
${filterForm(comparison, links, params)}
<h2 id="changes">${h(heading)}</h2>
${
  changed.length
    ? changed.map((entry) => entryBlock(comparison, entry, links, sides, view)).join("\n")
    : filtered
      ? "<p>No change matches these filters.</p>"
      : "<p>No change in wording.</p>"
}
${
  renumbered.length
    ? `<details><summary>${h(renumbered.length)} ${h(plural)} renumbered, wording unchanged</summary>${quietList(
        renumbered,
        (entry) => `${entry.old[0] ?? ""} → ${entry.new[0] ?? ""}`,
      )}</details>`
    : ""
}
${
  unchanged.length
    ? `<details><summary>${h(unchanged.length)} unchanged ${h(plural)}</summary>${quietList(
        unchanged,
        (entry) => entry.new[0] ?? "",
      )}</details>`
    : ""
}
<h2 id="provenance">Where these texts come from</h2>
<div class="sides provenance">
<section aria-labelledby="from-h"><h3 id="from-h">From ${h(sideName(from))}${versionLink(from)}</h3>${provenanceList(from.provenance, links)}</section>
<section aria-labelledby="to-h"><h3 id="to-h">To ${h(sideName(to))}${versionLink(to)}</h3>${provenanceList(to.provenance, links)}</section>
</div>
<h2 id="cite">Cite</h2>
${citations.map((line) => `<p class="cite">${h(line)}</p>`).join("\n")}`;
  return layout({
    title,
    crumbs: [{ href: links.plan(planId), text: planTitle }, { text: `${sideName(from)} → ${sideName(to)}` }],
    body,
    links,
    path: links.compareWith
      ? links.compareWith(planId, from.ref, to.ref, params)
      : links.compare(planId, from.ref, to.ref),
    citations,
  });
}
