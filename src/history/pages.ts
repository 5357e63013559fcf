/**
 * HTML for the history view. Pure functions from read-model values to complete documents: no
 * scripts, no external assets, every scraped string escaped. Links come from a `PageLinks` so
 * the same pages can be served live or written out as a static site.
 */

import type { DiffEntry, Flag, RedlineOp } from "../diff/index.js";
import { escapeHtml } from "../html.js";
import { entryHeadline, summaryLine } from "../report/headline.js";
import type { SourceEvent } from "../store/index.js";
import type { Clause, ClauseSet } from "../types.js";
import { discoveredSection } from "./discovered.js";
import type {
  ClauseTimeline,
  Comparison,
  PlanSummary,
  PlanTimeline,
  Provenance,
  SourceHistory,
  SourceSummary,
  VersionSummary,
  WitnessSighting,
} from "./read.js";

/** Where each page lives; the web server's routes by default. */
export interface PageLinks {
  home: string;
  plan(planId: string): string;
  compare(planId: string, from: string, to: string): string;
  /** `version`: the version `key` is read in. */
  clause(planId: string, key: string, version?: string): string;
  source(sourceId: string): string;
  body(sourceId: string, snapshotId: string): string;
  /** Where the version picker submits (`from` and `to` query parameters); none in a static site. */
  comparePicker?(planId: string): string;
  /** The JSON behind a page, when there is an API. */
  api?(pagePath: string): string;
}

const seg = encodeURIComponent;

export const serverLinks: PageLinks = {
  home: "/",
  plan: (planId) => `/plans/${seg(planId)}`,
  compare: (planId, from, to) => `/plans/${seg(planId)}/compare/${seg(from)}..${seg(to)}`,
  clause: (planId, key, version) =>
    `/plans/${seg(planId)}/clauses/${seg(key)}${version ? `?in=${seg(version)}` : ""}`,
  source: (sourceId) => `/sources/${seg(sourceId)}`,
  body: (sourceId, snapshotId) => `/sources/${seg(sourceId)}/snapshots/${seg(snapshotId)}/body`,
  comparePicker: (planId) => `/plans/${seg(planId)}/compare`,
  api: (pagePath) => `/api${pagePath === "/" ? "/plans" : pagePath}`,
};

const h = escapeHtml;

function link(href: string, text: string, attributes = ""): string {
  return `<a href="${h(href)}"${attributes}>${h(text)}</a>`;
}

function time(iso: string | undefined): string {
  if (!iso) return "—";
  const shown = iso.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC");
  return `<time datetime="${h(iso)}">${h(shown)}</time>`;
}

function short(hash: string, length = 12): string {
  return `<code title="${h(hash)}">${h(hash.slice(0, length))}</code>`;
}

