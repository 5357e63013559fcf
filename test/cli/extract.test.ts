import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ExtractJsonSchema } from "../../src/extract/schema.js";
import { runCli } from "../helpers/cli.js";
import { startServer } from "../helpers/http-server.js";

const article = fileURLToPath(new URL("../fixtures/plan/article.html", import.meta.url));

const PAGE = `<!doctype html><html><head><title>Pier report | Coast Daily</title></head><body>
  <nav><a href="/">Home</a> <a href="/local">Local</a></nav>
  <article><h1>Pier report</h1>
    <p>The pier will close for repairs from the first of May, the council said in a short statement on Friday.</p>
    <ol><li>Repairs start on 1 May.</li><li>The pier reopens in August.</li></ol>
    <div class="related"><a href="/a">An older pier story</a></div>
  </article><footer>Coast Daily, all rights reserved</footer></body></html>`;

describe("clausewatch extract", () => {
  it("prints the main text as the clause engine reads it, items with their markers", async () => {
    const result = await runCli(["extract", "-"], { input: PAGE });

    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      "The pier will close for repairs from the first of May, the council said in a short statement on Friday.\n\n" +
        "1. Repairs start on 1 May.\n\n2. The pier reopens in August.\n",
    );
  });

  it("writes JSON that satisfies the published contract, saying what was removed and why", async () => {
    const result = await runCli(["extract", "-", "--format", "json", "--ignore", "ol li:last-child"], {
      input: PAGE,
    });
    const parsed = ExtractJsonSchema.parse(JSON.parse(result.stdout));

    expect(parsed.title).toBe("Pier report");
    expect(parsed.blocks.map((block) => block.text)).toEqual([
      "The pier will close for repairs from the first of May, the council said in a short statement on Friday.",
      "Repairs start on 1 May.",
    ]);
    expect(
      parsed.removed.map((removal) => [
        removal.reason,
        removal.rule ?? "",
        removal.element ?? "",
        removal.text,
      ]),
    ).toEqual([
      ["ignore", "ol li:last-child", "li", "The pier reopens in August."],
      ["boilerplate", "<nav>", "nav", "Home Local"],
      ["boilerplate", 'class/id "related"', "div.related", "An older pier story"],
      ["boilerplate", "<footer>", "footer", "Coast Daily, all rights reserved"],
      ["headline", "", "", "Pier report"],
    ]);
  });

  it("prints Markdown with the title, headings and list markers", async () => {
    const result = await runCli(["extract", article, "--format", "markdown", "--select", "ol"]);

    expect(result.status).toBe(0);
    expect(
      result.stdout.startsWith(
        "# Inside the 28-point plan: what Washington is asking of Kyiv and Moscow\n\n_By Marta Kovalenko",
      ),
    ).toBe(true);
    expect(result.stdout).toContain(
      "\n\n1. All signatories will reaffirm Ukraine’s status as a sovereign, independent state.\n\n",
    );
    expect(result.stdout).toContain("\n\n  - ");
  });

  it("reads a URL and exits 2 with the source named when a page has no readable text", async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end("<html><body><nav><a href='/'>Home</a></nav></body></html>");
    });
    try {
      const result = await runCli(["extract", `${server.url}/empty`]);

      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        `clausewatch: ${server.url}/empty: no readable text found (its one word was left out as navigation, ads or other furniture; text starts "Home")\n`,
      );
    } finally {
      await server.close();
    }
  });
});
