import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { enqueueChanges } from "../../src/alert/index.js";
import { renderComparePage } from "../../src/history/pages.js";
import { openHistory } from "../../src/history/read.js";
import { runCycle } from "../../src/worker/cycle.js";
import type { SourceChange } from "../../src/worker/types.js";
import { makeWorkspace, type Site, startSite, type Workspace } from "./support.js";

const DOCUMENTS = fileURLToPath(new URL("../fixtures/documents/", import.meta.url));
const PDF = "application/pdf";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const document = (name: string) => readFile(`${DOCUMENTS}${name}`);

let ws: Workspace;
let site: Site;

beforeEach(async () => {
  ws = await makeWorkspace();
  site = await startSite();
});

afterEach(async () => {
  await site.close();
  await ws.cleanup();
});

describe("a draft published as a PDF over HTTP", () => {
  it("is stored with its raw bytes, 28 clauses and the page of each clause", async () => {
    const body = await document("plan-v1.pdf");
    site.set("/plan.pdf", { body, type: PDF });
    const ctx = await ws.context(ws.config({ sources: [{ id: "ministry", url: `${site.url}/plan.pdf` }] }));

    const report = await runCycle(ctx);
    const snapshot = await ctx.store.getSnapshot(report.outcomes[0]?.snapshotId ?? "");

    expect(report.outcomes[0]?.status).toBe("first-seen");
    expect(
      snapshot.clauseSet.clauses.filter((clause) => clause.depth === 0 && clause.kind === "numbered"),
    ).toHaveLength(28);
    expect(snapshot.clauseSet.clauses.find((clause) => clause.key === "26")?.page).toBe(5);
    expect(snapshot).toMatchObject({ contentType: PDF, charset: "binary" });
    expect(snapshot.bodyHash).toBe(createHash("sha256").update(body).digest("hex"));
    expect((await ctx.store.getBody(snapshot.bodyHash)).equals(body)).toBe(true);
  });

  it("reports point 26 rewritten when the next PDF version replaces the audit with an amnesty", async () => {
    site.set("/plan.pdf", { body: await document("plan-v1.pdf"), type: "application/octet-stream" });
    const ctx = await ws.context(ws.config({ sources: [{ id: "ministry", url: `${site.url}/plan.pdf` }] }));
    await runCycle(ctx);
    site.set("/plan.pdf", { body: await document("plan-v2.pdf"), type: "application/octet-stream" });

    const report = await runCycle(ctx);
    const change = report.outcomes[0]?.changes[0] as SourceChange;

    expect(report.outcomes[0]?.status).toBe("changed");
    expect(change.kind).toBe("content");
    expect(change.entries?.map((entry) => [entry.kind, entry.old, entry.new])).toEqual([
      ["modified", ["26"], ["26"]],
    ]);
    expect(change.headline).toContain("26");
  });

  it("says on which page the changed clause stands, in the alert and in the comparison page", async () => {
    site.set("/plan.pdf", { body: await document("plan-v1.pdf"), type: PDF });
    const ctx = await ws.context(ws.config({ sources: [{ id: "ministry", url: `${site.url}/plan.pdf` }] }));
    await runCycle(ctx);
    site.set("/plan.pdf", { body: await document("plan-v2.pdf"), type: PDF });
    const report = await runCycle(ctx);
    const change = report.outcomes[0]?.changes[0] as SourceChange;

    const [alert] = await enqueueChanges([change], {
      config: ctx.config,
      storageDir: ctx.config.storageDir,
      store: ctx.store,
    });
    const history = await openHistory({ config: ctx.config, store: ctx.store });
    const comparison = await history.compare(
      "peace-plan",
      change.fromSnapshot ?? "",
      change.toSnapshot ?? "",
    );
    const html = renderComparePage(comparison as NonNullable<typeof comparison>);

    expect(alert?.changes[0]).toMatchObject({
      headline: "Point 26 rewritten (audit → amnesty) (page 5)",
      page: { old: 5, new: 5 },
    });
    expect(html).toContain(`snapshot ${change.toSnapshot} · 26 · page 5</h4>`);
  });

  it("fails a scanned PDF on its own source, naming the file, stores nothing, and checks the others", async () => {
    site.set("/scan.pdf", { body: await document("scanned.pdf"), type: PDF });
    site.set("/plan.docx", { body: await document("plan-v2.docx"), type: DOCX });
    const ctx = await ws.context(
      ws.config({
        sources: [
          { id: "scan", url: `${site.url}/scan.pdf` },
          { id: "word", url: `${site.url}/plan.docx` },
        ],
      }),
    );

    const report = await runCycle(ctx);

    expect(report.outcomes.map((outcome) => outcome.status)).toEqual(["failed", "first-seen"]);
    expect(report.outcomes[0]?.error).toEqual({
      code: "E_EXTRACT",
      message: `scan: the PDF has no text layer (2 pages of images, a scan?); run it through OCR first (${site.url}/scan.pdf)`,
    });
    expect(await ctx.store.listSnapshots("scan")).toEqual([]);
    expect(
      (await ctx.store.getSnapshot(report.outcomes[1]?.snapshotId ?? "")).clauseSet.clauses.filter(
        (clause) => clause.depth === 0 && clause.kind === "numbered",
      ),
    ).toHaveLength(28);
  });
});

describe("documents read from file: sources", () => {
  it("reads a PDF and a Word file from disk like the same documents over HTTP", async () => {
    const ctx = await ws.context(
      ws.config({
        sources: [
          { id: "pdf-file", url: pathToFileURL(`${DOCUMENTS}plan-v2-columns.pdf`).href },
          { id: "word-file", url: pathToFileURL(`${DOCUMENTS}plan-v2.docx`).href },
        ],
      }),
    );

    const report = await runCycle(ctx);
    const sets = await Promise.all(
      report.outcomes.map(
        async (outcome) => (await ctx.store.getSnapshot(outcome.snapshotId ?? "")).clauseSet,
      ),
    );

    expect(report.outcomes.map((outcome) => outcome.status)).toEqual(["first-seen", "first-seen"]);
    // The same points; the footnote stands after its page in the PDF and after the text in Word.
    const points = (index: number) =>
      sets[index]?.clauses.filter((clause) => !clause.context).map((clause) => clause.fingerprint);
    expect(points(0)).toEqual(points(1));
  });

  it("refuses an encrypted PDF with a clear error and stores nothing", async () => {
    const ctx = await ws.context(
      ws.config({ sources: [{ id: "locked", url: pathToFileURL(`${DOCUMENTS}encrypted.pdf`).href }] }),
    );

    const report = await runCycle(ctx);

    expect(report.outcomes[0]?.error?.message).toContain(
      "locked: the PDF is encrypted and needs a password to open; clausewatch cannot read it",
    );
    expect(await ctx.store.listSnapshots("locked")).toEqual([]);
  });
});