const STYLE = `
:root{--fg:#1b1b1b;--muted:#595959;--line:#d0d0d0;--bg:#fff;--soft:#f4f4f2;--accent:#0b57a4;--del-bg:#fde4e4;--del-fg:#8b1111;--ins-bg:#dcf3df;--ins-fg:#0d5a1c;--focus:#ffbf47}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
a{color:var(--accent)}
a:focus-visible,summary:focus-visible,button:focus-visible,select:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--focus);outline-offset:2px;box-shadow:0 0 0 5px var(--fg)}
.skip{position:absolute;left:-9999px;top:0;background:var(--fg);color:#fff;padding:.5rem 1rem;z-index:1}
.skip:focus{left:0}
header.site,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header.site{border-bottom:1px solid var(--line);padding-top:.5rem;padding-bottom:.5rem}
header.site ol{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .5rem}
header.site li+li::before{content:"›";margin-right:.5rem;color:var(--muted)}
footer{border-top:1px solid var(--line);margin-top:2rem;padding-top:.75rem;padding-bottom:1.5rem;color:var(--muted);font-size:.875rem}
h1{font-size:1.6rem;line-height:1.25;margin:1rem 0 .5rem}
h2{font-size:1.25rem;margin:1.75rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{font-size:1.05rem;margin:0 0 .35rem}
.muted{color:var(--muted)}
.small{font-size:.875rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875em;overflow-wrap:anywhere}
.badge{display:inline-block;border:1px solid var(--line);border-radius:.75rem;padding:.05rem .55rem;font-size:.8rem;line-height:1.35rem;background:var(--soft);margin:0 .25rem .25rem 0;max-width:100%;vertical-align:middle;overflow-wrap:break-word}
.sev-substantive{background:#fff0d6;border-color:#c77c00}
.sev-minor{background:#eef4ff;border-color:#7a9bd1}
.reported{background:#f3e8ff;border-color:#8a5cc2}
.broken,.failed{background:#fde4e4;border-color:#b33}
.ok{background:#e4f5e7;border-color:#3a8a4a}
del{background:var(--del-bg);color:var(--del-fg);text-decoration:line-through}
ins{background:var(--ins-bg);color:var(--ins-fg);text-decoration:underline}
.card{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0;background:var(--bg)}
.timeline{list-style:none;padding:0;margin:0}
.timeline>li{border-left:3px solid var(--accent);padding:.25rem 0 .25rem 1rem;margin:0 0 1rem .25rem}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:.75rem;margin:.5rem 0}
.sides>div{background:var(--soft);border-radius:.35rem;padding:.5rem .75rem;min-width:0}
.sides>section{min-width:0}
.sides h4,.inline h4{margin:0 0 .25rem;font-size:.85rem;color:var(--muted)}
.text{white-space:pre-wrap;margin:0}
.inline{margin:.5rem 0}
details{margin:.75rem 0;border:1px solid var(--line);border-radius:.5rem;padding:.5rem .75rem}
summary{cursor:pointer;font-weight:600}
ol.clauses{list-style:none;padding:0;margin:.5rem 0}
ol.clauses li{padding:.25rem 0;border-top:1px solid var(--soft)}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .75rem;margin:.5rem 0}
dl.meta dt{color:var(--muted)}
dl.meta dd{margin:0;min-width:0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;min-width:34rem;font-size:.9rem}
th,td{text-align:left;border-bottom:1px solid var(--line);padding:.35rem .5rem;vertical-align:top}
th{background:var(--soft)}
blockquote{margin:.5rem 0;padding:.25rem .75rem;border-left:3px solid #8a5cc2;background:#faf6ff}
form.pick{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0}
form.pick label{display:flex;flex-direction:column;font-size:.875rem}
select,button{font:inherit;padding:.3rem .5rem;min-height:2.5rem}
.permalink{word-break:break-all}
@media (max-width:40rem){
 .sides{grid-template-columns:1fr}
 dl.meta{grid-template-columns:1fr}
 dl.meta dt{margin-top:.35rem}
 h1{font-size:1.35rem}
}
@media print{.skip,form.pick{display:none}details{border:0}}
`;

interface Crumb {
  href?: string;
  text: string;
}

interface LayoutInput {
  title: string;
  crumbs: Crumb[];
  body: string;
  links: PageLinks;
  /** The page's own path, for its JSON link. */
  path?: string;
}

