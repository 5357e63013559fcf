/**
 * A feed (RSS, RDF, Atom, JSON Feed — read with feedsmith) or a sitemap / news sitemap (read with
 * fast-xml-parser) as a flat list of entries: where the article is, what it is called, when it
 * appeared. Pure: text in, entries out; anything else is an ExtractError naming the source.
 */
import { XMLParser } from "fast-xml-parser";
import { parseFeed } from "feedsmith";
import { ExtractError, excerpt } from "../errors.js";

export interface ListingEntry {
  /** Absolute http(s) URL of the article. */
  url: string;
  title?: string;
  /** Summary or description, tags stripped. */
  summary?: string;
  /** ISO time the entry says it was published (or updated, when that is all it says). */
  published?: string;
  categories: string[];
}

export type ListingKind = "rss" | "atom" | "rdf" | "json" | "sitemap";

export interface Listing {
  kind: ListingKind;
  entries: ListingEntry[];
}

type Loose = Record<string, unknown>;

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (value && typeof value === "object") {
    const inner = (value as Loose).value ?? (value as Loose)["#text"];
    if (typeof inner === "string") return inner;
  }
  return undefined;
}

function plain(value: unknown): string | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  const stripped = raw
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return stripped === "" ? undefined : stripped;
}

function isoTime(value: unknown): string | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  const time = Date.parse(raw.trim());
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function absolute(raw: string | undefined, base: string): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function entry(
  url: string | undefined,
  fields: { title?: unknown; summary?: unknown; published?: unknown; categories?: unknown[] },
): ListingEntry | undefined {
  if (url === undefined) return undefined;
  const title = plain(fields.title);
  const summary = plain(fields.summary);
  const published = isoTime(fields.published);
  const categories = (fields.categories ?? []).flatMap((category) => {
    const name =
      plain(category) ??
      plain((category as Loose | undefined)?.name) ??
      plain((category as Loose | undefined)?.term);
    return name ? [name] : [];
  });
  return {
    url,
    ...(title ? { title } : {}),
    ...(summary ? { summary } : {}),
    ...(published ? { published } : {}),
    categories,
  };
}

function feedEntries(kind: ListingKind, feed: Loose, base: string): ListingEntry[] {
  const list = (kind === "atom" ? feed.entries : feed.items) as Loose[] | undefined;
  return (list ?? []).flatMap((item) => {
    const links = (item.links as Loose[] | undefined) ?? [];
    const alternate = links.find((link) => !link.rel || link.rel === "alternate") ?? links[0];
    const raw =
      kind === "atom"
        ? text(alternate?.href)
        : kind === "json"
          ? (text(item.url) ?? text(item.external_url))
          : (text(item.link) ?? text((item.guid as Loose | undefined)?.value));
    const found = entry(absolute(raw, base), {
      title: item.title,
      summary: item.summary ?? item.description ?? item.content_text,
      published:
        item.pubDate ??
        item.published ??
        item.date_published ??
        item.updated ??
        item.date_modified ??
        (item.dc as Loose | undefined)?.date,
      categories: (item.categories as unknown[] | undefined) ?? (item.tags as unknown[] | undefined) ?? [],
    });
    return found ? [found] : [];
  });
}

const sitemapParser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  htmlEntities: false,
  isArray: (name) => name === "url" || name === "sitemap",
});

function sitemapEntries(document: Loose, source: string, base: string): ListingEntry[] {
  const index = document.sitemapindex as Loose | undefined;
  if (index) {
    const first = text(((index.sitemap as Loose[] | undefined) ?? [])[0]?.loc);
    throw new ExtractError(
      `${source}: a sitemap index, not a list of articles; point the source at one of its sitemaps${first ? ` (the first is ${first})` : ""}`,
      { source },
    );
  }
  const urls = ((document.urlset as Loose | undefined)?.url as Loose[] | undefined) ?? [];
  return urls.flatMap((url) => {
    const news = url.news as Loose | undefined;
    const found = entry(absolute(text(url.loc), base), {
      title: news?.title,
      published: news?.publication_date ?? url.lastmod,
      categories: (text(news?.keywords) ?? "")
        .split(",")
        .map((word) => word.trim())
        .filter((word) => word !== ""),
    });
    return found ? [found] : [];
  });
}

/**
 * The entries of a feed or sitemap, in the order listed.
 * @throws ExtractError when the text is neither, or is malformed.
 */
export function parseListing(body: string, source: string, base: string): Listing {
  const trimmed = body.replace(/^\uFEFF/, "").trimStart();
  if (
    /^<\?xml[^>]*>\s*(<!--[\s\S]*?-->\s*)*<(urlset|sitemapindex)\b/i.test(trimmed) ||
    /^<(urlset|sitemapindex)\b/i.test(trimmed)
  ) {
    let document: Loose;
    try {
      document = sitemapParser.parse(trimmed, true) as Loose;
    } catch (error) {
      throw new ExtractError(
        `${source}: malformed sitemap (${excerpt(String((error as Error).message), 120)})`,
        {
          source,
          cause: error,
        },
      );
    }
    return { kind: "sitemap", entries: sitemapEntries(document, source, base) };
  }
  try {
    const parsed = parseFeed(trimmed) as { format: ListingKind; feed: Loose };
    return { kind: parsed.format, entries: feedEntries(parsed.format, parsed.feed, base) };
  } catch (error) {
    throw new ExtractError(
      `${source}: not a readable RSS, Atom or JSON feed or sitemap (${excerpt(String((error as Error).message), 120)}; the body starts "${excerpt(trimmed, 40)}")`,
      { source, cause: error },
    );
  }
}
