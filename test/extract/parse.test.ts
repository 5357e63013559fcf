import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "cheerio";
import type { Document, Element } from "domhandler";
import { describe, expect, it } from "vitest";
import { extractDocument, extractPage, extractTree } from "../../src/extract/index.js";
import { flatText, MAX_DEPTH, MAX_PARSE_WORK, parseHtml } from "../../src/extract/parse.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function nested(depth: number, inner: string): string {
  return `${"<div>".repeat(depth)}${inner}${"</div>".repeat(depth)}`;
}

describe("bounded parsing", () => {
  it("reads 100,000 nested divs as flat text instead of building the tree", () => {
    const html = `<html><body><nav>Menu</nav>${nested(100_000, "Deep text at the bottom.")}</body></html>`;

    const page = extractPage(html);

    expect(page.flattened).toBe("depth");
    expect(page.blocks).toEqual([
      { kind: "paragraph", text: "Menu" },
      { kind: "paragraph", text: "Deep text at the bottom." },
    ]);
    expect(extractDocument(html).flattened).toBe("depth");
  });

  it("builds the tree up to the depth cap, so a deep but bounded page still loses its navigation", () => {
    const under = `<html><body><nav>Menu</nav>${nested(MAX_DEPTH - 10, "<p>Deep text at the bottom.</p>")}</body></html>`;
    const over = `<html><body><nav>Menu</nav>${nested(MAX_DEPTH + 10, "<p>Deep text at the bottom.</p>")}</body></html>`;

    const tree = extractPage(under);
    const flat = extractPage(over);

    expect(tree.flattened).toBeUndefined();
    expect(tree.blocks.map((block) => block.text)).toEqual(["Deep text at the bottom."]);
    expect(flat.flattened).toBe("depth");
    expect(flat.blocks.map((block) => block.text)).toEqual(["Menu", "Deep text at the bottom."]);
  });

  it("stops building when unmatched end tags would make the parser's work grow with depth × tags", () => {
    const closes = Math.ceil(MAX_PARSE_WORK / 400);
    const html = `${"<div>".repeat(450)}Held text${"</span>".repeat(closes)}`;

    const page = parseHtml(html);

    expect(page.kind).toBe("flat");
    expect(page.kind === "flat" ? [page.reason, page.text.trim()] : []).toEqual(["work", "Held text"]);
  });

  it("flattens markup in one pass: block edges become line breaks, scripts and styles vanish, entities decode", () => {
    const text = flatText(
      "<p>One&nbsp;&amp; two</p><script>var x = '<p>no</p>';</script><style>p{}</style><div>three<br>four</div>",
    );

    expect(text.split("\n").filter((line) => line !== "")).toEqual(["One\u00a0& two", "three", "four"]);
  });

  it("puts stray content before <body> and after </html> into the body, in order", () => {
    const page = parseHtml(
      "<title>T</title><p>before</p><html><body><p>inside</p></body></html><p>after</p>",
    );

    expect(page.kind).toBe("tree");
    const body = page.kind === "tree" ? page.body : undefined;
    expect(body?.children.map((node) => (node as Element).name ?? "#text")).toEqual(["title", "p", "p", "p"]);
    expect(
      extractPage("<p>before</p><html><body><p>inside</p></body></html><p>after</p>").blocks.map(
        (b) => b.text,
      ),
    ).toEqual(["before", "inside", "after"]);
  });
});

function parse5Tree(html: string): { document: Document; html: Element; body: Element } {
  const $ = load(html);
  return { document: $.root()[0] as Document, html: $("html")[0] as Element, body: $("body")[0] as Element };
}

async function htmlFixtures(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

describe("htmlparser2 reads pages as cheerio's parse5 path did", () => {
  it("gives the same blocks, title, byline and date for every HTML fixture and demo page", async () => {
    const files = [
      ...(await htmlFixtures(path.join(root, "test", "fixtures"))),
      ...(await htmlFixtures(path.join(root, "config", "demo"))),
    ];

    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const html = await readFile(file, "utf8");
      expect(extractPage(html), file).toEqual(extractTree(parse5Tree(html)));
    }
  });

  it("gives the same blocks for markup a browser repairs: implied ends, missing tbody, entities, no html or body", () => {
    const snippets = [
      "<p>one<p>two<ul><li>a<li>b</ul>",
      "<table><tr><td>6</td><td>600,000</td></tr><tr><td>7</td><td>700&#44;000</td></tr></table>",
      "<h2>Plan &amp; text</h2><p>caf&eacute; &copy; 2025 &hellip; done</p>",
      "<div><p>Unclosed <b>bold <ol><li>item one<li>item two</div></span></table>",
      "<body><p>First</p></body><p>After the body</p>",
      "<dl><dt>Term<dd>Meaning of the term</dl><pre>\n  line one\n  line two</pre>",
    ];

    for (const html of snippets) expect(extractPage(html), html).toEqual(extractTree(parse5Tree(html)));
  });
});