function layout({ title, crumbs, body, links, path }: LayoutInput): string {
  const trail = [{ href: links.home, text: "Plans" }, ...crumbs]
    .map((crumb, index, all) =>
      crumb.href && index < all.length - 1
        ? `<li>${link(crumb.href, crumb.text)}</li>`
        : `<li aria-current="page">${h(crumb.text)}</li>`,
    )
    .join("");
  const api = path && links.api ? ` · ${link(links.api(path), "this page as JSON")}` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${h(title)} · clausewatch</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><nav aria-label="Breadcrumb"><ol>${trail}</ol></nav></header>
<main id="main" tabindex="-1">
${body}
</main>
<footer><p>clausewatch history · read-only${api}</p></footer>
</body>
</html>
`;
}

function badge(text: string, kind = ""): string {
  return `<span class="badge${kind ? ` ${kind}` : ""}">${h(text)}</span>`;
}

function flagText(flag: Flag): string {
  switch (flag.type) {
    case "number": {
      const context = flag.context ? ` ${flag.context}` : "";
      return `number: ${flag.old ?? "—"} → ${flag.new ?? "—"}${context}`;
    }
    case "modality":
      return `modality: ${flag.old.join(", ") || "—"} → ${flag.new.join(", ") || "—"}`;
    case "rewrite":
      return "rewritten";
    default: {
      const parts = [...flag.removed.map((word) => `−${word}`), ...flag.added.map((word) => `+${word}`)];
      return `${flag.type}: ${parts.join(" ")}`;
    }
  }
}

function entryBadges(entry: Pick<DiffEntry, "kind" | "severity" | "flags">): string {
  return [
    badge(entry.kind),
    badge(entry.severity, `sev-${entry.severity}`),
    ...(entry.flags ?? []).map((flag) => badge(flagText(flag))),
  ].join("");
}

/** Inline redline: deleted words in `<del>`, inserted in `<ins>`. */
export function redlineHtml(ops: RedlineOp[]): string {
  return ops
    .map((op) => {
      if (op.op === "equal") return h(op.text);
      const tag = op.op === "delete" ? "del" : "ins";
      return `<${tag}>${h(op.text)}</${tag}>`;
    })
    .join("");
}

function sideHtml(ops: RedlineOp[], side: "old" | "new"): string {
  const skip = side === "old" ? "insert" : "delete";
  return redlineHtml(ops.filter((op) => op.op !== skip));
}

function clauseText(clause: Pick<Clause, "text" | "heading">): string {
  return clause.heading && clause.text
    ? `${clause.heading}\n${clause.text}`
    : (clause.heading ?? clause.text);
}

function clauseLines(set: ClauseSet, keys: string[]): string {
  return keys
    .map((key) => set.clauses.find((clause) => clause.key === key))
    .filter((clause): clause is Clause => clause !== undefined)
    .map((clause) => `${clause.printed} ${clauseText(clause)}`)
    .join("\n");
}

function provenanceList(provenance: Provenance, links: PageLinks): string {
  const rows: Array<[string, string]> = [
    ["Source", link(links.source(provenance.sourceId), provenance.sourceId)],
    ["URL", `<code>${h(provenance.url)}</code>`],
    ...(provenance.finalUrl !== provenance.url
      ? ([["Final URL", `<code>${h(provenance.finalUrl)}</code>`]] as Array<[string, string]>)
      : []),
    ["Fetched", time(provenance.fetchedAt)],
    ["HTTP status", h(provenance.status)],
    ...(provenance.contentType
      ? ([["Content type", `<code>${h(provenance.contentType)}</code>`]] as Array<[string, string]>)
      : []),
    ["Body sha256", `<code>${h(provenance.bodyHash)}</code>`],
    ["Snapshot", `<code>${h(provenance.snapshotId)}</code>`],
    ["Raw body", link(links.body(provenance.sourceId, provenance.snapshotId), "download (text)")],
  ];
  return `<dl class="meta">${rows.map(([term, value]) => `<dt>${h(term)}</dt><dd>${value}</dd>`).join("")}</dl>`;
}

function sightingLine(witness: WitnessSighting, links: PageLinks): string {
  const why = witness.reason
    ? ` (${h(witness.reason)}${witness.departures?.length ? `; departs at ${h(witness.departures.join(", "))}` : ""})`
    : "";
  return `${link(links.source(witness.sourceId), witness.sourceId)} ${time(witness.at)}${why}`;
}

// ── pages ────────────────────────────────────────────────────────────────────────────────────

export function renderPlansPage(
  plans: PlanSummary[],
  sources: SourceSummary[],
  links: PageLinks = serverLinks,
): string {
  const planItems = plans.length
    ? plans
        .map(
          (plan) => `<li class="card"><h3>${link(links.plan(plan.id), plan.title)}</h3>
${plan.description ? `<p>${h(plan.description)}</p>` : ""}
<p class="small">${h(plan.versions)} version${plan.versions === 1 ? "" : "s"}${
            plan.latest ? ` · latest ${h(plan.latest.id)}, first seen ${time(plan.latest.firstSeen)}` : ""
          } · ${h(plan.changes)} recorded change${plan.changes === 1 ? "" : "s"} · ${h(plan.sources.length)} source${
            plan.sources.length === 1 ? "" : "s"
          }${plan.reportedVariants ? ` · ${badge(`${plan.reportedVariants} reported variant${plan.reportedVariants === 1 ? "" : "s"}`, "reported")}` : ""}</p></li>`,
        )
        .join("\n")
    : "<li>No plans configured.</li>";
  const body = `<h1>Plans</h1>
<ul class="timeline">${planItems}</ul>
<h2 id="sources">Sources</h2>
${sourceTable(sources, links)}`;
  return layout({ title: "Plans", crumbs: [], body, links, path: "/" });
}

function sourceTable(sources: SourceSummary[], links: PageLinks): string {
  if (sources.length === 0) return "<p>No sources yet.</p>";
  const rows = sources
    .map(
      (source) =>
        `<tr><td>${link(links.source(source.id), source.id)}${
          source.title ? `<br><span class="small muted">${h(source.title)}</span>` : ""
        }</td><td>${badge(source.health, source.health === "broken" ? "broken" : source.health === "ok" ? "ok" : "")}</td><td>${time(
          source.lastCheckAt,
        )}</td><td>${time(source.lastChangeAt)}</td><td>${h(source.snapshots)}</td></tr>`,
    )
    .join("");
  return `<div class="scroll" role="region" aria-label="Sources" tabindex="0"><table>
<thead><tr><th scope="col">Source</th><th scope="col">Health</th><th scope="col">Last check</th><th scope="col">Last change</th><th scope="col">Snapshots</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

function versionCard(planId: string, version: VersionSummary, links: PageLinks): string {
  const compare = version.parent
    ? `<p>${h(version.changes)} clause${version.changes === 1 ? "" : "s"} changed from ${h(version.parent)} · ${link(
        links.compare(planId, version.parent, version.id),
        `compare ${version.parent} → ${version.id}`,
      )}</p>`
    : `<p>First version seen (${h(version.clauses)} clauses).</p>`;
  const witnesses = version.witnesses.length
    ? `<p class="small">Carried by: ${version.witnesses.map((witness) => sightingLine(witness, links)).join("; ")}</p>`
    : "";
  const divergent = version.divergent.length
    ? `<p class="small">Divergent copies: ${version.divergent.map((witness) => sightingLine(witness, links)).join("; ")}</p>`
    : "";
  return `<li id="${h(version.id)}"><h3>${h(version.id)} <span class="muted small">first seen ${time(version.firstSeen)} at ${link(
    links.source(version.sourceId),
    version.sourceId,
  )}</span></h3>
${version.headline ? `<p><strong>${h(version.headline)}</strong></p>` : ""}
${compare}
${witnesses}
${divergent}
<p class="small">${h(version.clauses)} clauses · snapshot ${short(version.snapshotId, 16)}${
    version.provenance ? ` · body ${short(version.provenance.bodyHash)}` : ""
  }</p></li>`;
}

function pickerForm(
  planId: string,
  versions: string[],
  links: PageLinks,
  from?: string,
  to?: string,
): string {
  if (!links.comparePicker || versions.length < 2) return "";
  const options = (selected: string | undefined) =>
    versions
      .map((id) => `<option value="${h(id)}"${id === selected ? " selected" : ""}>${h(id)}</option>`)
      .join("");
  return `<form class="pick" method="get" action="${h(links.comparePicker(planId))}">
<label>From <select name="from">${options(from ?? versions[0])}</select></label>
<label>To <select name="to">${options(to ?? versions[versions.length - 1])}</select></label>
<button type="submit">Compare</button></form>`;
}

export function renderPlanPage(timeline: PlanTimeline, links: PageLinks = serverLinks): string {
  const { plan } = timeline;
  const versions = timeline.versions.length
    ? `<ol class="timeline">${[...timeline.versions]
        .reverse()
        .map((version) => versionCard(plan.id, version, links))
        .join("\n")}</ol>`
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
  const changes = timeline.changes.length
    ? `<ol class="clauses">${[...timeline.changes]
        .reverse()
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
  const body = `<h1>${h(plan.title)}</h1>
${plan.description ? `<p>${h(plan.description)}</p>` : ""}
<p class="muted">${h(timeline.versions.length)} version${timeline.versions.length === 1 ? "" : "s"} · ${h(
    timeline.sources.length,
  )} source${timeline.sources.length === 1 ? "" : "s"} · ${h(timeline.mentions)} coverage mention${timeline.mentions === 1 ? "" : "s"}</p>
${pickerForm(plan.id, ids, links)}
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
    path: links.plan(plan.id),
  });
}

