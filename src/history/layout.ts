/**
 * What every page of the history view shares: where pages live (`PageLinks`, so the same pages
 * can be served live or written out as a static site), the document frame, and the small pieces
 * of markup — links, times, badges, redlines, provenance. Every scraped string goes through `h`.
 */

import type { DiffEntry, Flag, RedlineOp } from "../diff/index.js";
import { escapeHtml } from "../html.js";
import type { Clause } from "../types.js";
import { shownTime } from "./cite.js";
import { printRules, STYLE } from "./style.js";
import type { Provenance, WitnessSighting } from "./types.js";

/** A comparison's filters and view, as query parameters of its page. */
export interface CompareParams {
  severity?: string[];
  flag?: string[];
  kind?: string[];
  /** `sides`: old and new side by side; the default is one inline redline per change. */
  view?: "inline" | "sides";
}

export interface MapLinkOptions {
  /** First version of the window. */
  from?: string;
  rows?: "all" | "changed";
  page?: number;
}

/** Where each page lives; the web server's routes by default. */
export interface PageLinks {
  home: string;
  /** `page`: which page of versions, newest first (from 1). */
  plan(planId: string, page?: number): string;
  compare(planId: string, from: string, to: string): string;
  /** A comparison filtered or shown another way; absent in a static site (its pages are fixed). */
  compareWith?(planId: string, from: string, to: string, params: CompareParams): string;
  /** `version`: the version `key` is read in. */
  clause(planId: string, key: string, version?: string): string;
  /** One version as a document. */
  version(planId: string, version: string): string;
  /** The version's normalized text, as plain text. */
  versionText(planId: string, version: string): string;
  /** The clause × version map. */
  map(planId: string, options?: MapLinkOptions): string;
  /** Search; absent in a static site. */
  search?(planId: string, query?: string): string;
  source(sourceId: string): string;
  body(sourceId: string, snapshotId: string): string;
  /** Where the version picker submits (`from` and `to` query parameters); none in a static site. */
  comparePicker?(planId: string): string;
  /** The JSON behind a page, when there is an API. */
  api?(pagePath: string): string;
}

const seg = encodeURIComponent;

function query(params: Array<[string, string | number | undefined]>): string {
  const search = new URLSearchParams();
  for (const [name, value] of params)
    if (value !== undefined && value !== "") search.append(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}

export const serverLinks: PageLinks = {
  home: "/",
  plan: (planId, page) => `/plans/${seg(planId)}${page && page > 1 ? `?page=${page}` : ""}`,
  compare: (planId, from, to) => `/plans/${seg(planId)}/compare/${seg(from)}..${seg(to)}`,
  compareWith: (planId, from, to, params) =>
    `/plans/${seg(planId)}/compare/${seg(from)}..${seg(to)}${query([
      ...(params.severity ?? []).map((value): [string, string] => ["severity", value]),
      ...(params.flag ?? []).map((value): [string, string] => ["flag", value]),
      ...(params.kind ?? []).map((value): [string, string] => ["kind", value]),
      ["view", params.view === "sides" ? "sides" : undefined],
    ])}`,
  clause: (planId, key, version) =>
    `/plans/${seg(planId)}/clauses/${seg(key)}${version ? `?in=${seg(version)}` : ""}`,
  version: (planId, version) => `/plans/${seg(planId)}/versions/${seg(version)}`,
  versionText: (planId, version) => `/plans/${seg(planId)}/versions/${seg(version)}.txt`,
  map: (planId, options = {}) =>
    `/plans/${seg(planId)}/map${query([
      ["from", options.from],
      ["rows", options.rows === "changed" ? "changed" : undefined],
      ["page", options.page && options.page > 1 ? options.page : undefined],
    ])}`,
  search: (planId, text) => `/plans/${seg(planId)}/search${query([["q", text]])}`,
  source: (sourceId) => `/sources/${seg(sourceId)}`,
  body: (sourceId, snapshotId) => `/sources/${seg(sourceId)}/snapshots/${seg(snapshotId)}/body`,
  comparePicker: (planId) => `/plans/${seg(planId)}/compare`,
  api: (pagePath) => `/api${pagePath === "/" ? "/plans" : pagePath}`,
};

export const h = escapeHtml;

export function link(href: string, text: string, attributes = ""): string {
  return `<a href="${h(href)}"${attributes}>${h(text)}</a>`;
}

export function time(iso: string | undefined): string {
  if (!iso) return "—";
  return `<time datetime="${h(iso)}">${h(shownTime(iso))}</time>`;
}

export function short(hash: string, length = 12): string {
  return `<code title="${h(hash)}">${h(hash.slice(0, length))}</code>`;
}

/** "1 version", "3 versions". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? noun : plural}`;
}

/** The plural of a clause noun ("points", "articles", "§"). */
export function nounPlural(noun: string): string {
  return noun === "§" || noun === "¶" ? noun : `${noun.toLowerCase()}s`;
}

export interface Crumb {
  href?: string;
  text: string;
}

export interface LayoutInput {
  title: string;
  crumbs: Crumb[];
  body: string;
  links: PageLinks;
  /** The page's own path, for its JSON link. */
  path?: string;
  /** Lines repeated at the foot of every printed page (the citation of each text shown). */
  citations?: string[];
}

export function layout({ title, crumbs, body, links, path, citations = [] }: LayoutInput): string {
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
<style>${STYLE}${printRules(`${title} · clausewatch`, citations)}</style>
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

export function badge(text: string, kind = ""): string {
  return `<span class="badge${kind ? ` ${kind}` : ""}">${h(text)}</span>`;
}

export function flagText(flag: Flag): string {
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

export function entryBadges(entry: Pick<DiffEntry, "kind" | "severity" | "flags">): string {
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

/** One side of a redline: the old text with its deletions marked, or the new with its insertions. */
export function sideHtml(ops: RedlineOp[], side: "old" | "new"): string {
  const skip = side === "old" ? "insert" : "delete";
  return redlineHtml(ops.filter((op) => op.op !== skip));
}

export function clauseText(clause: Pick<Clause, "text" | "heading">): string {
  return clause.heading && clause.text
    ? `${clause.heading}\n${clause.text}`
    : (clause.heading ?? clause.text);
}

export function provenanceList(
  provenance: Provenance,
  links: PageLinks,
  extra: Array<[string, string]> = [],
): string {
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
    ...extra,
    ["Raw body", link(links.body(provenance.sourceId, provenance.snapshotId), "download (text)")],
  ];
  return `<dl class="meta">${rows.map(([term, value]) => `<dt>${h(term)}</dt><dd>${value}</dd>`).join("")}</dl>`;
}

export function sightingLine(witness: WitnessSighting, links: PageLinks): string {
  const why = witness.reason
    ? ` (${h(witness.reason)}${witness.departures?.length ? `; departs at ${h(witness.departures.join(", "))}` : ""})`
    : "";
  return `${link(links.source(witness.sourceId), witness.sourceId)} ${time(witness.at)}${why}`;
}

/** The version picker: two selects that submit to the comparison's address. */
export function pickerForm(
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

/** A search box for a plan (nothing in a static site). */
export function searchForm(planId: string, links: PageLinks, value = ""): string {
  if (!links.search) return "";
  return `<form class="search" method="get" role="search" action="${h(links.search(planId))}">
<label>Search every version and coverage passage <input type="search" name="q" value="${h(value)}" maxlength="200" placeholder="amnesty, &quot;full amnesty&quot;"></label>
<button type="submit">Search</button></form>`;
}
