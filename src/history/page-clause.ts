/** One clause through every version, with its redlines and what coverage says about it. */
import {
  badge,
  clauseText,
  entryBadges,
  h,
  layout,
  link,
  type PageLinks,
  redlineHtml,
  serverLinks,
  time,
} from "./layout.js";
import type { ClauseTimeline } from "./types.js";

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
