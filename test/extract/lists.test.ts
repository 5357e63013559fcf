import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractBlocks } from "../../src/extract/index.js";

function items(html: string) {
  return extractBlocks(html)
    .filter((block) => block.kind === "item")
    .map(({ text, level, list, marker }) => ({ text, level, list, marker }));
}

describe("list markers", () => {
  it("numbers an ordered list from 1 and bullets an unordered one", () => {
    const html = "<ol><li>One</li><li>Two</li></ol><ul><li>Apple</li><li>Pear</li></ul>";

    const result = items(html);

    expect(result).toEqual([
      { text: "One", level: 1, list: 1, marker: "1." },
      { text: "Two", level: 1, list: 1, marker: "2." },
      { text: "Apple", level: 1, list: 2, marker: "•" },
      { text: "Pear", level: 1, list: 2, marker: "•" },
    ]);
  });

  it("honours start, and a value attribute renumbers the items after it", () => {
    const html = '<ol start="4"><li>a</li><li>b</li><li value="10">c</li><li>d</li></ol>';

    const markers = items(html).map((item) => item.marker);

    expect(markers).toEqual(["4.", "5.", "10.", "11."]);
  });

  it("renders lettered and roman types in the case the type attribute asks for", () => {
    const html = [
      '<ol type="a"><li>x</li><li>y</li></ol>',
      '<ol type="A" start="26"><li>x</li><li>y</li></ol>',
      '<ol type="i" start="3"><li>x</li><li>y</li></ol>',
      '<ol type="I" start="9"><li>x</li><li>y</li></ol>',
      '<ol><li type="a">x</li><li>y</li></ol>',
    ].join("");

    const markers = items(html).map((item) => item.marker);

    expect(markers).toEqual(["a.", "b.", "Z.", "AA.", "iii.", "iv.", "IX.", "X.", "a.", "2."]);
  });

  it("counts down a reversed list from its item count, or from start", () => {
    const html =
      '<ol reversed><li>a</li><li>b</li><li>c</li></ol><ol reversed start="10"><li>a</li><li>b</li></ol>';

    const markers = items(html).map((item) => item.marker);

    expect(markers).toEqual(["3.", "2.", "1.", "10.", "9."]);
  });

  it("follows an inline list-style-type and leaves the marker out for list-style none", () => {
    const html =
      '<ol style="list-style-type: upper-roman"><li>a</li></ol><ol style="list-style: none"><li>plain</li></ol>';

    const result = items(html);

    expect(result.map((item) => item.marker)).toEqual(["I.", undefined]);
  });

  it("counts an empty item in the numbering without emitting a block for it", () => {
    const html = "<ol><li>first</li><li> </li><li>third</li></ol>";

    const result = items(html);

    expect(result.map((item) => [item.marker, item.text])).toEqual([
      ["1.", "first"],
      ["3.", "third"],
    ]);
  });
});

describe("nested lists", () => {
  it("gives an item its own text only, then its sub-items one level deeper in their own list", () => {
    const html = `
      <ol>
        <li>Terms of the guarantee:
          <ul><li>paid for by the recipient;</li><li>void if <em>either</em> side attacks.</li></ul>
        </li>
        <li>Second point
          <ol type="a"><li>deeper
            <ol type="i"><li>deepest</li></ol>
          </li></ol>
        </li>
      </ol>`;

    const result = items(html);

    expect(result).toEqual([
      { text: "Terms of the guarantee:", level: 1, list: 1, marker: "1." },
      { text: "paid for by the recipient;", level: 2, list: 2, marker: "•" },
      { text: "void if either side attacks.", level: 2, list: 2, marker: "•" },
      { text: "Second point", level: 1, list: 1, marker: "2." },
      { text: "deeper", level: 2, list: 3, marker: "a." },
      { text: "deepest", level: 3, list: 4, marker: "i." },
    ]);
  });

  it("joins the paragraphs of one item into its text", () => {
    const html = "<ul><li><p>First paragraph.</p><p>Second paragraph.</p></li></ul>";

    const result = items(html);

    expect(result.map((item) => item.text)).toEqual(["First paragraph. Second paragraph."]);
  });
});

describe("superscripts in an item's text", () => {
  it("leaves footnote markers out, so a marker never joins the figure it follows", () => {
    const html =
      '<ol><li>Troops are capped at 600,000<sup><a href="#fn1">1</a></sup> personnel.</li>' +
      "<li>Monitors report monthly<sup>2</sup>.</li><li>Aid resumes<sup>[a]</sup> in May.</li></ol>";

    expect(items(html).map((item) => item.text)).toEqual([
      "Troops are capped at 600,000 personnel.",
      "Monitors report monthly.",
      "Aid resumes in May.",
    ]);
  });

  it("keeps a power as superscript digits, apart from the figure it raises", () => {
    const html =
      "<ol><li>The zone spans 10<sup>3</sup> metres.</li><li>Its area is 4 km<sup>2</sup>.</li></ol>";

    expect(items(html).map((item) => item.text)).toEqual([
      "The zone spans 10³ metres.",
      "Its area is 4 km².",
    ]);
  });
});

describe("list styles from the page's stylesheet", () => {
  it("styles a list by its class, a counter drawing the marker beating list-style-type", () => {
    const html =
      '<style>ol.steps{list-style-type:none}.steps>li:before{content:counter(s,lower-roman) ". "}' +
      "ol.parts { list-style-type: upper-alpha }</style>" +
      '<ol class="steps"><li>Stop.</li><li>Look.</li></ol><ol class="parts"><li>First.</li><li>Second.</li></ol>';

    expect(items(html).map((item) => item.marker)).toEqual(["i.", "ii.", "A.", "B."]);
  });

  it("reads a Google Docs export's flat lists as the levels their classes name, numbered on across them", () => {
    const html = readFileSync(
      new URL("../fixtures/documents/google-docs-export.html", import.meta.url),
      "utf8",
    );

    const result = items(html).map(({ level, list, marker }) => `${level} ${list} ${marker}`);

    expect(result).toEqual([
      "1 1 1.",
      "1 1 2.",
      "2 2 a.",
      "2 2 b.",
      "3 3 i.",
      "2 2 c.",
      "1 1 3.",
      "1 1 4.",
      "2 4 a.",
      "2 4 b.",
    ]);
  });
});

describe("a class rule that hides the markers", () => {
  it("keeps the list's own style: the markers are drawn some other way", () => {
    const html =
      '<style>ol.plain { list-style: none }</style><ol class="plain"><li>First.</li><li>Second.</li></ol>';

    expect(items(html).map((item) => item.marker)).toEqual(["1.", "2."]);
  });
});
