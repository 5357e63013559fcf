import { describe, expect, it } from "vitest";
import { ExtractError } from "../../src/errors.js";
import { extractBlocks, extractPage } from "../../src/extract/index.js";

const P1 =
  "The harbour authority voted on Tuesday to extend the night ferry service until the end of March, citing a rise in winter passengers.";
const P2 =
  "Councillors who opposed the extension said the operator had not yet published the safety review it promised last autumn, and asked for it before any further money is spent.";
const P3 =
  "The operator replied that the review is with an outside engineer and will be released in full once it has been checked for accuracy.";

function texts(html: string): string[] {
  return extractBlocks(html).map((block) => block.text);
}

function page(body: string, head = "<title>Ferry news</title>"): string {
  return `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
}

function teaser(n: number): string {
  return `<div class="card"><h3><a href="/story-${n}">Another harbour story number ${n} in brief</a></h3><p>A short summary of story ${n}, written to make you click through.</p></div>`;
}

describe("class and id rules never empty the page", () => {
  it("keeps a Blogger post whose container carries the widget class, and drops the sidebar widgets", () => {
    const html = page(`
      <div class="column-center"><div class="widget Blog" id="Blog1">
        <div class="post"><p>${P1}</p><p>${P2}</p><p>${P3}</p></div>
      </div></div>
      <div class="column-right">
        <div class="widget Label"><h2>Labels</h2><ul><li><a href="/l/1">ferries</a></li><li><a href="/l/2">council</a></li></ul></div>
        <div class="widget HTML"><p>Follow this blog by email for updates.</p></div>
        <div class="widget BlogArchive"><h2>Blog archive</h2><ul>${Array.from(
          { length: 40 },
          (_, i) => `<li><a href="/${2000 + i}">Posts from the year ${2000 + i}</a> (${i + 3})</li>`,
        ).join("")}</ul></div>
      </div>`);

    expect(texts(html)).toEqual([P1, P2, P3]);
  });

  it("reads an Elementor page whose every text block sits in an elementor-widget wrapper", () => {
    const section = (text: string) =>
      `<div class="elementor-element elementor-widget elementor-widget-text-editor"><div class="elementor-widget-container"><p>${text}</p></div></div>`;
    const html = page(`
      <div class="elementor elementor-12"><div class="elementor-section">
        <div class="elementor-widget elementor-widget-heading"><h2 class="elementor-heading-title">Terms of use</h2></div>
        ${section(P1)}${section(P2)}${section(P3)}
      </div></div>`);

    expect(texts(html)).toEqual(["Terms of use", P1, P2, P3]);
  });

  it("keeps a section whose id is a heading slug containing a furniture word", () => {
    const html = page(`
      <div class="document">
        <div class="section" id="sharing-changes-with-other-people"><h2>Sharing changes with other people</h2><p>${P1}</p></div>
        <div class="section" id="starting-out"><h2>Starting out</h2><p>${P2}</p></div>
      </div>`);

    expect(texts(html)).toEqual(["Sharing changes with other people", P1, "Starting out", P2]);
  });

  it("keeps an embedded social post inside the article and drops its share bar", () => {
    const html = page(`
      <article>
        <p>${P1}</p>
        <div class="social-embed"><blockquote><p>Ferry crews were told of the change only this morning, one union rep wrote.</p></blockquote></div>
        <div class="social-share"><a href="/s/fb">Share</a> <a href="/s/x">Post</a></div>
        <p>${P2}</p>
      </article>`);

    expect(texts(html)).toEqual([
      P1,
      "Ferry crews were told of the change only this morning, one union rep wrote.",
      P2,
    ]);
  });
});

describe("candidates are chosen by prose and position, not size", () => {
  it("does not empty a body-only page whose wrapper also holds a long archive link list", () => {
    const archive = Array.from(
      { length: 60 },
      (_, i) => `<li><a href="/archive/${i}">Archive for month number ${i} of the blog</a></li>`,
    ).join("");
    const html = page(`<div id="wrap"><p>${P1}</p><p>${P2}</p><ul class="archive">${archive}</ul></div>`);

    expect(texts(html)).toEqual([P1, P2]);
  });

  it("prefers the real post to a larger <article> that is a list of other posts' teasers", () => {
    const html = page(`
      <article class="post-list">${[1, 2, 3, 4, 5, 6, 7, 8].map(teaser).join("")}</article>
      <article class="post"><h2>Night ferry kept running</h2><p>${P1}</p><p>${P2}</p></article>`);

    expect(texts(html)).toEqual(["Night ferry kept running", P1, P2]);
  });

  it("reads the first story of a page that loads the next one below it, even when the next is longer", () => {
    const next = `<article><h2>Next: bridge tolls to rise</h2><p>${P2}</p><p>${P3}</p><p>${P2} Again.</p></article>`;
    const html = page(`<article><h2>Night ferry kept running</h2><p>${P1}</p><p>${P3}</p></article>${next}`);

    expect(texts(html)).toEqual(["Night ferry kept running", P1, P3]);
  });

  it("does not append a 'Recent articles' grid that shares the article's class", () => {
    const html = page(`
      <div id="main">
        <div class="entry"><p>${P1}</p><p>${P2}</p><p>${P3}</p></div>
        <div class="entry"><h2>Recent articles</h2>${[1, 2, 3, 4].map(teaser).join("")}</div>
      </div>`);

    expect(texts(html)).toEqual([P1, P2, P3]);
  });

  it("falls back to the teasers when a page is nothing but teasers (a section front)", () => {
    const html = page(`<main>${[1, 2, 3].map(teaser).join("")}</main>`);

    const blocks = texts(html);

    expect(blocks).toEqual(
      [1, 2, 3].flatMap((n) => [
        `Another harbour story number ${n} in brief`,
        `A short summary of story ${n}, written to make you click through.`,
      ]),
    );
  });

  it("drops a video player's settings inside the story", () => {
    const labels = [
      "Auto",
      "High",
      "Medium",
      "Low",
      "Captions",
      "Off",
      "English",
      "Size",
      "Aa",
      "Font",
      "Arial",
      "Georgia",
      "Opacity",
    ];
    const html = page(`
      <article><p>${P1}</p>
        <div class="player"><div class="settings">${labels.map((label) => `<div>${label}</div>`).join("")}</div></div>
        <p>${P2}</p></article>`);

    expect(texts(html)).toEqual([P1, P2]);
  });

  it("keeps a short-celled data table and a numbered list that a control rule would otherwise take", () => {
    const rows = Array.from({ length: 8 }, (_, i) => `<tr><td>Pier ${i + 1}</td><td>${i * 3}</td></tr>`).join(
      "",
    );
    const html = page(`<article><p>${P1}</p><table>${rows}</table><p>${P2}</p></article>`);

    expect(texts(html)).toEqual([P1, ...Array.from({ length: 8 }, (_, i) => `Pier ${i + 1} | ${i * 3}`), P2]);
  });
});

describe("repeated and decorative blocks", () => {
  it("drops a 'Read more' paragraph that is all link and the author box, keeping a paragraph with a link in it", () => {
    const html = page(`
      <article>
        <div class="author-box"><p>Written by a reporter who covers the harbour</p></div>
        <p>${P1}</p>
        <p>Read more: <a href="/ferry-history">How the night ferry began in the first place</a></p>
        <p>The council's <a href="/minutes">minutes of the meeting</a> record a vote of seven to four in favour of the extension.</p>
      </article>`);

    expect(texts(html)).toEqual([
      P1,
      "The council's minutes of the meeting record a vote of seven to four in favour of the extension.",
    ]);
  });

  it("counts a repeated caption once and drops gallery counters and ad labels", () => {
    const slide = (n: number) =>
      `<figure><figcaption>Photo: Harbour Authority</figcaption></figure><p>Image ${n} of 3</p>`;
    const html = page(
      `<article><p>${P1}</p>${slide(1)}${slide(2)}${slide(3)}<p>Advertisement</p><p>${P2}</p></article>`,
    );

    expect(texts(html)).toEqual([P1, "Photo: Harbour Authority", P2]);
  });

  it("drops the outlet's calls to share or follow it and a byline's reading time, saying why", () => {
    const html = page(
      `<article>
        <p class="meta">Harbour Gazette staff · 5 May 2026 · 3 min read</p>
        <p>${P1}</p>
        <p>Share this article: Facebook · X · WhatsApp</p>
        <p>${P2}</p>
        <p>Facebook · Telegram · Email</p>
        <p>Follow us on Instagram for more harbour news.</p>
        <p>Folgen Sie uns auf Telegram.</p>
        <p>Sign up for our newsletter</p>
      </article>`,
    );

    const result = extractPage(html, {}, true);

    expect(result.blocks.map((block) => block.text)).toEqual([P1, P2]);
    expect(result.removed.map((removal) => removal.reason)).toEqual([
      "reading time",
      "social prompt",
      "social prompt",
      "social prompt",
      "social prompt",
      "social prompt",
    ]);
  });

  it("keeps clauses and sentences that only mention sharing, a network or a reading time", () => {
    const kept = [
      "Share your location with Instagram only if you agree to it.",
      "Sign up requires an email address.",
      "Follow the signs to the ferry terminal.",
      "The review, a 40 min read, is online.",
      "Subscribers may cancel in the app.",
    ];
    const html = page(`<article><p>${P1}</p>${kept.map((text) => `<p>${text}</p>`).join("")}</article>`);

    expect(texts(html)).toEqual([P1, ...kept]);
  });

  it("keeps a long paragraph that repeats, and a repeated sentence seen only twice", () => {
    const html = page(`<article><p>${P1}</p><p>${P3}</p><p>${P1}</p><p>${P3}</p></article>`);

    expect(texts(html)).toEqual([P1, P3, P1, P3]);
  });

  it("leaves the headline, subtitle and paywall notice out around a short text, keeping the title", () => {
    const html = page(
      `<article>
        <h1>Night ferry to run until March</h1>
        <p class="subtitle">The harbour authority overruled its own councillors</p>
        <p>${P1}</p>
        <div class="paywall-notice"><p>Subscribe to keep reading this story and every other one.</p></div>
      </article>`,
      "<title>Night ferry to run until March | Harbour Gazette</title>",
    );

    const result = extractPage(html, {}, true);

    expect(result.title).toBe("Night ferry to run until March");
    expect(result.blocks.map((block) => block.text)).toEqual([P1]);
    expect(result.removed.map((removal) => [removal.reason, removal.rule ?? ""])).toEqual([
      ["boilerplate", 'class/id "subtitle"'],
      ["boilerplate", 'class/id "paywall"'],
      ["headline", ""],
    ]);
  });
});

describe("select is read as it stands", () => {
  it("keeps the headline, repeats and counters inside selected content", () => {
    const html = page(
      `<div id="doc"><h1>Ferry rules</h1><p>Reserved</p><p>Reserved</p><p>1 of 2</p></div><p>${P1}</p>`,
      "<title>Ferry rules</title>",
    );

    expect(extractBlocks(html, { select: "#doc" }).map((block) => block.text)).toEqual([
      "Ferry rules",
      "Reserved",
      "Reserved",
      "1 of 2",
    ]);
  });
});

describe("a long story keeps its standfirst", () => {
  it("reads the standfirst of a story long enough not to be a teaser", () => {
    const html = page(`<article><p class="standfirst">Councillors lost the vote but won a review.</p>
      <p>${P1}</p><p>${P2}</p><p>${P3}</p><p>${P1} Once more.</p><p>${P2} Once more.</p><p>${P3} Once more.</p><p>${P1} Last.</p></article>`);

    expect(texts(html)[0]).toBe("Councillors lost the vote but won a review.");
  });
});

describe("nothing readable", () => {
  it("throws an ExtractError naming the source when only furniture is left", () => {
    const html = page(
      `<nav><a href="/">Home</a> <a href="/news">News</a></nav><footer>All rights reserved</footer>`,
    );

    const act = () => extractBlocks(html, { source: "harbour-gazette" });

    expect(act).toThrow(ExtractError);
    expect(act).toThrow(
      'harbour-gazette: no readable text found (its 5 words were all left out as navigation, ads or other furniture; text starts "Home News All rights reserved")',
    );
  });

  it("throws when select matches only elements without text", () => {
    const act = () =>
      extractBlocks(page(`<div id="plan"> </div><p>${P1}</p>`), { select: "#plan", source: "s1" });

    expect(act).toThrow('s1: no readable text found (select "#plan" matched only elements without text)');
  });
});
