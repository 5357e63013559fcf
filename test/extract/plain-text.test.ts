import { describe, expect, it } from "vitest";
import { textToBlocks } from "../../src/extract/index.js";

describe("textToBlocks", () => {
  it("makes one paragraph per non-empty line, keeping wrapped lines apart", () => {
    const text = "\uFEFF1. First point that\r\n   wraps here\r\n\r\n2.  Second\u00A0point\t\n   \n";

    const blocks = textToBlocks(text);

    expect(blocks).toEqual([
      { kind: "paragraph", text: "1. First point that" },
      { kind: "paragraph", text: "wraps here" },
      { kind: "paragraph", text: "2. Second\u00A0point" },
    ]);
  });
});
