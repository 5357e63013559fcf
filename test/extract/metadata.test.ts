import { describe, expect, it } from "vitest";
import { extractPage } from "../../src/extract/index.js";

const TEXT =
  "The port commission approved the new berth on Monday after a two-hour hearing in which residents raised concerns about noise.";

describe("page metadata", () => {
  it("reads only the title unless asked to explain, since byline and date cost more reading", () => {
    const html = `<html><head><meta name="author" content="Coast Daily staff"><title>New berth</title></head><body><p>${TEXT}</p></body></html>`;

    const page = extractPage(html);

    expect([page.title, page.byline, page.date]).toEqual(["New berth", undefined, undefined]);
  });

  it("reads title, byline and date from JSON-LD, normalizing the date to ISO 8601", () => {
    const html = `<html><head><title>Berth approved - Coast Daily</title>
      <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Coast Daily"},
        {"@type":"NewsArticle","headline":"Berth approved","datePublished":"2025-03-03T09:15:00+01:00",
         "author":[{"@type":"Person","name":"Ana Ruiz"},{"@type":"Person","name":"Tom Bell"}]}]}</script>
      </head><body><article><h1>Berth approved</h1><p>${TEXT}</p></article></body></html>`;

    const page = extractPage(html, {}, true);

    expect(page).toEqual({
      title: "Berth approved",
      byline: "Ana Ruiz, Tom Bell",
      date: "2025-03-03T08:15:00.000Z",
      blocks: [{ kind: "paragraph", text: TEXT }],
      removed: [{ reason: "headline", words: 2, text: "Berth approved" }],
    });
  });

  it("falls back to meta tags and skips JSON-LD that is not valid JSON", () => {
    const html = `<html><head><meta property="og:title" content="New berth">
      <meta name="author" content="Coast Daily staff"><meta property="article:published_time" content="2025-03-04">
      <script type="application/ld+json">{ not json</script></head>
      <body><p>${TEXT}</p></body></html>`;

    const page = extractPage(html, {}, true);

    expect([page.title, page.byline, page.date]).toEqual([
      "New berth",
      "Coast Daily staff",
      "2025-03-04T00:00:00.000Z",
    ]);
  });

  it("keeps a date no parser reads as printed, and leaves out what the page does not say", () => {
    const html = `<html><body><p>${TEXT}</p><time datetime="spring 2025">This spring</time></body></html>`;

    const page = extractPage(html, {}, true);

    expect([page.title, page.byline, page.date]).toEqual([undefined, undefined, "spring 2025"]);
  });
});
