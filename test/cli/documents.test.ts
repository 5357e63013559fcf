import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const documents = fileURLToPath(new URL("../fixtures/documents/", import.meta.url));
const plan = fileURLToPath(new URL("../fixtures/plan/", import.meta.url));

describe("clausewatch diff on PDF and Word files", () => {
  it("compares a PDF with a Word version and reports point 26 rewritten (exit 1)", async () => {
    const result = await runCli([
      "diff",
      `${documents}plan-v1.pdf`,
      `${documents}plan-v2.docx`,
      "--format",
      "json",
    ]);
    const diff = JSON.parse(result.stdout) as {
      old: { clauses: number };
      summary: Record<string, number>;
      entries: { kind: string; new: string[] }[];
    };

    expect(result.status).toBe(1);
    expect(diff.summary.unchanged).toBe(diff.old.clauses - 1);
    expect(diff.entries.filter((entry) => entry.kind === "modified").map((entry) => entry.new)).toEqual([
      ["26"],
    ]);
  });

  it("finds only the PDF's footnote between a two-column PDF and the text it was printed from", async () => {
    const result = await runCli([
      "diff",
      `${plan}v2-amnesty.txt`,
      `${documents}plan-v2-columns.pdf`,
      "--format",
      "json",
    ]);
    const diff = JSON.parse(result.stdout) as {
      entries: Array<{ kind: string; severity: string; new: string[] }>;
    };

    expect(result.status).toBe(1);
    expect(
      diff.entries
        .filter((entry) => entry.severity !== "none")
        .map((entry) => [entry.kind, entry.new, entry.severity]),
    ).toEqual([["added", ["13 ¶1"], "minor"]]);
  });

  it("exits 2 naming a scanned PDF that has no text layer", async () => {
    const result = await runCli(["diff", `${documents}scanned.pdf`, `${plan}v1-draft.txt`]);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `${documents}scanned.pdf: the PDF has no text layer (2 pages of images, a scan?); run it through OCR first`,
    );
  });
});
