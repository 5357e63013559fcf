import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildPdf } from "../../bench/pdf-builder.js";
import { diffClauses } from "../../src/diff/index.js";
import { readClauseSet, readDocument } from "../../src/document.js";
import { ExtractError } from "../../src/errors.js";
import { readBinaryDocument } from "../../src/read/index.js";
import { DEFAULT_DOCUMENT_LIMITS } from "../../src/read/types.js";
import type { ClauseSet } from "../../src/types.js";

const documents = new URL("../fixtures/documents/", import.meta.url);
const bytes = (name: string) => readFileSync(new URL(name, documents));
const textPlan = (name: string) =>
  readClauseSet(readFileSync(new URL(`../fixtures/plan/${name}`, import.meta.url), "utf8"), { source: name });
const pdfPlan = (name: string) => readDocument(bytes(name), { source: name });

/** The plan's 28 points (its top-level numbered clauses; sub-items are their children). */
function points(set: ClauseSet) {
  return set.clauses.filter((clause) => clause.depth === 0 && clause.kind === "numbered");
}

/** Clause by clause, what comparison sees: equal fingerprints mean the same wording. */
function fingerprints(set: ClauseSet): string[] {
  return set.clauses.map((clause) => `${clause.key}:${clause.fingerprint}`);
}

async function refusal(
  body: Uint8Array,
  source: string,
  limits = DEFAULT_DOCUMENT_LIMITS,
): Promise<ExtractError> {
  const error = await readDocument(body, { source, limits }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ExtractError);
  return error as ExtractError;
}

describe("a plan printed to PDF by Chromium (A5, running header and footer, hyphenation)", () => {
  it("reads the same 28 clauses, sub-items included, as the text it was printed from", async () => {
    const [pdf, text] = [await pdfPlan("plan-v1.pdf"), textPlan("v1-draft.txt")];

    expect(points(pdf)).toHaveLength(28);
    expect(fingerprints(pdf)).toEqual(fingerprints(text));
    expect(pdf.title).toBe("Draft peace framework — 28 points");
  });

  it("joins words broken at line ends and keeps the hyphens of compound words", async () => {
    const pdf = await pdfPlan("plan-v1.pdf");
    const clause = (key: string) => pdf.clauses.find((candidate) => candidate.key === key);

    expect(clause("3")?.text).toBe(
      "The parties expect Russia to refrain from attacking neighboring countries and NATO to halt any further enlargement.",
    );
    expect(clause("13 •2")?.text).toContain("long-term economic partnership");
    expect(clause("13 •2")?.text).toContain("Arctic rare-earth mining");
    expect(clause("14 •1")?.text).toContain("into US-led reconstruction");
    expect(clause("16")?.text).toBe(
      "Russia will adopt legislation committing it to non-aggression toward Ukraine and Europe.",
    );
  });

  it("drops the running header, the page footer and the page numbers", async () => {
    const { blocks } = await readBinaryDocument(
      "pdf",
      bytes("plan-v1.pdf"),
      "plan-v1.pdf",
      DEFAULT_DOCUMENT_LIMITS,
    );
    const all = blocks.map((block) => block.text).join("\n");

    expect(all).not.toContain("not for circulation");
    expect(all).not.toMatch(/Page \d of \d/);
    expect(blocks[0]).toEqual({
      kind: "heading",
      text: "Draft peace framework — 28 points",
      level: 1,
      page: 1,
    });
  });

  it("records the page each clause starts on", async () => {
    const pdf = await pdfPlan("plan-v1.pdf");

    expect(points(pdf).map((clause) => clause.page)).toEqual([
      ...Array(10).fill(1),
      ...Array(4).fill(2),
      ...Array(6).fill(3),
      ...Array(5).fill(4),
      ...Array(3).fill(5),
    ]);
  });

  it("reports point 26 rewritten from an aid audit to an amnesty between two PDF versions, nothing else", async () => {
    const result = diffClauses(await pdfPlan("plan-v1.pdf"), await pdfPlan("plan-v2.pdf"));
    const changed = result.entries.filter((entry) => entry.kind !== "unchanged");

    expect(result.summary.unchanged).toBe(result.new.clauses - 1);
    expect(changed.map((entry) => [entry.kind, entry.old, entry.new])).toEqual([
      ["modified", ["26"], ["26"]],
    ]);
    expect(changed[0]?.flags).toContainEqual(expect.objectContaining({ type: "rewrite" }));
    const terms = changed[0]?.flags?.find((flag) => flag.type === "terms");
    expect(terms).toMatchObject({
      removed: expect.arrayContaining(["audit"]),
      added: expect.arrayContaining(["amnesty"]),
    });
  });
});