/** " · page 4" for a clause of a paged document (PDF). */
function pageLabel(set: ClauseSet, keys: string[]): string {
  const page = set.clauses.find((clause) => clause.key === keys[0])?.page;
  return page === undefined ? "" : ` · page ${page}`;
}

function sideLabel(side: Comparison["from"]): string {
  return side.version ? side.version : `snapshot ${side.snapshotId}`;
}

function entryBlock(comparison: Comparison, entry: DiffEntry, links: PageLinks): string {
  const { from, to, noun, planId } = comparison;
  const heading = entryHeadline(entry, noun);
  const clauseHref =
    entry.new[0] !== undefined && to.version
      ? links.clause(planId, entry.new[0], to.version)
      : entry.old[0] !== undefined && from.version
        ? links.clause(planId, entry.old[0], from.version)
        : undefined;
  const ops: RedlineOp[] =
    entry.redline ??
    (entry.kind === "moved"
      ? [{ op: "equal", text: clauseLines(to.clauseSet, entry.new) }]
      : [
          {
            op: "equal",
            text: clauseLines(to.clauseSet, entry.new) || clauseLines(from.clauseSet, entry.old),
          },
        ]);
  const oldLabel = entry.old.length
    ? `${sideLabel(from)} · ${entry.old.join(", ")}${pageLabel(from.clauseSet, entry.old)}`
    : sideLabel(from);
  const newLabel = entry.new.length
    ? `${sideLabel(to)} · ${entry.new.join(", ")}${pageLabel(to.clauseSet, entry.new)}`
    : sideLabel(to);
  const oldSide = entry.old.length
    ? `<p class="text">${sideHtml(ops, "old")}</p>`
    : `<p class="muted">not in ${h(sideLabel(from))}</p>`;
  const newSide = entry.new.length
    ? `<p class="text">${sideHtml(ops, "new")}</p>`
    : `<p class="muted">not in ${h(sideLabel(to))}</p>`;
  return `<article class="card entry" aria-label="${h(heading)}">
<h3>${clauseHref ? link(clauseHref, heading) : h(heading)}</h3>
<p>${entryBadges(entry)}</p>
<div class="sides"><div><h4>${h(oldLabel)}</h4>${oldSide}</div><div><h4>${h(newLabel)}</h4>${newSide}</div></div>
<div class="inline"><h4>Redline</h4><p class="text redline">${redlineHtml(ops)}</p></div>
</article>`;
}

