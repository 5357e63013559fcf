/** The plan page's list of coverage articles found by its feeds and sitemaps. */
import type { DiscoveredEntry } from "../discover/read.js";
import { escapeHtml as h } from "../html.js";

export interface DiscoveredLinks {
  source(sourceId: string): string;
}

function when(iso: string | undefined): string {
  if (!iso) return "—";
  return `<time datetime="${h(iso)}">${h(iso.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC"))}</time>`;
}

function statusOf(article: DiscoveredEntry): string {
  if (article.status === "duplicate") return `duplicate of <code>${h(article.duplicateOf ?? "")}</code>`;
  if (article.status === "retired") return `retired ${when(article.retiredAt)}`;
  return "watched for updates";
}

/** A table of discovered articles (empty string when the plan has no discovery sources' finds). */
export function discoveredSection(articles: DiscoveredEntry[], links: DiscoveredLinks): string {
  if (articles.length === 0) return "";
  const rows = articles
    .map(
      (article) =>
        `<tr><td><a href="${h(links.source(article.id))}">${h(article.title ?? article.url)}</a><br><code class="small">${h(article.url)}</code>${
          article.lastError ? `<br><span class="badge failed">${h(article.lastError.message)}</span>` : ""
        }</td><td><a href="${h(links.source(article.feed))}">${h(article.feed)}</a></td><td>${when(article.published)}</td><td>${when(
          article.discoveredAt,
        )}</td><td>${when(article.lastCheckAt)} (${h(article.checks)}×)</td><td>${statusOf(article)}</td><td>${h(article.matched.join(", "))}</td></tr>`,
    )
    .join("");
  return `<h2 id="discovered">Discovered coverage (${h(articles.length)})</h2>
<p class="small muted">Articles found in the plan's feeds and sitemaps, fetched once and checked again for updates while new.</p>
<div class="scroll" role="region" aria-label="Discovered coverage" tabindex="0"><table>
<thead><tr><th scope="col">Article</th><th scope="col">Feed</th><th scope="col">Published</th><th scope="col">Found</th><th scope="col">Last check</th><th scope="col">Status</th><th scope="col">Matched</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}
