import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runImportCommand } from "../../src/cli/history-commands.js";
import type { Config } from "../../src/config/index.js";
import { InputError, LockedError } from "../../src/errors.js";
import { EXTRACTOR_VERSION } from "../../src/extract/index.js";
import { buildExport, type ExportDocument, versionDocument } from "../../src/history/export.js";
import { type ImportFile, importCopies } from "../../src/history/import.js";
import { createLineage, readLineage } from "../../src/lineage/index.js";
import { openFsStore } from "../../src/store/index.js";
import { configYaml, makeWorkspace, PLAN_DIR, type Workspace } from "../worker/support.js";
import { buildPlanStore } from "./plan-store.js";

const SOURCES = [{ id: "wire", url: "http://127.0.0.1:9/wire/plan.txt" }];

async function exportOf(config: Config): Promise<ExportDocument> {
  const store = await openFsStore(config.storageDir, { lock: false });
  try {
    const plan = config.plans[0];
    if (!plan) throw new Error("test config has no plan");
    return await buildExport(store, plan, { now: () => new Date(0) });
  } finally {
    await store.close();
  }
}

/** Imports into the workspace's store with the worker's lineage, as the CLI does. */
async function importInto(workspace: Workspace, config: Config, sourceId: string, files: ImportFile[]) {
  const ctx = await workspace.context(config);
  try {
    const lineage = createLineage(
      config.storageDir,
      config.lineage,
      async (id) => (await ctx.store.getSnapshot(id)).clauseSet,
    );
    return await importCopies({ ...ctx, lineage }, "peace-plan", sourceId, files);
  } finally {
    await ctx.store.close();
  }
}

function comparable(document: ExportDocument) {
  return {
    versions: document.versions.map((version) => ({
      version: version.version,
      parent: version.parent,
      fingerprint: version.fingerprint,
    })),
    clauses: document.versions.map((version) =>
      document.clauses
        .filter((clause) => clause.version === version.version)
        .map((clause) => `${clause.key} ${clause.fingerprint}`),
    ),
    changes: document.changes,
  };
}