export function renderComparePage(
  comparison: Comparison,
  links: PageLinks = serverLinks,
  options: { title?: string; versions?: string[] } = {},
): string {
  const { from, to, diff, planId, noun } = comparison;
  const quiet = (entry: DiffEntry) =>
    (entry.kind === "unchanged" || entry.kind === "renumbered") &&
    (entry.severity === "none" || entry.severity === "cosmetic");
  const changed = diff.entries.filter((entry) => !quiet(entry));
  const unchanged = diff.entries.filter((entry) => entry.kind === "unchanged" && quiet(entry));
  const renumbered = diff.entries.filter((entry) => entry.kind === "renumbered" && quiet(entry));
  const plural = noun === "§" || noun === "¶" ? noun : `${noun.toLowerCase()}s`;
  const permalink = links.compare(planId, from.snapshotId, to.snapshotId);
  const title = `${options.title ?? planId}: ${sideLabel(from)} → ${sideLabel(to)}`;
  const quietList = (entries: DiffEntry[], label: (entry: DiffEntry) => string) =>
    `<ol class="clauses">${entries
      .map((entry) => {
        const key = entry.new[0] ?? "";
        const clause = to.clauseSet.clauses.find((candidate) => candidate.key === key);
        const href = to.version ? links.clause(planId, key, to.version) : undefined;
        const text = clause ? clauseText(clause) : "";
        return `<li>${href ? link(href, label(entry)) : h(label(entry))}${
          entry.severity === "cosmetic" ? ` ${badge("typography only")}` : ""
        } <span class="text">${h(text)}</span></li>`;
      })
      .join("")}</ol>`;
  const body = `<h1>${h(title)}</h1>
<p>${h(summaryLine(diff))}</p>
<p class="small">Permalink: ${link(permalink, permalink, ' class="permalink"')}</p>
${pickerForm(planId, options.versions ?? [], links, from.version, to.version)}
<h2 id="changes">Changes (${h(changed.length)})</h2>
${changed.length ? changed.map((entry) => entryBlock(comparison, entry, links)).join("\n") : "<p>No change in wording.</p>"}
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
<section aria-labelledby="from-h"><h3 id="from-h">From ${h(sideLabel(from))}</h3>${provenanceList(from.provenance, links)}</section>
<section aria-labelledby="to-h"><h3 id="to-h">To ${h(sideLabel(to))}</h3>${provenanceList(to.provenance, links)}</section>
</div>`;
  return layout({
    title,
    crumbs: [
      { href: links.plan(planId), text: options.title ?? planId },
      { text: `${sideLabel(from)} → ${sideLabel(to)}` },
    ],
    body,
    links,
    path: links.compare(planId, from.ref, to.ref),
  });
}

