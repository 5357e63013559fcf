/** Feeds and article pages for the discovery tests, written here in our own words. */
import { escapeHtml } from "../../src/html.js";

export interface FeedItem {
  title: string;
  path: string;
  published: string;
  summary?: string;
}

export function rss(base: string, items: FeedItem[]): string {
  const entries = items
    .map(
      (item) => `<item><title>${escapeHtml(item.title)}</title><link>${base}${item.path}</link>
<guid>${base}${item.path}</guid><pubDate>${new Date(item.published).toUTCString()}</pubDate>
${item.summary ? `<description>${escapeHtml(item.summary)}</description>` : ""}</item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>World desk</title>
<link>${base}/</link><description>Latest stories</description>${entries}</channel></rss>`;
}

export function atom(base: string, items: FeedItem[]): string {
  const entries = items
    .map(
      (item) => `<entry><title>${escapeHtml(item.title)}</title><id>${base}${item.path}</id>
<link rel="alternate" href="${base}${item.path}"/><updated>${item.published}</updated></entry>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Second desk</title>
<id>${base}/atom</id><updated>2025-11-20T12:00:00Z</updated>${entries}</feed>`;
}

export function newsSitemap(base: string, items: FeedItem[]): string {
  const urls = items
    .map(
      (item) => `<url><loc>${base}${item.path}</loc><news:news><news:publication><news:name>Desk</news:name>
<news:language>en</news:language></news:publication><news:publication_date>${item.published}</news:publication_date>
<news:title>${escapeHtml(item.title)}</news:title></news:news></url>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">${urls}</urlset>`;
}

export function articlePage(title: string, paragraphs: string[], canonical?: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${
    canonical ? `<link rel="canonical" href="${canonical}">` : ""
  }</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>${escapeHtml(title)}</h1>${paragraphs
    .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
    .join("")}</article><footer>© Desk</footer></body></html>`;
}

/** Reports that point 26 was rewritten: coverage analysis records it as a reported variant. */
export const AMNESTY_STORY = [
  "Ukrainian negotiators won a rewrite of point 26 of the peace plan during talks in Geneva, officials said on Thursday.",
  "The earlier draft had called for a complete audit of all international aid received during the war; the revised wording instead grants each side a full amnesty for its conduct during the war.",
  "Diplomats said further changes to the territorial clauses were still being discussed.",
];

/** A later paragraph gives the troop cap of point 6 differently from the tracked text. */
export const TROOPS_UPDATE =
  "Update: a person familiar with the talks said point 6 of the plan would cap Ukraine's armed forces at 700,000 people.";

export const BAKERY_STORY = [
  "A family bakery in the old town won the regional bread prize for the third year running.",
  "The owners credit a sourdough starter kept alive since 1952.",
];
