/**
 * One version as a document: its outline indented by depth, every clause under an anchor from its
 * path, text around the document dimmed in place, provenance, the copies that carried it, how
 * much of the page the reading placed, and the citation line (repeated on every printed page).
 */
import { fragment } from "./anchors.js";
import {
  badge,
  count,
  h,
  layout,
  link,
  type PageLinks,
  provenanceList,
  serverLinks,
  time,
} from "./layout.js";
import type { VersionClause, VersionCopy, VersionView } from "./types.js";
import { sideName } from "./version.js";

function copyLine(copy: VersionCopy, links: PageLinks): string {
  const why = copy.reason
    ? ` (${h(copy.reason)}${copy.departures?.length ? `; departs at ${h(copy.departures.join(", "))}` : ""})`
    : "";
  return `<li>${link(links.source(copy.sourceId), copy.title ?? copy.sourceId)}${
    copy.title ? ` <code class="small">${h(copy.sourceId)}</code>` : ""
  } ${badge(copy.relation)} ${time(copy.at)}${why}${copy.url ? `<br><code class="small">${h(copy.url)}</code>` : ""}${
    copy.bodyHash ? ` · ${link(links.body(copy.sourceId, copy.snapshotId), "raw body")}` : ""
  }</li>`;
}

function clauseBlock(view: VersionView, clause: VersionClause, links: PageLinks): string {
  const depth = Math.min(clause.depth, 6);
  const classes = [
    "clause",
    ...(depth > 0 ? [`d${depth}`] : []),
    ...(clause.kind === "heading" || clause.kind === "title" ? ["heading"] : []),
    ...(clause.context ? ["context"] : []),
  ].join(" ");
  // Unnumbered clauses show their path ("Preamble", "Privacy ¶2"); bullets a bullet.
  const label = clause.printed || (clause.kind === "bullet" ? "•" : clause.key);
  const self = `<a class="label" href="${h(fragment(clause.anchor))}" title="${h(clause.key)}">${h(label)}</a>`;
  const timeline = view.version
    ? `<a class="tl" href="${h(links.clause(view.planId, clause.key, view.version))}" aria-label="${h(
        `${clause.key} through every version`,
      )}">timeline</a>`
    : "";
  const page = clause.page === undefined ? "" : ` <span class="muted small">(page ${h(clause.page)})</span>`;
  const heading = clause.heading ? `<strong>${h(clause.heading)}</strong>${clause.text ? "<br>" : ""}` : "";
  const tag = clause.kind === "heading" ? (depth === 0 ? "h3" : "h4") : "p";
  return `<${tag} class="${classes}" id="${h(clause.anchor)}">${self}${heading}${h(clause.text)}${page}${timeline}</${tag}>`;
}

export function renderVersionPage(view: VersionView, links: PageLinks = serverLinks): string {
  const name = sideName(view);
  const title = `${view.planTitle}: ${name}`;
  const label = view.version ?? view.snapshotId;
  const { words, placed } = view.coverage;
  const neighbours = [
    ...(view.previous ? [link(links.version(view.planId, view.previous), `← ${view.previous}`)] : []),
    ...(view.next ? [link(links.version(view.planId, view.next), `${view.next} →`)] : []),
    link(links.map(view.planId, view.version ? { from: view.version } : {}), "clause × version map"),
    ...(links.search ? [link(links.search(view.planId), "search")] : []),
  ];
  const changed = view.parent
    ? `<p><strong>${h(view.whatChanged ?? "")}</strong>${view.whatChanged ? " · " : ""}${link(
        links.compare(view.planId, view.parent, label),
        `compare ${view.parent} → ${label}`,
      )}</p>`
    : view.version
      ? "<p>The first version seen.</p>"
      : "<p>A copy the lineage never judged a version of its own.</p>";
  const warnings = view.warnings.length
    ? `<ul>${view.warnings
        .map(
          (warning) =>
            `<li>${badge(warning.code)} ${h(warning.message)}${warning.at ? ` <span class="muted small">at ${h(warning.at)}</span>` : ""}</li>`,
        )
        .join("")}</ul>`
    : "<p>No warnings.</p>";
  const copies = view.witnesses.length
    ? `<ul>${view.witnesses.map((copy) => copyLine(copy, links)).join("")}</ul>`
    : "<p>No copy recorded by the lineage.</p>";
  const divergent = view.divergent.length
    ? `<h3>Divergent copies</h3><p class="small muted">Copies judged a different rendering of this version (paraphrased, truncated), not a version of their own.</p><ul>${view.divergent
        .map((copy) => copyLine(copy, links))
        .join("")}</ul>`
    : "";
  const body = `<h1>${h(title)}</h1>
${view.title ? `<p class="muted">${h(view.title)}</p>` : ""}
<p class="muted">${h(view.size)} · first seen ${time(view.firstSeen)} at ${link(links.source(view.sourceId), view.sourceId)}</p>
${changed}
<nav class="pager" aria-label="Versions">${neighbours.join("")}</nav>
<p class="cite" id="cite"><strong>Cite:</strong> ${h(view.citation)}</p>
<p class="small no-print">${link(links.versionText(view.planId, label), "Normalized text (.txt)", ` download="${h(`${view.planId}-${label}.txt`)}"`)} · ${link(
    links.body(view.sourceId, view.snapshotId),
    "raw body as fetched",
  )}</p>
<h2 id="document">The text</h2>
<div class="doc">
${view.clauses.map((clause) => clauseBlock(view, clause, links)).join("\n")}
</div>
<h2 id="reading">How it was read</h2>
<p>Read ${h(placed.toLocaleString("en-US"))} of ${h(words.toLocaleString("en-US"))} words into ${h(
    count(view.clauses.length, "clause"),
  )}${words > placed ? ` — ${h((words - placed).toLocaleString("en-US"))} left out` : ""}.${
    view.deleted?.length ? ` Marked deleted in the copy: ${h(view.deleted.join(", "))}.` : ""
  }</p>
<h3>Warnings</h3>
${warnings}
<h2 id="copies">Copies that carried it</h2>
${copies}
${divergent}
<h2 id="provenance">Provenance</h2>
${provenanceList(view.provenance, links, [
  ["First seen", time(view.firstSeen)],
  ["Clause-set hash", `<code>${h(view.provenance.clauseSetHash)}</code>`],
  ["Extractor version", `<code>${h(view.provenance.extractorVersion)}</code>`],
  ["Outline version", view.outline === undefined ? "before outlines" : h(view.outline)],
])}`;
  return layout({
    title,
    crumbs: [{ href: links.plan(view.planId), text: view.planTitle }, { text: name }],
    body,
    links,
    path: links.version(view.planId, label),
    citations: [view.citation],
  });
}