export function renderClausePage(
  timeline: ClauseTimeline,
  links: PageLinks = serverLinks,
  options: { title?: string } = {},
): string {
  const { planId, noun } = timeline;
  const name = `${noun} ${timeline.key}`;
  const rows = [...timeline.versions]
    .reverse()
    .map((row) => {
      const heading = `${h(row.version)} <span class="muted small">first seen ${time(row.firstSeen)}</span>`;
      if (row.text === undefined) {
        const gone =
          row.kind === "removed" ? `Removed since ${h(row.against ?? "")}.` : "Not in this version.";
        return `<li><h3>${heading}</h3><p class="muted">${gone}</p>${
          row.redline ? `<p class="text redline">${redlineHtml(row.redline)}</p>` : ""
        }</li>`;
      }
      const changedFrom =
        row.against && row.kind
          ? `<p>${entryBadges({ kind: row.kind, severity: row.severity ?? "none", ...(row.flags ? { flags: row.flags } : {}) })} since ${link(
              links.compare(planId, row.against, row.version),
              row.against,
            )}</p>`
          : "";
      const redline =
        row.redline && row.kind !== "unchanged" && row.kind !== "added"
          ? `<div class="inline"><h4>Redline from ${h(row.against ?? "")}</h4><p class="text redline">${redlineHtml(row.redline)}</p></div>`
          : "";
      return `<li><h3>${heading} <span class="small">as ${h(row.printed ?? row.key ?? "")}${row.page === undefined ? "" : ` · page ${h(row.page)}`}</span></h3>
${changedFrom}
<p class="text">${h(clauseText({ text: row.text ?? "", ...(row.heading ? { heading: row.heading } : {}) }))}</p>
${redline}</li>`;
    })
    .join("\n");
  const reported = timeline.reported.length
    ? `<h2 id="reported">Reported variants (from coverage)</h2><ul class="timeline">${timeline.reported
        .map(
          (
            variant,
          ) => `<li>${badge("reported", "reported")} “${h(variant.cue)}” · ${h(variant.sourceId)} · ${time(variant.at)}
${variant.earlier ? `<p>Earlier, as reported: <q>${h(variant.earlier)}</q></p>` : ""}
${variant.later ? `<p>Later, as reported: <q>${h(variant.later)}</q></p>` : ""}
<blockquote>${h(variant.passage)}</blockquote></li>`,
        )
        .join("")}</ul>`
    : "";
  const mentions = timeline.mentions.length
    ? `<h2 id="mentions">Coverage mentions</h2><ul class="timeline">${timeline.mentions
        .map(
          (mention) =>
            `<li><blockquote>${h(mention.passage)}</blockquote><p class="small muted">${h(mention.sourceId)} · ${time(
              mention.at,
            )} · matched ${h(mention.version)} by ${h(mention.via.join(", "))} · score ${h(mention.score.toFixed(2))}</p></li>`,
        )
        .join("")}</ul>`
    : "";
  const mismatches = timeline.mismatches.length
    ? `<h2 id="mismatches">Figures reported differently</h2><ul>${timeline.mismatches
        .map(
          (mismatch) =>
            `<li>Coverage says ${h(mismatch.reported)}; ${h(mismatch.version)} says ${h(mismatch.tracked)} <span class="small muted">(${h(
              mismatch.sourceId,
            )}, ${time(mismatch.at)})</span><blockquote>${h(mismatch.passage)}</blockquote></li>`,
        )
        .join("")}</ul>`
    : "";
  const body = `<h1>${h(name)} through every version</h1>
<p class="muted">Followed through renumbering${timeline.anchor ? `, starting from ${h(timeline.anchor)}` : ""}; newest first.</p>
<ol class="timeline">${rows}</ol>
${reported}
${mentions}
${mismatches}`;
  return layout({
    title: `${name} · ${options.title ?? planId}`,
    crumbs: [{ href: links.plan(planId), text: options.title ?? planId }, { text: name }],
    body,
    links,
    path: links.clause(planId, timeline.key, timeline.anchor),
  });
}

