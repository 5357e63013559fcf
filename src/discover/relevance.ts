/**
 * Which feed entries are about the plan: configured keywords, and by default the plan's own
 * vocabulary — the words of its title and the names its clauses use (Ukraine, NATO, Zaporizhzhia)
 * — so a feed of world news yields the stories about this plan and not the rest. Pure.
 */
import { createHash } from "node:crypto";
import type { ClauseSet } from "../types.js";
import type { ListingEntry } from "./listing.js";

const STOPWORDS = new Set(
  "a an and are as at be by for from has have in into is it its of on or that the their this to was were will with new news over after says said".split(
    " ",
  ),
);

function words(text: string): string[] {
  const found =
    text
      .toLowerCase()
      .normalize("NFKC")
      .match(/\p{L}[\p{L}\p{N}'’-]*|\d[\d,.]*\d|\d/gu) ?? [];
  // "plan's" counts as "plan".
  return found.map((word) => word.replace(/['’]s$/, "")).filter((word) => !STOPWORDS.has(word));
}

/** Terms that say "this plan": title words and capitalised names used inside its clauses. */
export function planVocabulary(title: string, clauseSet: ClauseSet | undefined): Set<string> {
  const terms = new Set(words(title).filter((word) => word.length >= 3));
  for (const clause of clauseSet?.clauses ?? []) {
    if (clause.context) continue;
    const texts = [clause.heading ?? "", clause.text];
    for (const text of texts) {
      // A capitalised word after the first one of a sentence is a name (NATO, Donetsk, Europe).
      for (const match of text.matchAll(/(?<=[\p{L},;:)]\s+)\p{Lu}[\p{L}’'-]{2,}/gu)) {
        terms.add(match[0].toLowerCase().replace(/[’']s$/, ""));
      }
    }
  }
  return terms;
}

export interface Relevance {
  relevant: boolean;
  /** Keywords or vocabulary terms the entry mentions. */
  matched: string[];
}

function entryText(entry: ListingEntry): string {
  const slug = decodeURIComponent(new URL(entry.url).pathname).replace(/[-_/.]+/g, " ");
  return [entry.title, entry.summary, ...entry.categories, slug].filter(Boolean).join(" \n ");
}

/**
 * An entry is relevant when it mentions a keyword, or (with the vocabulary) two of the plan's
 * terms: one shared name is chance ("Ukraine" in any world story), two are a topic.
 */
export function judgeEntry(
  entry: ListingEntry,
  keywords: string[],
  vocabulary: Set<string> | undefined,
): Relevance {
  const text = entryText(entry).toLowerCase().normalize("NFKC");
  const keywordHits = keywords.filter((keyword) => {
    const escaped = keyword.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "u").test(text);
  });
  if (keywordHits.length > 0) return { relevant: true, matched: keywordHits };
  if (!vocabulary) return { relevant: false, matched: [] };
  const present = new Set(words(text));
  const matched = [...vocabulary].filter((term) => present.has(term));
  return { relevant: matched.length >= 2, matched };
}

const TRACKING =
  /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|ref|ref_src|smid|at_medium|at_campaign)$/i;

/** One spelling per article: tracking parameters, fragments, default ports and a trailing slash dropped. */
export function canonicalUrl(raw: string): string {
  const url = new URL(raw);
  url.hash = "";
  url.hostname = url.hostname.toLowerCase();
  for (const name of [...url.searchParams.keys()]) if (TRACKING.test(name)) url.searchParams.delete(name);
  url.searchParams.sort();
  if (url.pathname.length > 1) url.pathname = url.pathname.replace(/\/+$/, "");
  return url.href;
}

/** The `<link rel="canonical">` (or `og:url`) of an article page, made absolute. */
export function declaredCanonical(html: string, base: string): string | undefined {
  const head = html.slice(0, 200_000);
  const link =
    /<link\b[^>]*\brel=["']?canonical["']?[^>]*>/i.exec(head)?.[0] ??
    /<meta\b[^>]*\bproperty=["']og:url["'][^>]*>/i.exec(head)?.[0];
  const href = link ? /\b(?:href|content)=["']([^"']+)["']/i.exec(link)?.[1] : undefined;
  if (!href) return undefined;
  try {
    return canonicalUrl(new URL(href.replace(/&amp;/g, "&"), base).href);
  } catch {
    return undefined;
  }
}

/** Short stable key of a URL, for the seen-entries map. */
export function urlKey(url: string): string {
  return createHash("sha256").update(url).digest("hex").slice(0, 16);
}
