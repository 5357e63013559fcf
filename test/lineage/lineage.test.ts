import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { diffClauses } from "../../src/diff/index.js";
import { readClauseSet } from "../../src/document.js";
import {
  createLineage,
  DEFAULT_LINEAGE_RULES,
  judgeCopy,
  type Lineage,
  readLineage,
  textFingerprint,
} from "../../src/lineage/index.js";
import type { ClauseSet } from "../../src/types.js";

const fixture = async (name: string) =>
  readClauseSet(await readFile(new URL(`../fixtures/plan/${name}`, import.meta.url), "utf8"), {
    source: name,
  });

describe("judgeCopy", () => {
  it.each([
    ["v2-cosmetic.txt", { relation: "witness" }],
    ["v2-paraphrased.txt", { relation: "divergent", reason: "paraphrase" }],
    ["counter.txt", { relation: "new-version" }],
    ["revision.txt", { relation: "new-version" }],
    ["v1-draft.txt", { relation: "new-version" }],
  ])("judges %s against v2", async (name, expected) => {
    const judgement = judgeCopy(
      diffClauses(await fixture("v2-amnesty.txt"), await fixture(name)),
      DEFAULT_LINEAGE_RULES,
    );

    expect(judgement).toMatchObject(expected);
  });

  it("calls a copy that lost its last points a partial copy, naming the missing ones", async () => {
    const full = await fixture("v2-amnesty.txt");
    const cut = full.clauses.findIndex((clause) => clause.key === "25");
    const truncated: ClauseSet = { ...full, clauses: full.clauses.slice(0, cut) };

    const judgement = judgeCopy(diffClauses(full, truncated), DEFAULT_LINEAGE_RULES);

    expect(judgement).toEqual({
      relation: "divergent",
      reason: "truncated",
      departures: ["25", "26", "27", "28"],
      explanation: "partial copy of the same version: 4 points missing (25, 26, 27, 28)",
    });
  });

  it("calls a copy with a numbering gap a partial witness, not a removal of those points", async () => {
    const full = await fixture("v2-amnesty.txt");
    const text = (await readFile(new URL("../fixtures/plan/v2-amnesty.txt", import.meta.url), "utf8"))
      .split("\n")
      .filter(
        (line) =>
          !/^1[1-5]\. /.test(line) &&
          !/^— (an international|a Ukraine Development|a US–Ukrainian|joint work|investment in|mining of|a dedicated|sanctions will|Washington and Moscow will sign|Russia will be offered|\$100 billion|Europe will add|the balance)/.test(
            line,
          ),
      )
      .join("\n");
    const partial = readClauseSet(text, { source: "partial.txt" });

    const judgement = judgeCopy(diffClauses(full, partial), DEFAULT_LINEAGE_RULES);

    expect(partial.warnings.map((warning) => warning.message)).toEqual([
      "points 11–15 missing (after 10): partial copy?",
    ]);
    expect(judgement).toMatchObject({
      relation: "divergent",
      reason: "truncated",
      departures: ["11", "12", "13", "14", "15"],
    });
  });

  it("follows the configured share for paraphrases", async () => {
    const diff = diffClauses(await fixture("v2-amnesty.txt"), await fixture("v2-paraphrased.txt"));

    expect(judgeCopy(diff, { divergentShare: 1.01 }).relation).toBe("new-version");
  });

  it("judges the same way whichever copy came first", async () => {
    const clean = await fixture("v2-amnesty.txt");
    const paraphrased = await fixture("v2-paraphrased.txt");
    const counter = await fixture("counter.txt");

    expect(judgeCopy(diffClauses(clean, paraphrased), DEFAULT_LINEAGE_RULES).relation).toBe("divergent");
    expect(judgeCopy(diffClauses(paraphrased, clean), DEFAULT_LINEAGE_RULES).relation).toBe("divergent");
    expect(judgeCopy(diffClauses(clean, counter), DEFAULT_LINEAGE_RULES).relation).toBe("new-version");
    expect(judgeCopy(diffClauses(paraphrased, counter), DEFAULT_LINEAGE_RULES).relation).toBe("new-version");
  });

  it("explains a new version by what changed in meaning", async () => {
    const judgement = judgeCopy(
      diffClauses(await fixture("v2-amnesty.txt"), await fixture("counter.txt")),
      DEFAULT_LINEAGE_RULES,
    );

    expect(judgement.explanation).toMatch(
      /^new version: 3 figures changed, 3 points and 3 sub-items removed, 1 point added/,
    );
  });
});