function eventLine(event: SourceEvent): string {
  const error = event.error as { code?: string; message?: string } | undefined;
  const duration = typeof event.durationMs === "number" ? `${event.durationMs} ms` : "";
  const type = String(event.type);
  return `<tr><td>${time(event.at)}</td><td>${badge(type, type === "failed" ? "failed" : "")}</td><td>${h(duration)}</td><td>${
    typeof event.snapshotId === "string" ? short(event.snapshotId, 16) : ""
  }${error ? `<code>${h(error.code ?? "")}</code> ${h(error.message ?? "")}` : ""}</td></tr>`;
}

export function renderSourcePage(history: SourceHistory, links: PageLinks = serverLinks): string {
  const { source } = history;
  const errors = history.events.filter((event) => event.type === "failed");
  const status = `<dl class="meta">
<dt>URL</dt><dd><code>${h(source.url)}</code></dd>
${source.plan ? `<dt>Plan</dt><dd>${link(links.plan(source.plan), source.plan)} ${badge(source.role)}</dd>` : ""}
<dt>Health</dt><dd>${badge(source.health, source.health === "broken" ? "broken" : source.health === "ok" ? "ok" : "")}${
    source.consecutiveFailures
      ? ` ${h(source.consecutiveFailures)} consecutive failure${source.consecutiveFailures === 1 ? "" : "s"}`
      : ""
  }</dd>
<dt>Last check</dt><dd>${time(source.lastCheckAt)}</dd>
<dt>Last success</dt><dd>${time(source.lastSuccessAt)}</dd>
<dt>Last change</dt><dd>${time(source.lastChangeAt)}</dd>
${source.lastError ? `<dt>Last error</dt><dd><code>${h(source.lastError.code)}</code> ${h(source.lastError.message)} (${time(source.lastError.at)})</dd>` : ""}
</dl>`;
  const snapshots = history.snapshots.length
    ? [...history.snapshots]
        .reverse()
        .map(
          (snapshot) => `<li class="card"><h3>Snapshot <code>${h(snapshot.snapshotId)}</code></h3>
<p>${snapshot.lineage ? `${link(`${links.plan(source.plan)}#${snapshot.lineage.version}`, snapshot.lineage.version)} ${badge(snapshot.lineage.relation)}` : ""} ${h(
            snapshot.clauses,
          )} clauses${snapshot.title ? ` · “${h(snapshot.title)}”` : ""}</p>
${provenanceList(snapshot, links)}</li>`,
        )
        .join("\n")
    : "<li>No snapshots yet.</li>";
  const events = history.events.length
    ? `<div class="scroll" role="region" aria-label="Fetch history" tabindex="0"><table>
<thead><tr><th scope="col">When</th><th scope="col">Outcome</th><th scope="col">Took</th><th scope="col">Snapshot / error</th></tr></thead>
<tbody>${[...history.events].reverse().map(eventLine).join("")}</tbody></table></div>`
    : "<p>No checks recorded yet.</p>";
  const body = `<h1>${h(source.title ?? source.id)}</h1>
<p class="muted">Source <code>${h(source.id)}</code></p>
${status}
<h2 id="errors">Errors (${h(errors.length)})</h2>
${
  errors.length
    ? `<ul>${[...errors]
        .reverse()
        .map((event) => {
          const error = event.error as { code?: string; message?: string } | undefined;
          return `<li>${time(event.at)} <code>${h(error?.code ?? "")}</code> ${h(error?.message ?? "")}</li>`;
        })
        .join("")}</ul>`
    : "<p>No failed checks.</p>"
}
<h2 id="snapshots">Snapshots, newest first</h2>
<ul class="timeline">${snapshots}</ul>
<h2 id="history">Fetch history, newest first</h2>
${events}`;
  return layout({
    title: source.title ?? source.id,
    crumbs: [
      ...(source.plan ? [{ href: links.plan(source.plan), text: source.plan }] : []),
      { text: source.id },
    ],
    body,
    links,
    path: links.source(source.id),
  });
}

export function renderErrorPage(status: number, message: string, links: PageLinks = serverLinks): string {
  const title = status === 404 ? "Not found" : status === 401 ? "Unauthorized" : "Something went wrong";
  return layout({
    title,
    crumbs: [{ text: title }],
    body: `<h1>${h(title)}</h1><p>${h(message)}</p><p>${link(links.home, "Back to the plans")}</p>`,
    links,
  });
}
