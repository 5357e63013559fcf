import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readClauseSet } from "../../src/document.js";
import {
  buildExport,
  clauseText,
  type ExportDocument,
  exportCsv,
  exportJsonl,
  formatExport,
  versionDocument,
} from "../../src/history/export.js";
import { openFsStore } from "../../src/store/index.js";
import { PLAN_DIR } from "../worker/support.js";
import { buildPlanStore, type PlanStore } from "./plan-store.js";

/** A strict RFC 4180 reader: the test's own, so the writer is checked against the standard, not itself. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      if (field !== "") throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 1;
    } else if (char === "\n" || char === "\r") {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else {
      field += char;
    }
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (field !== "" || row.length > 0) throw new Error("last record lacks its CRLF");
  return rows;
}

function handmade(texts: string[]): ExportDocument {
  return {
    schema: "clausewatch.export/1",
    generatedAt: "2025-11-24T00:00:00.000Z",
    plan: { id: "p", title: "P" },
    versions: [],
    clauses: texts.map((text, index) => ({
      version: "v1",
      position: index + 1,
      key: String(index + 1),
      printed: `${index + 1}.`,
      kind: "numbered" as const,
      depth: 0,
      text,
      fingerprint: `f${index}`,
    })),
    changes: [],
  };
}

describe("export", () => {
  let plan: PlanStore;
  let document: ExportDocument;

  beforeAll(async () => {
    plan = await buildPlanStore();
    const store = await openFsStore(plan.config.storageDir, { lock: false });
    const planConfig = plan.config.plans[0];
    if (!planConfig) throw new Error("test config has no plan");
    document = await buildExport(store, planConfig, {
      now: () => new Date("2025-11-24T00:00:00Z"),
    });
    await store.close();
  }, 30_000);

  afterAll(async () => {
    await plan?.cleanup();
  });

  it("lists each version once, oldest first, with a row per clause carrying its text and fingerprint", () => {
    const versions = document.versions.map((version) => version.version);
    const rows = document.clauses.filter((clause) => clause.version === "v2");
    const point26 = rows.find((clause) => clause.key === "26");

    expect(document.schema).toBe("clausewatch.export/1");
    expect(versions).toEqual(["v1", "v2", "v3"]);
    expect(document.clauses).toHaveLength(
      document.versions.reduce((sum, version) => sum + version.clauses, 0),
    );
    expect(rows.map((clause) => clause.position)).toEqual(rows.map((_, index) => index + 1));
    expect(point26?.printed).toBe("26.");
    expect(point26?.text).toMatch(/amnesty/);
    expect(point26?.fingerprint).toMatch(/^[0-9a-f]+$/);
  });

  it("cites each version: the first copy's snapshot, body sha256, URLs, fetch time, source and every witness", async () => {
    const v1 = document.versions[0];
    const body = await readFile(join(PLAN_DIR, "v1-draft.txt"));

    expect(v1?.sourceId).toBe("wire");
    expect(v1?.snapshotId).toMatch(/^[0-9a-f]{16}$/);
    expect(v1?.bodySha256).toBe(createHash("sha256").update(body).digest("hex"));
    expect(v1?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/wire\/plan\.txt$/);
    expect(v1?.finalUrl).toBe(v1?.url);
    expect(v1?.status).toBe(200);
    expect(Number.isNaN(Date.parse(v1?.fetchedAt ?? ""))).toBe(false);
    expect(v1?.firstSeen).toBe("2025-11-20T08:00:00.000Z");
    expect(v1?.witnesses.map((witness) => witness.sourceId).sort()).toEqual(["eu", "wire"]);
    expect(document.versions[1]?.parent).toBe("v1");
  });

  it("lists the changes between consecutive versions with kind, keys, severity and flags", () => {
    const rewrite = document.changes.find(
      (change) => change.from === "v1" && change.to === "v2" && change.newKeys.includes("26"),
    );

    expect(rewrite).toMatchObject({ kind: "modified", oldKeys: ["26"], severity: "substantive" });
    expect(rewrite?.flags.map((flag) => flag.type)).toContain("terms");
    expect(document.changes.every((change) => change.kind !== "unchanged")).toBe(true);
    expect(document.changes.some((change) => change.from === "v2" && change.to === "v3")).toBe(true);
  });

  it("writes JSON Lines with one typed record per version, clause and change after a header", () => {
    const lines = exportJsonl(document).trimEnd().split("\n");
    const records = lines.map((line) => JSON.parse(line) as { type: string });

    expect(lines).toHaveLength(
      1 + document.versions.length + document.clauses.length + document.changes.length,
    );
    expect(records[0]).toMatchObject({ type: "export", schema: "clausewatch.export/1" });
    expect(records.filter((record) => record.type === "clause")).toHaveLength(document.clauses.length);
    expect(records.filter((record) => record.type === "change")).toHaveLength(document.changes.length);
  });

  it("writes a version's text so that it parses back to the same clauses, sub-items included", () => {
    for (const version of document.versions) {
      const text = versionDocument(document, version.version);

      const parsed = readClauseSet(text, { source: `${version.version}.txt` });

      const exported = document.clauses.filter((clause) => clause.version === version.version);
      expect(parsed.clauses.map((clause) => [clause.key, clause.fingerprint])).toEqual(
        exported.map((clause) => [clause.key, clause.fingerprint]),
      );
    }
  });

  it("exports each sub-item as a clause of its own, under its point", () => {
    const set = readClauseSet("1. Terms:\n— first;\n— second.\n2. Other.\n", { source: "t.txt" });

    expect(set.clauses.map((clause) => [clause.key, clauseText(clause), clause.parent ?? null])).toEqual([
      ["1", "Terms:", null],
      ["1 •1", "first;", "1"],
      ["1 •2", "second.", "1"],
      ["2", "Other.", null],
    ]);
  });

  it("quotes CSV fields with commas, quotes and line breaks so a strict RFC 4180 reader gets them back", () => {
    const texts = ['600,000 "troops"', "line one\nline two", "plain", 'ends with "', "cr\r\nlf", ""];

    const csv = exportCsv(handmade(texts));

    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([
      "version",
      "first_seen",
      "snapshot_id",
      "position",
      "path",
      "parent",
      "depth",
      "kind",
      "context",
      "printed",
      "text",
      "fingerprint",
    ]);
    expect(rows.slice(1).map((row) => row[10])).toEqual(texts);
    expect(rows.slice(1).every((row) => row.length === 12)).toBe(true);
  });

  it("writes the real plan as CSV tables of clauses, changes and versions that parse back row for row", () => {
    const clauses = parseCsv(exportCsv(document, "clauses"));
    const changes = parseCsv(exportCsv(document, "changes"));
    const versions = parseCsv(exportCsv(document, "versions"));

    expect(clauses).toHaveLength(document.clauses.length + 1);
    expect(clauses.slice(1).map((row) => row[10])).toEqual(document.clauses.map((clause) => clause.text));
    expect(changes[0]?.slice(0, 6)).toEqual(["from", "to", "kind", "old_keys", "new_keys", "severity"]);
    expect(changes).toHaveLength(document.changes.length + 1);
    const flags = changes.slice(1).map((row) => (row[8] ? JSON.parse(row[8]) : []));
    expect(flags).toEqual(document.changes.map((change) => change.flags));
    expect(versions.slice(1).map((row) => row[7])).toEqual(
      document.versions.map((version) => version.bodySha256),
    );
  });

  it("serializes the JSON document whole and parseable", () => {
    const json = formatExport(document, "json");

    expect(JSON.parse(json)).toEqual(document);
  });
});
