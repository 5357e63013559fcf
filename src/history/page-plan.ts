/** A plan's timeline: versions with what changed, the chart over time, coverage, changes, sources. */
import { discoveredSection } from "./discovered.js";
import {
  badge,
  count,
  h,
  layout,
  link,
  type PageLinks,
  pickerForm,
  searchForm,
  serverLinks,
  short,
  sightingLine,
  time,
} from "./layout.js";
import { timelineChartHtml } from "./svg.js";
import type { PlanTimeline, VersionSummary } from "./types.js";

/** Version cards per page of the timeline. */
export const VERSIONS_PER_PAGE = 50;
const CHANGES_SHOWN = 100;

function versionCard(planId: string, version: VersionSummary, links: PageLinks): string {
  const size = version.size ?? count(version.clauses, "clause");
  const compare = version.parent
    ? `<p>${h(count(version.changes, "clause"))} changed from ${h(version.parent)} · ${link(
        links.compare(planId, version.parent, version.id),
        `compare ${version.parent} → ${version.id}`,
      )}</p>`
    : `<p>First version seen (${h(size)}).</p>`;
  const witnesses = version.witnesses.length
    ? `<p class="small">Carried by: ${version.witnesses.map((witness) => sightingLine(witness, links)).join("; ")}</p>`
    : "";
  const divergent = version.divergent.length
    ? `<p class="small">Divergent copies: ${version.divergent.map((witness) => sightingLine(witness, links)).join("; ")}</p>`
    : "";
  const what = version.whatChanged ?? version.headline;
  return `<li id="${h(version.id)}"><h3>${link(links.version(planId, version.id), version.id)} <span class="muted small">first seen ${time(
    version.firstSeen,
  )} at ${link(links.source(version.sourceId), version.sourceId)}</span></h3>
${what ? `<p class="what"><strong>${h(what)}</strong></p>` : ""}
${compare}
${witnesses}
${divergent}
<p class="small">${link(links.version(planId, version.id), `Read ${version.id}`)} (${h(size)}) · snapshot ${short(version.snapshotId, 16)}${
    version.provenance ? ` · body ${short(version.provenance.bodyHash)}` : ""
  }</p></li>`;
}

export function renderPlanPage(
  timeline: PlanTimeline,
  links: PageLinks = serverLinks,
  options: { page?: number; perPage?: number } = {},
): string {
  const { plan } = timeline;
  const perPage = options.perPage ?? VERSIONS_PER_PAGE;
  const newestFirst = [...timeline.versions].reverse();
  const pages = Math.max(1, Math.ceil(newestFirst.length / perPage));
  const page = Math.min(Math.max(1, options.page ?? 1), pages);
  const shown = newestFirst.slice((page - 1) * perPage, page * perPage);
  const pager =
    pages > 1
      ? `<nav class="pager" aria-label="Pages of versions"><span>Versions ${h(
          (page - 1) * perPage + 1,
        )}–${h((page - 1) * perPage + shown.length)} of ${h(newestFirst.length)}, newest first</span>${
          page > 1 ? link(`${links.plan(plan.id, page - 1)}#versions`, "← newer") : ""
        }${page < pages ? link(`${links.plan(plan.id, page + 1)}#versions`, "older →") : ""}</nav>`
      : "";
  const versions = timeline.versions.length
    ? `${pager}<ol class="timeline">${shown.map((version) => versionCard(plan.id, version, links)).join("\n")}</ol>${pager}`
    : "<p>No versions yet: run a check first.</p>";
  const reported = timeline.reported.length
    ? timeline.reported
        .map(
          (variant) => `<li class="card">${badge("reported", "reported")} ${link(
            links.clause(plan.id, variant.clauseKey, variant.version),
            `Point ${variant.clauseKey} (${variant.version})`,
          )} — coverage says “${h(variant.cue)}”
