/** Search results: which versions, which clauses (by path) and which coverage passages hold the query. */
import { clauseName } from "../report/headline.js";
import { fragment } from "./anchors.js";
import { count, h, layout, link, type PageLinks, searchForm, serverLinks, time } from "./layout.js";
import type { ClauseHit, FoundText, SearchResults } from "./types.js";

const PLACES_SHOWN = 12;

/** The text with its matches in `<mark>`; every piece escaped. */
function highlightHtml(found: FoundText): string {
  let html = "";
  let at = 0;
  for (const [start, end] of found.matches) {
    html += `${h(found.text.slice(at, start))}<mark>${h(found.text.slice(start, end))}</mark>`;
    at = end;
  }
  return html + h(found.text.slice(at));
}

function versionNumber(version: string): number {
  return Number(version.replace(/^v/, ""));
}

/** Runs of consecutive versions at one path: "v2–v9 (26)", "v10 (23)". */
function runs(hit: ClauseHit): Array<{ first: ClauseHit["at"][number]; last: ClauseHit["at"][number] }> {
  const out: Array<{ first: ClauseHit["at"][number]; last: ClauseHit["at"][number] }> = [];
  for (const place of hit.at) {
    const run = out[out.length - 1];
    if (
      run &&
      run.last.key === place.key &&
      versionNumber(place.version) === versionNumber(run.last.version) + 1
    ) {
      run.last = place;
    } else out.push({ first: place, last: place });
  }
  return out;
}

function clauseHitHtml(results: SearchResults, hit: ClauseHit, noun: string, links: PageLinks): string {
  const { planId } = results;
  const newest = hit.at[hit.at.length - 1] ?? { version: "", key: hit.key, anchor: "" };
  const places = runs(hit);
  const shown = places.slice(0, PLACES_SHOWN).map(({ first, last }) => {
    const span = first.version === last.version ? first.version : `${first.version}–${last.version}`;
    return `${link(`${links.version(planId, first.version)}${fragment(first.anchor)}`, `${span} · ${first.key}`)}`;
  });
  const more = places.length - shown.length;
  return `<li class="card"><h3>${link(
    links.clause(planId, newest.key, newest.version),
    `${clauseName(newest.key, noun)}${hit.key !== newest.key ? ` (was ${hit.key})` : ""}`,
  )} <span class="muted small">in ${h(count(hit.at.length, "version"))}</span></h3>
${hit.heading ? `<p><strong>${highlightHtml(hit.heading)}</strong></p>` : ""}
<p class="text">${highlightHtml(hit.text)}</p>
<p class="small">In: ${shown.join(", ")}${more > 0 ? ` and ${h(more)} more` : ""}</p></li>`;
}

export function renderSearchPage(results: SearchResults, links: PageLinks = serverLinks): string {
  const { planId, noun } = results;
  const asked = results.terms.length > 0;
  const summary = asked
    ? `<p>${h(results.terms.join(" "))}: ${h(count(results.clauses.length + results.more.clauses, "wording"))} in ${h(
        count(results.versions.length, "version"),
      )}${results.versions.length ? ` (${h(results.versions.slice(0, 8).join(", "))}${results.versions.length > 8 ? ", …" : ""})` : ""}, ${h(
        count(results.coverage.length + results.more.coverage, "coverage passage"),
      )} from ${h(count(new Set(results.coverage.map((hit) => hit.sourceId)).size, "article"))}.</p>`
    : results.query.trim()
      ? "<p>Nothing to look for: give a word, or a phrase in quotes.</p>"
      : '<p class="muted">Words match whole, in any case and without regard to accents; put a phrase in quotes ("full amnesty"). Every term must occur.</p>';
  const clauses = results.clauses.length
    ? `<ol class="timeline hits">${results.clauses.map((hit) => clauseHitHtml(results, hit, noun, links)).join("\n")}</ol>${
        results.more.clauses ? `<p class="muted">${h(results.more.clauses)} more wordings not shown.</p>` : ""
      }`
    : "<p>No clause of any version holds it.</p>";
  const coverage = results.coverage.length
    ? `<ol class="timeline hits">${results.coverage
        .map(
          (hit) => `<li class="card"><h3>${link(links.source(hit.sourceId), hit.title ?? hit.sourceId)}</h3>
<blockquote>${highlightHtml(hit.passage)}</blockquote>
<p class="small muted">${h(hit.sourceId)} · ${time(hit.at)}${hit.url ? ` · <code>${h(hit.url)}</code>` : ""}${
            hit.clauses.length
              ? ` · about ${hit.clauses
                  .map((clause) =>
                    link(
                      links.clause(planId, clause.key, clause.version),
                      `${clauseName(clause.key, noun)} (${clause.version}, ${clause.via})`,
                    ),
                  )
                  .join(", ")}`
              : ""
          }</p></li>`,
        )
        .join(
          "\n",
        )}</ol>${results.more.coverage ? `<p class="muted">${h(results.more.coverage)} more passages not shown.</p>` : ""}`
    : "<p>No coverage passage holds it.</p>";
  const title = asked
    ? `Search ${results.planTitle}: ${results.terms.join(" ")}`
    : `Search ${results.planTitle}`;
  return layout({
    title,
    crumbs: [{ href: links.plan(planId), text: results.planTitle }, { text: "Search" }],
    body: `<h1>${h(title)}</h1>
${searchForm(planId, links, results.query)}
${summary}
${asked ? `<h2 id="in-versions">In the versions</h2>${clauses}<h2 id="in-coverage">In the coverage</h2>${coverage}` : ""}`,
    links,
    path: links.search ? links.search(planId, results.query) : links.plan(planId),
  });
}
