import { InputError } from "../errors.js";
import { detectFormat } from "../format.js";
import type { TextBlock } from "../types.js";
import { loadInput } from "./input.js";

export interface ExtractCommandOptions {
  format: "text" | "json" | "markdown";
  select?: string;
  ignore?: string[];
}

/** `clausewatch extract`: the main text of a page as the clause engine reads it; exit 0, or 2 (thrown) when nothing is readable. */
export async function runExtractCommand(spec: string, options: ExtractCommandOptions): Promise<number> {
  const loaded = await loadInput(spec);
  if (typeof loaded.body !== "string") {
    throw new InputError(`${loaded.source}: a PDF or Word file; read its clauses with clausewatch clauses`, {
      source: loaded.source,
    });
  }
  const input = { ...loaded, body: loaded.body };
  const { extractPage, textToBlocks } = await import("../extract/index.js");
  const html =
    detectFormat(input.body, {
      source: input.source,
      ...(input.contentType ? { contentType: input.contentType } : {}),
    }) === "html";
  const page = html
    ? extractPage(
        input.body,
        {
          source: input.source,
          ...(options.select ? { select: options.select } : {}),
          ...(options.ignore ? { ignore: options.ignore } : {}),
        },
        options.format !== "text",
      )
    : { blocks: textToBlocks(input.body), removed: [] };
  if (options.format === "json") {
    // What was set aside is listed in `removed` already; the outline's warnings judge it.
    const { blocks, removed, setAside: _setAside, ...about } = page;
    process.stdout.write(
      `${JSON.stringify({ schema: "clausewatch.extract/1", source: input.source, ...about, blocks, removed }, null, 2)}\n`,
    );
  } else if (options.format === "markdown") {
    process.stdout.write(renderMarkdown(page));
  } else {
    process.stdout.write(renderText(page.blocks));
  }
  return 0;
}

function itemLead(block: TextBlock): string {
  return `${"  ".repeat(Math.max(0, (block.level ?? 1) - 1))}${block.marker ?? "-"} `;
}

/** One block a paragraph: items with their marker, indented by nesting. */
function renderText(blocks: TextBlock[]): string {
  return `${blocks
    .map((block) => (block.kind === "item" ? `${itemLead(block)}${block.text}` : block.text))
    .join("\n\n")}\n`;
}

function renderMarkdown(page: {
  title?: string;
  byline?: string;
  date?: string;
  blocks: TextBlock[];
}): string {
  const lines: string[] = [];
  if (page.title !== undefined) lines.push(`# ${page.title}`);
  const about = [page.byline, page.date].filter((part) => part !== undefined).join(" · ");
  if (about !== "") lines.push(`_${about}_`);
  for (const block of page.blocks) {
    if (block.kind === "heading")
      lines.push(`${"#".repeat(Math.min(6, (block.level ?? 1) + 1))} ${block.text}`);
    else if (block.kind === "pre") lines.push(`\`\`\`\n${block.text}\n\`\`\``);
    else if (block.kind === "item") lines.push(`${itemLead(block).replace("•", "-")}${block.text}`);
    else lines.push(block.text);
  }
  return `${lines.join("\n\n")}\n`;
}
