/** What a page says about itself: title, byline and publication date, from markup meant for machines first. */
import type { CheerioAPI } from "cheerio";
import { tidy } from "./dom.js";

export interface PageMetadata {
  /** `og:title`, else the first `<h1>`, else `<title>`. */
  title?: string;
  /** Every title the page declares (`og:title`, `twitter:title`, JSON-LD headline, `<title>`): what a repeated headline is matched against. */
  titles: string[];
  byline?: string;
  /** Publication date, ISO 8601 when the page gives one a parser reads, else as printed. */
  date?: string;
}

const ARTICLE_TYPES =
  /^(?:Article|NewsArticle|BlogPosting|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|TechArticle|ScholarlyArticle|Report|WebPage|LiveBlogPosting)$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function objects(value: Json): Array<{ [key: string]: Json }> {
  if (Array.isArray(value)) return value.flatMap(objects);
  if (value === null || typeof value !== "object") return [];
  const graph = value["@graph"];
  return [value, ...(graph === undefined ? [] : objects(graph))];
}

function isArticle(item: { [key: string]: Json }): boolean {
  const type = item["@type"];
  const types = Array.isArray(type) ? type : [type];
  return types.some((entry) => typeof entry === "string" && ARTICLE_TYPES.test(entry));
}

function names(value: Json | undefined): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(names);
  if (typeof value === "object") return names(value.name);
  return [];
}

/** The first article described in JSON-LD; a block that is not valid JSON is skipped. */
function linkedData($: CheerioAPI): { [key: string]: Json } | undefined {
  for (const script of $('script[type="application/ld+json"]').toArray()) {
    try {
      const found = objects(JSON.parse($(script).text()) as Json).find(isArticle);
      if (found !== undefined) return found;
    } catch {
      // Broken JSON-LD is common and says nothing about the page's text.
    }
  }
  return undefined;
}

function first(candidates: Array<string | undefined>, max = 300): string | undefined {
  for (const candidate of candidates) {
    const value = tidy(candidate ?? "");
    if (value !== "" && value.length <= max) return value;
  }
  return undefined;
}

/** ISO-shaped dates are normalized; anything else is kept as printed (engines guess wildly at free text). */
function isoDate(value: string | undefined): string | undefined {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value))
    return value;
  const time = Date.parse(value.replace(" ", "T"));
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

function stringOf(value: Json | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function readMetadata($: CheerioAPI): PageMetadata {
  const data = linkedData($);
  const meta = (selector: string): string | undefined => $(selector).first().attr("content");
  const og = meta('meta[property="og:title"], meta[name="og:title"]');
  const declared = [
    og,
    meta('meta[name="twitter:title"], meta[property="twitter:title"]'),
    stringOf(data?.headline),
    $("title").first().text(),
  ];
  const titles = declared.map((title) => tidy(title ?? "")).filter((title) => title !== "");
  const title = first([og, $("h1").first().text(), $("title").first().text()], Number.POSITIVE_INFINITY);
  const byline = first([
    meta('meta[name="author"], meta[property="article:author"]'),
    names(data?.author).join(", "),
    $('[itemprop="author"] [itemprop="name"]').first().text(),
    $('[itemprop="author"]').first().attr("content") ?? $('[itemprop="author"]').first().text(),
    $('[rel="author"]').first().text(),
    $(".byline, .author").first().text(),
  ]);
  const date = first([
    meta('meta[property="article:published_time"], meta[name="article:published_time"]'),
    stringOf(data?.datePublished),
    meta('meta[itemprop="datePublished"]'),
    $('[itemprop="datePublished"]').first().attr("datetime"),
    meta('meta[name="date"], meta[name="pubdate"], meta[name="publish-date"], meta[name="dc.date"]'),
    $("time[datetime]").first().attr("datetime"),
  ]);
  return {
    titles,
    ...(title === undefined ? {} : { title }),
    ...(byline === undefined ? {} : { byline }),
    ...(date === undefined ? {} : { date: isoDate(date) as string }),
  };
}
