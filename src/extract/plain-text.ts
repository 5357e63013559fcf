/** Plain text in the same block shape as HTML: the fallback for pages too deeply nested to walk. */
import type { TextBlock } from "../types.js";
import { tidy } from "./dom.js";

function splitLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split("\n");
}

/** One paragraph block per non-empty line; the clause parser joins wrapped lines itself. */
export function textToBlocks(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const line of splitLines(text)) {
    const cleaned = tidy(line);
    if (cleaned !== "") blocks.push({ kind: "paragraph", text: cleaned });
  }
  return blocks;
}
