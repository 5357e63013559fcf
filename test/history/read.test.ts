import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderComparePage } from "../../src/history/pages.js";
import { type History, openHistory } from "../../src/history/read.js";
import { escapeHtml } from "../../src/html.js";
import { acquireLock } from "../../src/store/index.js";
import { type BuiltStore, buildPlanStore, PLAN_ID } from "./support.js";

let built: BuiltStore;
let history: History;

beforeAll(async () => {
  built = await buildPlanStore();
  history = await openHistory({ config: built.config });
});

afterAll(async () => {
  await history?.close();
  await built?.cleanup();
});

describe("the history read model", () => {
  it("reads beside a writer that holds the store lock", async () => {
    const lock = await acquireLock(built.config.storageDir);

    const beside = await openHistory({ config: built.config });
    const plans = await beside.plans();
    await beside.close();
    await lock.release();

    expect(plans.map((plan) => plan.versions)).toEqual([3]);
  });

  it("counts each version's changed clauses from its parent and gives its first copy's provenance", async () => {
    const plan = await history.plan(PLAN_ID);

    expect(plan?.versions.map((version) => [version.id, version.parent, version.changes])).toEqual([
      ["v1", undefined, 0],
      ["v2", "v1", 1],
      ["v3", "v2", 20],
    ]);
    const v2 = plan?.versions[1];
    expect(v2?.provenance?.snapshotId).toBe(v2?.snapshotId);
    expect(v2?.provenance?.url).toMatch(/\/wire$/);
  });

  it("marks variants from coverage as reported, apart from fetched versions", async () => {
    const plan = await history.plan(PLAN_ID);

    expect(plan?.reported).toHaveLength(1);
    expect(plan?.reported[0]?.reported).toBe(true);
    expect(plan?.versions.every((version) => !("reported" in version))).toBe(true);
  });

  it("compares a version with a snapshot and says which version the snapshot carries", async () => {
    const wire = await history.source("wire");
    const firstWireCopy = wire?.snapshots[0]?.snapshotId ?? "";

    const comparison = await history.compare(PLAN_ID, firstWireCopy, "v3");

    expect(comparison?.from.version).toBe("v1");
    expect(comparison?.from.sourceId).toBe("wire");
    expect(comparison?.diff.summary.removed).toBe(6);
  });

  it("answers undefined for what does not exist, instead of throwing", async () => {
    const answers = await Promise.all([
      history.plan("nope"),
      history.compare(PLAN_ID, "v1", "v7"),
      history.compare(PLAN_ID, "v1", "not-a-ref"),
      history.compare("nope", "v1", "v2"),
      history.clause(PLAN_ID, "404"),
      history.clause(PLAN_ID, "26", { version: "v9" }),
      history.source("nope"),
      history.snapshotBody("wire", "0123456789abcdef"),
      history.body("../../etc/passwd"),
    ]);

    expect(answers).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("follows point 26 backwards from its renumbered key in a later version", async () => {
    const timeline = await history.clause(PLAN_ID, "23", { version: "v3" });

    expect(timeline?.versions.map((row) => row.key)).toEqual(["26", "26", "23"]);
    expect(timeline?.versions[2]?.redline?.some((op) => op.op === "insert" && op.text === "may")).toBe(true);
    expect(timeline?.reported).toHaveLength(1);
  });

  it("reads point 23 of the first version as that clause, not as the renumbered point 26", async () => {
    const timeline = await history.clause(PLAN_ID, "23");

    expect(timeline?.anchor).toBe("v1");
    expect(timeline?.versions[0]?.key).toBe("23");
    expect(timeline?.versions[2]?.key).not.toBe("23");
  });

  it("returns a snapshot's raw body only under its own source, byte for byte", async () => {
    const wire = await history.source("wire");
    const snapshot = wire?.snapshots[1];

    const found = await history.snapshotBody("wire", snapshot?.snapshotId ?? "");
    const elsewhere = await history.snapshotBody("council", snapshot?.snapshotId ?? "");

    expect(found?.body.toString("utf8")).toContain("full amnesty");
    expect(found?.snapshot.bodyHash).toBe(snapshot?.bodyHash);
    expect(elsewhere).toBeUndefined();
  });

  it("tolerates a coverage log whose last line was torn by a crash", async () => {
    const path = join(built.config.storageDir, "plans", PLAN_ID, "coverage.jsonl");
    const before = await readFile(path, "utf8");
    await writeFile(path, `${before}{"type":"mention","planId`);

    const plan = await history.plan(PLAN_ID);
    await writeFile(path, before);

    expect(plan?.reported).toHaveLength(1);
  });

  it("never writes to the store", async () => {
    const listing = async () => (await readdir(built.config.storageDir, { recursive: true })).sort();
    const before = await listing();

    await history.plans();
    await history.plan(PLAN_ID);
    await history.compare(PLAN_ID, "v1", "v3");
    await history.clause(PLAN_ID, "26");
    await history.source("wire");
    await history.metrics();

    expect(await listing()).toEqual(before);
  });
});

describe("the comparison page", () => {
  it("escapes scraped text, collapses unchanged points and shows renumbering only in a summary", async () => {
    const comparison = await history.compare(PLAN_ID, "v2", "v3");
    if (!comparison) throw new Error("no comparison");

    const html = renderComparePage(comparison, undefined, { title: "Plan <b>x</b>" });

    expect(html).toContain("Plan &lt;b&gt;x&lt;/b&gt;: v2 → v3");
    expect(html).toMatch(/<details><summary>35 points renumbered, wording unchanged<\/summary>/);
    expect(html).toMatch(/<details><summary>2 unchanged points<\/summary>/);
    expect(html).toContain("<del>600,000</del><ins>800,000</ins>");
    expect(escapeHtml(`<img src=x onerror="a">'`)).toBe("&lt;img src=x onerror=&quot;a&quot;&gt;&#39;");
  });
});
