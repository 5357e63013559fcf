/** One source: its health, errors, snapshots with provenance, and fetch history. */
import type { SourceEvent } from "../store/index.js";
import {
  badge,
  h,
  layout,
  link,
  type PageLinks,
  provenanceList,
  serverLinks,
  short,
  time,
} from "./layout.js";
import type { SourceHistory } from "./types.js";

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
