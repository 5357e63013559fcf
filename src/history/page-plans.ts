/** The list of plans and sources, and the error page. */
import { badge, h, layout, link, type PageLinks, serverLinks, time } from "./layout.js";
import type { PlanSummary, SourceSummary } from "./types.js";

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

export function sourceTable(sources: SourceSummary[], links: PageLinks): string {
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

export function renderErrorPage(status: number, message: string, links: PageLinks = serverLinks): string {
  const title = status === 404 ? "Not found" : status === 401 ? "Unauthorized" : "Something went wrong";
  return layout({
    title,
    crumbs: [{ text: title }],
    body: `<h1>${h(title)}</h1><p>${h(message)}</p><p>${link(links.home, "Back to the plans")}</p>`,
    links,
  });
}
