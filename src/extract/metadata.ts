/** What a page says about itself: title, byline and publication date, from markup meant for machines first. */
import type { Element } from "domhandler";
import { childElements, textOf, tidy } from "./dom.js";

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
function linkedData(scripts: string[]): { [key: string]: Json } | undefined {
  for (const script of scripts) {
    try {
      const found = objects(JSON.parse(script) as Json).find(isArticle);
      if (found !== undefined) return found;
    } catch {
      // Broken JSON-LD is common and says nothing about the page's text.
    }
  }
  return undefined;
}

/** What the metadata rules read, gathered in one walk of the page instead of a selector query each. */
interface Found {
  meta: Map<string, string>;
  title?: Element;
  h1?: Element;
  scripts: string[];
  author?: Element;
  relAuthor?: Element;
  bylineClass?: Element;
  datePublished?: Element;
  time?: Element;
}

/** The `itemprop="name"` inside an author element (`<span itemprop=author><span itemprop=name>…`). */
function namedIn(author: Element): Element | undefined {
  const stack = childElements(author);
  while (stack.length > 0) {
    const element = stack.shift() as Element;
    if (element.attribs.itemprop === "name") return element;
    stack.push(...childElements(element));
  }
  return undefined;
}

function gather(root: Element): Found {
  const found: Found = { meta: new Map(), scripts: [] };
  const stack: Element[] = [root];
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    const { name, attribs } = element;
    if (name === "meta") {
      const key = (attribs.property ?? attribs.name ?? attribs.itemprop ?? "").toLowerCase();
      if (key !== "" && attribs.content !== undefined && !found.meta.has(key))
        found.meta.set(key, attribs.content);
      continue;
    }
    if (name === "title") found.title ??= element;
    else if (name === "h1") found.h1 ??= element;
    else if (name === "script" && attribs.type?.toLowerCase() === "application/ld+json")
      found.scripts.push(textOf(element));
    else if (name === "time" && attribs.datetime !== undefined) found.time ??= element;
    const itemprop = attribs.itemprop ?? "";
    if (itemprop === "author") found.author ??= element;
    if (itemprop === "datePublished") found.datePublished ??= element;
    if (attribs.rel === "author") found.relAuthor ??= element;
    if (/(?:^|\s)(?:byline|author)(?:\s|$)/.test(attribs.class ?? "")) found.bylineClass ??= element;
    const children = childElements(element);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Element);
  }
  return found;
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

/** Title candidates always; byline and date too when `full` (they cost a look at the JSON-LD and more). */
export function readMetadata(root: Element, full: boolean): PageMetadata {
  const found = gather(root);
  const meta = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const value = found.meta.get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const data = linkedData(found.scripts);
  const og = meta("og:title");
  const pageTitle = found.title === undefined ? undefined : textOf(found.title);
  const declared = [og, meta("twitter:title"), stringOf(data?.headline), pageTitle];
  const titles = declared.map((title) => tidy(title ?? "")).filter((title) => title !== "");
  const title = first(
    [og, found.h1 === undefined ? undefined : textOf(found.h1), pageTitle],
    Number.POSITIVE_INFINITY,
  );
  const result: PageMetadata = { titles, ...(title === undefined ? {} : { title }) };
  if (!full) return result;
  const text = (element: Element | undefined): string | undefined =>
    element === undefined ? undefined : textOf(element);
  const byline = first([
    meta("author", "article:author"),
    names(data?.author).join(", "),
    text(found.author === undefined ? undefined : namedIn(found.author)),
    found.author?.attribs.content ?? text(found.author),
    text(found.relAuthor),
    text(found.bylineClass),
  ]);
  const date = first([
    meta("article:published_time"),
    stringOf(data?.datePublished),
    meta("datepublished"),
    found.datePublished?.attribs.datetime ?? found.datePublished?.attribs.content,
    meta("date", "pubdate", "publish-date", "dc.date"),
    found.time?.attribs.datetime,
  ]);
  return {
    ...result,
    ...(byline === undefined ? {} : { byline }),
    ...(date === undefined ? {} : { date: isoDate(date) as string }),
  };
}