describe("a plan printed in two columns with a footnote, in-page running header and folios", () => {
  it("reads the columns in order: the same 28 clauses as the text, and the footnote as a note of its point", async () => {
    const [pdf, text] = [await pdfPlan("plan-v2-columns.pdf"), textPlan("v2-amnesty.txt")];

    expect(fingerprints(pdf).filter((entry) => !entry.startsWith("13 ¶1:"))).toEqual(fingerprints(text));
    expect(pdf.clauses.find((clause) => clause.key === "13 ¶1")).toMatchObject({
      kind: "paragraph",
      context: true,
      text: "1 Counted as full-time personnel; reservists are not included.",
      page: 1,
    });
    expect(points(pdf).map((clause) => clause.page)).toEqual([...Array(13).fill(1), ...Array(14).fill(2), 3]);
  });

  it("puts the footnote after its page's text, apart from the clauses, and drops its marker from the clause", async () => {
    const { blocks } = await readBinaryDocument(
      "pdf",
      bytes("plan-v2-columns.pdf"),
      "columns",
      DEFAULT_DOCUMENT_LIMITS,
    );
    const note = blocks.findIndex((block) => block.footnote);

    expect(blocks[note]).toEqual({
      kind: "paragraph",
      text: "1 Counted as full-time personnel; reservists are not included.",
      page: 1,
      footnote: true,
    });
    expect(blocks[note - 1]?.text).toBe("— Russia will be offered a seat in the G8 again.");
    expect(blocks[note + 1]).toMatchObject({
      text: "14. Immobilized assets will be handled as follows:",
      page: 2,
    });
    expect(blocks.some((block) => /working text for the negotiating teams|^– \d –$/.test(block.text))).toBe(
      false,
    );
    expect(blocks.find((block) => block.text.startsWith("6."))?.text).toBe(
      "6. Ukraine will keep no more than 600,000 people in its armed forces.",
    );
  });

  it("compares the same points as unchanged with the single-column printing, the footnote as page text added", async () => {
    const result = diffClauses(await pdfPlan("plan-v2.pdf"), await pdfPlan("plan-v2-columns.pdf"));
    const other = result.entries.filter((entry) => entry.kind !== "unchanged");

    expect(result.summary.unchanged).toBe(result.old.clauses);
    expect(other.map((entry) => [entry.kind, entry.new, entry.severity, entry.context])).toEqual([
      ["added", ["13 ¶1"], "minor", true],
    ]);
  });
});

describe("a bill printed with its lines numbered in the margin", () => {
  it("takes the numbers off the lines, reads the sections as printed, and says what it left out", async () => {
    const set = await readDocument(bytes("bill-line-numbers.pdf"), { source: "bill.pdf" });
    expect(set.clauses.filter((clause) => clause.label !== null).map((clause) => clause.key)).toEqual([
      "Section 1",
      "Section 2",
      "Section 2(a)",
      "Section 2(b)",
      "Section 3",
      "Section 4",
    ]);
    expect(set.clauses.find((clause) => clause.key === "Section 2(a)")?.text).toBe(
      "ESTABLISHMENT.—Not later than 180 days after the date of enactment of this Act, the Administrator shall establish not fewer than 12 monitoring stations in each covered harbor.",
    );
    // No margin number is left in a clause's words.
    expect(set.clauses.map((clause) => clause.text).join(" ")).not.toMatch(/\b(?:this|the) \d{1,2} \p{L}/u);
    expect(set.warnings.find((warning) => warning.code === "line-numbers")?.message).toBe(
      "margin line numbers of 19 lines left out (a bill's or a pleading's numbered lines)",
    );
  });
});

describe("PDFs that cannot be read are refused with the file named", () => {
  it("a scan without a text layer", async () => {
    const error = await refusal(bytes("scanned.pdf"), "scanned.pdf");

    expect(error.message).toBe(
      "scanned.pdf: the PDF has no text layer (2 pages of images, a scan?); run it through OCR first",
    );
    expect(error.source).toBe("scanned.pdf");
  });

  it("an encrypted file that needs a password", async () => {
    const error = await refusal(bytes("encrypted.pdf"), "encrypted.pdf");

    expect(error.message).toBe(
      "encrypted.pdf: the PDF is encrypted and needs a password to open; clausewatch cannot read it",
    );
  });

  it("a truncated download", async () => {
    const whole = bytes("plan-v1.pdf");
    const error = await refusal(whole.subarray(0, Math.floor(whole.length / 2)), "cut.pdf");

    expect(error.message).toBe(
      `cut.pdf: the PDF is truncated (no %%EOF end marker in its last 1024 bytes; ${Math.floor(whole.length / 2)} bytes read)`,
    );
  });

  it("garbage between a PDF header and trailer", async () => {
    const broken = Buffer.concat([
      Buffer.from("%PDF-1.7\n"),
      Buffer.alloc(4000, "x"),
      Buffer.from("\n%%EOF\n"),
    ]);
    const error = await refusal(broken, "broken.pdf");

    expect(error.message).toMatch(/^broken\.pdf: not a readable PDF \(.+\)$/);
  });

  it("a page-count bomb, refused before any page is read", async () => {
    const bomb = buildPdf({ pages: 5000 });
    const error = await refusal(bomb, "bomb.pdf", { ...DEFAULT_DOCUMENT_LIMITS, maxPages: 1000 });

    expect(error.message).toBe(
      "bomb.pdf: the PDF has 5000 pages, more than documents.maxPages (1000); raise the limit if it is real",
    );
  });

  it("a stream that inflates beyond the memory limit", async () => {
    const bomb = buildPdf({ inflatedBytes: 400_000_000 });
    const error = await refusal(bomb, "inflate.pdf", { ...DEFAULT_DOCUMENT_LIMITS, maxMemoryMb: 96 });

    expect(error.message).toBe(
      "inflate.pdf: reading the PDF needed more memory than documents.maxMemoryMb (96 MiB)",
    );
  });

  it("a file that outlasts the deadline", async () => {
    const error = await refusal(bytes("plan-v1.pdf"), "slow.pdf", {
      ...DEFAULT_DOCUMENT_LIMITS,
      timeoutMs: 1,
    });

    expect(error.message).toBe("slow.pdf: reading the PDF took longer than documents.timeoutMs (1 ms)");
  });

  it("bytes declared as a PDF that are something else", async () => {
    const error = await refusal(Buffer.from("<html>Not found</html>"), "https://example.org/plan.pdf");

    expect(error.message).toBe(
      'https://example.org/plan.pdf: declared as PDF but the bytes are not one (they start "<html>Not found</html>")',
    );
  });
});
