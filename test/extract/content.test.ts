import { describe, expect, it } from "vitest";
import { ExtractError } from "../../src/errors.js";
import { extractBlocks, extractDocument } from "../../src/extract/index.js";

const LONG =
  "The negotiators met again on Thursday, and officials said the text under discussion had changed in several places since the first draft.";

function texts(html: string, options?: Parameters<typeof extractBlocks>[1]): string[] {
  return extractBlocks(html, options).map((block) => block.text);
}

function page(body: string): string {
  return `<!doctype html><html><head><title>T</title><style>p{color:red}</style></head><body>${body}</body></html>`;
}

describe("main content and boilerplate", () => {
  it("reads a fact box of the story's points in an aside inside the article, but no aside of links, offers or outside the story", () => {
    const points = [
      "Kyiv keeps its sovereignty, confirmed by every signatory.",
      "The sides sign a pact of non-aggression covering the whole region.",
      "An independent audit reviews all aid delivered during the war.",
    ];
    const html = page(`
      <aside><ul><li>Outside the story, first entry</li><li>Outside the story, second entry</li><li>Outside the story, third entry</li></ul></aside>
      <article>
        <h1>What the draft says</h1><p>${LONG}</p>
        <aside class="factbox"><h2>The main points</h2><script>var note = "Outside the story";</script><ol>${points.map((point) => `<li>${point}</li>`).join("")}</ol></aside>
        <p>${LONG}</p>
        <aside><ul><li><a href="/a">Other story</a></li><li><a href="/b">Another story</a></li><li><a href="/c">A third story</a></li></ul></aside>
        <aside><ul><li>Read today's issue</li><li>Browse the pages</li><li>Subscribe from 8 a month</li></ul></aside>
      </article>`);

    const read = texts(html);

    for (const point of points) expect(read).toContain(point);
    expect(read).toContain("The main points");
    expect(read.join(" ")).not.toMatch(/Outside the story|Other story|Subscribe from/);
  });

  it("keeps both parts of a list interrupted by a promo box and drops the promo", () => {
    const html = page(`
      <article>
        <h1>The plan</h1><p>${LONG}</p>
        <ol><li>First point of the plan.</li><li>Second point of the plan.</li></ol>
        <div class="promo-box"><p>Subscribe now for unlimited access</p><ol><li>Offer one</li></ol></div>
        <ol start="13"><li>Thirteenth point of the plan.</li><li>Fourteenth point of the plan.</li></ol>
        <p>${LONG}</p>
      </article>`);

    const blocks = extractBlocks(html);

    const items = blocks
      .filter((block) => block.kind === "item")
      .map((block) => `${block.marker} ${block.text}`);
    expect(items).toEqual([
      "1. First point of the plan.",
      "2. Second point of the plan.",
      "13. Thirteenth point of the plan.",
      "14. Fourteenth point of the plan.",
    ]);
    expect(blocks.some((block) => block.text.includes("Subscribe"))).toBe(false);
  });

  it("drops a most-read aside list and a sidebar div, keeping the article beside them", () => {
    const html = page(`
      <div class="layout">
        <aside><h2>Most read</h2><ol><li>Celebrity news story</li><li>Football transfer story</li></ol></aside>
        <div class="content"><p>${LONG}</p><ol><li>Real point one.</li><li>Real point two.</li></ol><p>${LONG}</p></div>
        <div class="sidebar"><ol><li>Sidebar headline</li></ol></div>
        <div class="most-read"><p>Another popular story</p></div>
      </div>`);

    const result = texts(html);

    expect(result).toEqual([LONG, "Real point one.", "Real point two.", LONG]);
  });

  it("leaves out nav, header nav, footer, script, forms, buttons and hidden elements", () => {
    const html = page(`
      <header><nav><a href="/">Home</a><a href="/world">World</a></nav><h1>Headline stays</h1></header>
      <main>
        <p>${LONG}</p>
        <script>document.write("script text")</script><noscript>Enable JavaScript</noscript>
        <p hidden>Hidden by attribute</p><p style="color: red; display: none">Hidden by style</p>
        <p aria-hidden="true">Hidden from assistive tech</p><button>Click me</button>
        <form><input value="x"><label>Search the site</label></form>
        <p>${LONG} Again.</p>
      </main>
      <footer>Copyright footer</footer>`);

    const result = texts(html);

    expect(result).toEqual([LONG, `${LONG} Again.`]);
  });

  it("matches boilerplate class words whole, so a shadow or header-image class is not an ad", () => {
    const html = page(`
      <main>
        <div class="shadow-box"><p>${LONG}</p></div>
        <div class="header-image"><p>Caption of the header image.</p></div>
        <div class="ad-slot"><p>Buy this product today</p></div>
        <div id="newsletter_signup"><p>Get our newsletter</p></div>
      </main>`);

    const result = texts(html, { select: "main" });

    expect(result).toEqual([LONG, "Caption of the header image."]);
  });

  it("picks the scored content container when the page declares none", () => {
    const html = page(`
      <div id="top"><a href="/a">Section A</a> <a href="/b">Section B</a></div>
      <div id="wrap">
        <div class="story-text"><p>${LONG}</p><p>${LONG} More.</p><p>${LONG} Still more.</p></div>
        <div class="links"><a href="/1">Link one here</a> <a href="/2">Link two here</a></div>
      </div>`);

    const result = texts(html);

    expect(result).toEqual([LONG, `${LONG} More.`, `${LONG} Still more.`]);
  });

  it.each(["section", "div"])(
    "reads both of a short page's two %s sections, not the first one alone",
    (tag) => {
      const html = page(
        `<main><h1>Rules</h1><${tag}><h2>1. Members</h2><p>Members must be sixteen or older to join the club.</p></${tag}><${tag}><h2>2. Fees</h2><p>Fees are due on the first day of every month.</p></${tag}></main>`,
      );

      expect(texts(html)).toEqual([
        "Rules",
        "1. Members",
        "Members must be sixteen or older to join the club.",
        "2. Fees",
        "Fees are due on the first day of every month.",
      ]);
    },
  );

  it("splits a paragraph at <br> so each printed line is its own block", () => {
    const html = page("<p><b>1.</b> First line<br>2. Second line<br><br>3. Third&nbsp;line</p>");

    const result = texts(html);

    expect(result).toEqual(["1. First line", "2. Second line", "3. Third\u00A0line"]);
  });

  it("reads table rows as paragraphs with cells joined by a bar", () => {
    const html = page(
      "<table><caption>Changes</caption><tr><th>Point</th><th>Old</th><th>New</th></tr><tr><td>6</td><td>600,000</td><td>800,000</td></tr></table>",
    );

    const result = texts(html);

    expect(result).toEqual(["Changes", "Point | Old | New", "6 | 600,000 | 800,000"]);
  });

  it("keeps headings with their level, preformatted line breaks and collapses other whitespace", () => {
    const html = page(
      "<h2>  Section\n  two </h2><pre>\nline one\n  line two  \n</pre><div>Direct   text\n here</div>",
    );

    const blocks = extractBlocks(html);

    expect(blocks).toEqual([
      { kind: "heading", text: "Section two", level: 2 },
      { kind: "pre", text: "line one\n  line two" },
      { kind: "paragraph", text: "Direct text here" },
    ]);
  });

  it("throws an ExtractError naming the source for an empty document and repairs broken markup", () => {
    const broken = "<div><p>Unclosed <b>bold <ol><li>item one<li>item two</div></span></table>";

    const empty = () => extractBlocks("", { source: "blank-page" });
    const repaired = texts(broken);

    expect(empty).toThrow(ExtractError);
    expect(empty).toThrow("blank-page: no readable text found (the page has no visible text)");
    expect(repaired).toEqual(["Unclosed bold", "item one", "item two"]);
  });
});