describe("createLineage", () => {
  let dir: string;
  let lineage: Lineage;
  const texts = new Map<string, ClauseSet>();
  const at = (minute: number) => `2025-11-20T10:${String(minute).padStart(2, "0")}:00.000Z`;
  const see = async (sourceId: string, snapshotId: string, name: string, minute = 0) => {
    const clauseSet = await fixture(name);
    texts.set(snapshotId, clauseSet);
    return lineage.observe("peace-plan", { sourceId, snapshotId, clauseSet, at: at(minute) });
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "clausewatch-lineage-"));
    lineage = createLineage(dir, DEFAULT_LINEAGE_RULES, async (id) => texts.get(id) as ClauseSet);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("makes the first copy v1 and later equal copies its witnesses, whatever their typography", async () => {
    const first = await see("wire", "s1", "v2-amnesty.txt");
    const second = await see("outlet", "s2", "article.html", 1);
    const third = await see("desk", "s3", "v2-cosmetic.txt", 2);

    expect(first).toMatchObject({ relation: "new-version", version: { id: "v1" } });
    expect(second).toMatchObject({ relation: "witness", version: { id: "v1" } });
    expect(third).toMatchObject({ relation: "witness", version: { id: "v1" } });
  });

  it("records a new version once, with the closest earlier version as parent and the diff from it", async () => {
    await see("wire", "s1", "v1-draft.txt");
    const amnesty = await see("wire", "s2", "v2-amnesty.txt", 1);
    const again = await see("outlet", "s3", "v2-amnesty.txt", 2);
    const counter = await see("eu", "s4", "counter.txt", 3);

    expect(amnesty).toMatchObject({ relation: "new-version", version: { id: "v2", parent: "v1" } });
    expect(amnesty.diff?.entries.find((entry) => entry.kind === "modified")?.old).toEqual(["26"]);
    expect(again).toMatchObject({ relation: "witness", version: { id: "v2" } });
    expect(counter).toMatchObject({ relation: "new-version", version: { id: "v3", parent: "v2" } });
    const records = await readLineage(dir, "peace-plan");
    expect(records.filter((record) => record.type === "version").map((record) => record.id)).toEqual([
      "v1",
      "v2",
      "v3",
    ]);
  });

  it("reports a paraphrased copy as divergent from the version the others agree on", async () => {
    await see("wire", "s1", "v2-amnesty.txt");
    await see("outlet", "s2", "article.html", 1);
    const paraphrased = await see("aggregator", "s3", "v2-paraphrased.txt", 2);

    expect(paraphrased).toMatchObject({ relation: "divergent", reason: "paraphrase", version: { id: "v1" } });
    expect(paraphrased.departures?.length).toBeGreaterThan(10);
    const versions = (await readLineage(dir, "peace-plan")).filter((record) => record.type === "version");
    expect(versions).toHaveLength(1);
  });

  it("gives a source's retried copy the answer it got before, without a second record", async () => {
    await see("wire", "s1", "v1-draft.txt");
    const created = await see("wire", "s2", "v2-amnesty.txt", 1);
    const retried = await see("wire", "s2-retry", "v2-amnesty.txt", 2);

    expect(created.relation).toBe("new-version");
    expect(retried).toMatchObject({ relation: "new-version", version: { id: "v2" }, repeated: true });
    expect((await readLineage(dir, "peace-plan")).filter((record) => record.type === "witness")).toHaveLength(
      2,
    );
  });

  it("lets two outlets publishing the same new text at once create one version", async () => {
    await see("wire", "s1", "v1-draft.txt");

    const [a, b] = await Promise.all([
      see("a", "s2", "v2-amnesty.txt", 1),
      see("b", "s3", "v2-amnesty.txt", 1),
    ]);

    expect([a.relation, b.relation].sort()).toEqual(["new-version", "witness"]);
    expect(a.version.id).toBe("v2");
    expect(b.version.id).toBe("v2");
  });

  it("identifies a text by its clause labels and fingerprints only", async () => {
    expect(textFingerprint(await fixture("v2-amnesty.txt"))).toBe(
      textFingerprint(await fixture("article.html")),
    );
    expect(textFingerprint(await fixture("v2-amnesty.txt"))).not.toBe(
      textFingerprint(await fixture("v1-draft.txt")),
    );
  });
});