${variant.earlier ? `<p>Earlier wording, as reported: <q>${h(variant.earlier)}</q></p>` : ""}
${variant.later ? `<p>Later wording, as reported: <q>${h(variant.later)}</q></p>` : ""}
<blockquote>${h(variant.passage)}</blockquote>
<p class="small muted">${h(variant.sourceId)} · ${time(variant.at)} · not a fetched text</p></li>`,
        )
        .join("\n")
    : "";
  const mismatches = timeline.mismatches.length
    ? `<h2 id="mismatches">Figures reported differently</h2><ul>${timeline.mismatches
        .map(
          (mismatch) =>
            `<li>${link(links.clause(plan.id, mismatch.clauseKey, mismatch.version), `Point ${mismatch.clauseKey}`)}: coverage says ${h(
              mismatch.reported,
            )}, ${h(mismatch.version)} says ${h(mismatch.tracked)} <span class="small muted">(${h(mismatch.sourceId)}, ${time(mismatch.at)})</span></li>`,
        )
        .join("")}</ul>`
    : "";
  const recent = [...timeline.changes].reverse().slice(0, CHANGES_SHOWN);
  const changes = timeline.changes.length
    ? `${
        timeline.changes.length > recent.length
          ? `<p class="small muted">The newest ${h(recent.length)} of ${h(timeline.changes.length)}; every one is in this page's JSON.</p>`
          : ""
      }<ol class="clauses">${recent
        .map(
          (change) =>
            `<li><span class="small">${time(change.at)} · ${link(links.source(change.sourceId), change.sourceId)}</span><br>${badge(
              change.kind,
            )}${badge(change.severity, `sev-${change.severity}`)} ${h(change.headline)}${
              change.fromSnapshot && change.toSnapshot
                ? ` · ${link(links.compare(plan.id, change.fromSnapshot, change.toSnapshot), "compare")}`
                : ""
            }</li>`,
        )
        .join("")}</ol>`
    : "<p>No changes recorded yet.</p>";
  const ids = timeline.versions.map((version) => version.id);
  const latest = timeline.versions[timeline.versions.length - 1];
  const body = `<h1>${h(plan.title)}</h1>
${plan.description ? `<p>${h(plan.description)}</p>` : ""}
<p class="muted">${h(timeline.versions.length)} version${timeline.versions.length === 1 ? "" : "s"} · ${h(
    timeline.sources.length,
  )} source${timeline.sources.length === 1 ? "" : "s"} · ${h(timeline.mentions)} coverage mention${timeline.mentions === 1 ? "" : "s"}</p>
${pickerForm(plan.id, ids, links)}
${searchForm(plan.id, links)}
${
  timeline.versions.length
    ? `<p>${link(links.map(plan.id), "Clause × version map")} · ${
        latest ? link(links.version(plan.id, latest.id), `read ${latest.id}, the newest version`) : ""
      }</p>`
    : ""
}
${timeline.chart?.buckets.length ? `<h2 id="over-time">Versions and coverage over time</h2>${timelineChartHtml(timeline.chart, plan.id, links)}` : ""}
<h2 id="versions">Versions, newest first</h2>
${versions}
${reported ? `<h2 id="reported">Reported variants (from coverage)</h2><p class="small muted">Wording that news coverage says a point had or will have. These are reports, not copies the monitor fetched.</p><ul class="timeline">${reported}</ul>` : ""}
${mismatches}
${discoveredSection(timeline.discovered ?? [], links)}
<h2 id="changes">Recorded changes</h2>
${changes}
<h2 id="plan-sources">Sources</h2>
<ul>${timeline.sources
    .map(
      (source) =>
        `<li>${link(links.source(source.id), source.id)} ${source.title ? `— ${h(source.title)}` : ""} ${badge(source.role)}</li>`,
    )
    .join("")}</ul>`;
  return layout({
    title: plan.title,
    crumbs: [{ text: plan.title }],
    body,
    links,
    path: links.plan(plan.id, page),
  });
}