describe("import", () => {
  let workspace: Workspace;
  let files: string;

  beforeEach(async () => {
    workspace = await makeWorkspace();
    files = await mkdtemp(join(tmpdir(), "clausewatch-import-"));
  });

  afterEach(async () => {
    await workspace.cleanup();
    await rm(files, { recursive: true, force: true });
  });

  it("round-trips: an export's versions imported into a fresh store export the same timeline", async () => {
    const original = await buildPlanStore();
    let before: ExportDocument;
    try {
      before = await exportOf(original.config);
    } finally {
      await original.cleanup();
    }
    const archive: ImportFile[] = [];
    for (const version of before.versions) {
      const path = join(files, `${version.version}.txt`);
      await writeFile(path, versionDocument(before, version.version));
      archive.push({ path, at: version.firstSeen, url: version.url });
    }
    const config = workspace.config({ sources: SOURCES });

    const imported = await importInto(workspace, config, "archive", archive.reverse());

    const after = await exportOf(config);
    expect(imported.map((copy) => [copy.relation, copy.version])).toEqual([
      ["new-version", "v1"],
      ["new-version", "v2"],
      ["new-version", "v3"],
    ]);
    expect(after.versions).toHaveLength(before.versions.length);
    expect(comparable(after)).toEqual(comparable(before));
    expect(after.versions.map((version) => version.firstSeen)).toEqual(
      before.versions.map((version) => version.firstSeen),
    );
    expect(after.versions.map((version) => version.url)).toEqual(
      before.versions.map((version) => version.url),
    );
  }, 30_000);

  it("records each copy with its provenance: file: URL, the file's time, status 200, the raw body and extractor", async () => {
    const path = join(files, "saved.txt");
    await writeFile(path, await readFile(join(PLAN_DIR, "v1-draft.txt")));
    await utimes(path, new Date("2025-11-19T12:00:00Z"), new Date("2025-11-19T12:00:00Z"));
    const config = workspace.config({ sources: SOURCES });

    const [copy] = await importInto(workspace, config, "archive", [{ path }]);

    const store = await openFsStore(config.storageDir, { lock: false });
    const snapshot = await store.getSnapshot(copy?.snapshotId ?? "");
    const body = await store.getBody(snapshot.bodyHash);
    const events = await store.readEvents("archive");
    await store.close();
    const bytes = await readFile(path);
    expect(snapshot).toMatchObject({
      sourceId: "archive",
      url: pathToFileURL(path).href,
      finalUrl: pathToFileURL(path).href,
      status: 200,
      fetchedAt: "2025-11-19T12:00:00.000Z",
      extractorVersion: EXTRACTOR_VERSION,
      bodyHash: createHash("sha256").update(bytes).digest("hex"),
    });
    expect(body.equals(bytes)).toBe(true);
    expect(events.some((event) => event.type === "imported" && event.file === path)).toBe(true);
    const lineage = await readLineage(config.storageDir, "peace-plan");
    expect(lineage[0]).toMatchObject({ type: "version", id: "v1", firstSeen: "2025-11-19T12:00:00.000Z" });
  });

  it("orders copies by their given times, and a repeated import adds nothing", async () => {
    for (const name of ["v1-draft.txt", "v2-amnesty.txt"]) {
      await writeFile(join(files, name), await readFile(join(PLAN_DIR, name)));
    }
    const archive: ImportFile[] = [
      { path: join(files, "v2-amnesty.txt"), at: "2025-11-21T00:00:00Z" },
      { path: join(files, "v1-draft.txt"), at: "2025-11-20T00:00:00Z" },
    ];
    const config = workspace.config({ sources: SOURCES });

    const first = await importInto(workspace, config, "archive", archive);
    const lineageAfterFirst = await readLineage(config.storageDir, "peace-plan");
    const second = await importInto(workspace, config, "archive", archive);

    expect(first.map((copy) => [copy.path.endsWith("v1-draft.txt"), copy.version])).toEqual([
      [true, "v1"],
      [false, "v2"],
    ]);
    expect(second.map((copy) => copy.status)).toEqual(["already-imported", "already-imported"]);
    expect(await readLineage(config.storageDir, "peace-plan")).toEqual(lineageAfterFirst);
  });

  it("reads saved HTML pages through the extractor", async () => {
    const path = join(files, "page.html");
    await writeFile(path, await readFile(join(PLAN_DIR, "article.html")));
    const config = workspace.config({ sources: SOURCES });

    const [copy] = await importInto(workspace, config, "archive", [{ path, at: "2025-11-21T00:00:00Z" }]);

    const store = await openFsStore(config.storageDir, { lock: false });
    const snapshot = await store.getSnapshot(copy?.snapshotId ?? "");
    await store.close();
    expect(snapshot.clauseSet.clauses.length).toBeGreaterThan(20);
    expect(copy?.version).toBe("v1");
  });

  it("refuses a coverage source, another plan's source, a bad source id, an unreadable time and a missing file", async () => {
    const path = join(files, "v1.txt");
    await writeFile(path, await readFile(join(PLAN_DIR, "v1-draft.txt")));
    const config = workspace.config({
      sources: [...SOURCES, { id: "news", url: "http://127.0.0.1:9/news", role: "coverage" }],
    });

    const elsewhere: Config = {
      ...config,
      plans: [...config.plans, { id: "other", title: "Other" }],
      sources: config.sources.map((source) => ({ ...source, plan: "other" })),
    };
    const attempts: Array<[Config, string, ImportFile]> = [
      [config, "news", { path }],
      [elsewhere, "wire", { path }],
      [config, "Bad id!", { path }],
      [config, "archive", { path, at: "last tuesday" }],
      [config, "archive", { path: join(files, "missing.txt") }],
    ];

    const errors: unknown[] = [];
    for (const [which, sourceId, file] of attempts) {
      errors.push(await importInto(workspace, which, sourceId, [file]).catch((error: unknown) => error));
    }

    expect(errors.map((error) => error instanceof InputError)).toEqual([true, true, true, true, true]);
    expect(await readLineage(config.storageDir, "peace-plan")).toEqual([]);
  });

  it("takes the store lock, so it refuses to write while a worker holds the store", async () => {
    const path = join(files, "v1.txt");
    await writeFile(path, await readFile(join(PLAN_DIR, "v1-draft.txt")));
    await writeFile(workspace.configFile, configYaml({ sources: SOURCES }));
    const worker = await openFsStore(workspace.storeDir);

    const attempt = runImportCommand("peace-plan", [path], {
      config: workspace.configFile,
      source: "archive",
    });

    await expect(attempt).rejects.toBeInstanceOf(LockedError);
    await worker.close();
    expect(await readLineage(workspace.storeDir, "peace-plan")).toEqual([]);
  });
});