describe("select and ignore", () => {
  const html = page(`
    <div id="intro"><p>Intro text</p></div>
    <div class="plan"><p>Plan part one</p><div class="share">Share this</div></div>
    <p>Between</p>
    <div class="plan"><p>Plan part two</p><p class="note">Editor's note</p></div>`);

  it("extracts every match of select in document order, still without boilerplate inside", () => {
    const result = texts(html, { select: ".plan" });

    expect(result).toEqual(["Plan part one", "Plan part two", "Editor's note"]);
  });

  it("removes ignored elements before selecting", () => {
    const result = texts(html, { select: ".plan", ignore: [".note", "#nothing-here"] });

    expect(result).toEqual(["Plan part one", "Plan part two"]);
  });

  it("keeps a selected element even inside an aside", () => {
    const result = texts(page("<aside><ol id='plan'><li>Kept point</li></ol></aside>"), { select: "#plan" });

    expect(result).toEqual(["Kept point"]);
  });

  it("throws an ExtractError naming the selector when select matches nothing", () => {
    const act = () => extractBlocks(html, { select: "#missing" });

    expect(act).toThrow(ExtractError);
    expect(act).toThrow('select "#missing" matched nothing');
  });

  it("treats a select that looks like HTML as a selector, never as markup to create", () => {
    const act = () => extractBlocks(html, { select: "<p>injected</p>" });

    expect(act).toThrow(ExtractError);
  });

  it("throws an ExtractError for a selector that is not valid CSS", () => {
    const act = () => extractBlocks(html, { ignore: ["div[["] });

    expect(act).toThrow(ExtractError);
  });
});

describe("extractDocument", () => {
  it("takes the title from og:title, then the first h1, then <title>", () => {
    const og = '<head><meta property="og:title" content="OG title"><title>Tab</title></head><h1>H1</h1>';
    const h1 = "<head><title>Tab</title></head><body><h1> Big\n headline </h1></body>";
    const title = "<head><title>Tab title</title></head><body><p>x</p></body>";

    const found = [og, h1, title, "<p>none</p>"].map((html) => extractDocument(html).title);

    expect(found).toEqual(["OG title", "Big headline", "Tab title", undefined]);
  });

  it("reads the title before ignore selectors remove anything, and the same blocks as extractBlocks", () => {
    const html =
      "<html><body><h1>Plan text</h1><ol><li>First point.</li><li>Second point.</li></ol></body></html>";

    const document = extractDocument(html, { ignore: ["h1"] });

    expect(document.title).toBe("Plan text");
    expect(document.blocks).toEqual(extractBlocks(html, { ignore: ["h1"] }));
  });
});
