import { readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { diffClauses } from "../../src/diff/index.js";
import { documentFormat, readClauseSet, readDocument } from "../../src/document.js";
import { ExtractError } from "../../src/errors.js";
import { readBinaryDocument } from "../../src/read/index.js";
import { DEFAULT_DOCUMENT_LIMITS } from "../../src/read/types.js";

const documents = new URL("../fixtures/documents/", import.meta.url);
const bytes = (name: string) => readFileSync(new URL(name, documents));
const textPlan = (name: string) =>
  readClauseSet(readFileSync(new URL(`../fixtures/plan/${name}`, import.meta.url), "utf8"), { source: name });

async function refusal(body: Uint8Array, source: string): Promise<string> {
  const error = await readDocument(body, { source }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ExtractError);
  return (error as ExtractError).message;
}

/** A one-entry zip (stored with deflate), enough to look like a Word file from the outside. */
function zipWith(name: string, content: Buffer): Buffer {
  const data = deflateRawSync(content);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(8, 8);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(content.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, Buffer.from(name), data]);
}

describe("a plan written as a Word document with automatic numbering", () => {
  it("reads the same 28 clauses, em-dash sub-items included, as the text it was written from", async () => {
    const [word, text] = [
      await readDocument(bytes("plan-v1.docx"), { source: "plan-v1.docx" }),
      textPlan("v1-draft.txt"),
    ];

    expect(word.clauses.filter((clause) => clause.depth === 0 && clause.kind === "numbered")).toHaveLength(
      28,
    );
    expect(word.clauses.filter((clause) => !clause.context).map((clause) => clause.fingerprint)).toEqual(
      text.clauses.filter((clause) => !clause.context).map((clause) => clause.fingerprint),
    );
    // The Word file's footnote comes after the text, as a note apart from the points.
    const notes = word.clauses.filter((clause) => clause.context && clause.kind !== "title");
    expect(notes.map((clause) => clause.text)).toEqual([
      "1 Counted as full-time personnel; reservists are not included.",
    ]);
    expect(word.title).toBe("Draft peace framework — 28 points");
  });

  it("keeps Word's headings, numbered and bulleted paragraphs as blocks, without footnote markers", async () => {
    const { blocks } = await readBinaryDocument(
      "docx",
      bytes("plan-v2.docx"),
      "plan-v2.docx",
      DEFAULT_DOCUMENT_LIMITS,
    );

    expect(blocks[0]).toEqual({ kind: "heading", text: "Draft peace framework — 28 points", level: 1 });
    expect(blocks[6]).toEqual({
      kind: "item",
      text: "Ukraine will keep no more than 600,000 people in its armed forces.",
      level: 1,
      list: 1,
      marker: "6.",
    });
    expect(blocks.filter((block) => block.kind === "item" && block.level === 2)).toHaveLength(27);
    expect(blocks[blocks.length - 1]).toEqual({
      kind: "paragraph",
      text: "1 Counted as full-time personnel; reservists are not included.",
    });
    expect(blocks.some((block) => block.text.includes("not for circulation"))).toBe(false);
  });

  it("reports point 26 rewritten to an amnesty between two Word versions", async () => {
    const result = diffClauses(
      await readDocument(bytes("plan-v1.docx"), { source: "v1" }),
      await readDocument(bytes("plan-v2.docx"), { source: "v2" }),
    );

    expect(result.summary.unchanged).toBe(result.new.clauses - 1);
    expect(result.entries.filter((entry) => entry.kind !== "unchanged").map((entry) => entry.new)).toEqual([
      ["26"],
    ]);
  });

  it("is recognised by its bytes whatever its name or declared type", () => {
    const docx = bytes("plan-v1.docx");

    expect(documentFormat(docx, { source: "download", contentType: "application/octet-stream" })).toBe(
      "docx",
    );
    expect(documentFormat(bytes("plan-v1.pdf"), { source: "plan.docx", contentType: "text/html" })).toBe(
      "pdf",
    );
    expect(documentFormat(Buffer.from("1. First.\n2. Second.\n"), { source: "plan.txt" })).toBe("text");
  });
});

describe("Word files that cannot be read are refused with the file named", () => {
  it("a zip that names word/document.xml but holds no Word document", async () => {
    const message = await refusal(zipWith("word/document.xml", Buffer.from("<not-word/>")), "fake.docx");

    expect(message).toMatch(/^fake\.docx: not a readable Word document \(.+\)$/);
  });

  it("a truncated Word file", async () => {
    const whole = bytes("plan-v1.docx");
    const message = await refusal(whole.subarray(0, 4000), "cut.docx");

    expect(message).toMatch(/^cut\.docx: not a readable Word document \(.+\)$/);
  });

  it("a legacy .doc file", async () => {
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(512),
    ]);

    expect(await refusal(ole, "old.doc")).toBe(
      "old.doc: a legacy Word (.doc) or other OLE file; save it as .docx or PDF to have it read",
    );
  });

  it("other binary data", async () => {
    expect(await refusal(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), "image.bin")).toBe(
      'image.bin: not a text, PDF or Word document (binary data starting "\u0089PNG\u0000\u0000\u0000")',
    );
  });
});
