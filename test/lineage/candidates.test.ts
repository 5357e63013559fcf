/**
 * How the lineage chooses the versions a new copy is diffed against: from the clause fingerprints
 * the version records keep, so judging a copy loads only the candidates' clause sets however long
 * the plan's history is — and judges exactly as loading every version did, old records included.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readClauseSet } from "../../src/document.js";
import {
  createLineage,
  DEFAULT_LINEAGE_RULES,
  type LineageRecord,
  type Observation,
  readLineage,
  type VersionRecord,
} from "../../src/lineage/index.js";
import { documentFingerprints, versionShares } from "../../src/lineage/shares.js";
import { type FsStore, openFsStore } from "../../src/store/index.js";
import type { ClauseSet } from "../../src/types.js";

const PLAN = "ceasefire";
const VERSIONS = 50;

const BODIES = [
  "The monitoring mission",
  "Each border district",
  "The joint commission",
  "The reconstruction fund",
  "The interim council",
  "The mediators",
  "Every signatory",
];
const DUTIES = [
  "publishes a register of crossings",
  "returns detained fishermen",
  "reopens the grain corridor",
  "hears complaints from displaced families",
];

/** Point `index` (0-based) with its figure: 28 points, each worded differently. */
function point(index: number, days: number): string {
  return `${index + 1}. ${BODIES[index % 7]} ${DUTIES[index % 4]} within ${days} days of the signing.`;
}

function render(days: number[], reworded?: number): string {
  const points = days.map((value, index) => {
    const line = point(index, value);
    return index === reworded ? line.replace("within", "no later than") : line;
  });
  return `Ceasefire terms\n\n${points.join("\n")}\n`;
}

/** The figures of each version: v(k+1) raises one point's figure, a different point each time. */
function versionFigures(): number[][] {
  const figures: number[][] = [];
  let days = Array.from({ length: 28 }, (_, index) => 10 + index * 3);
  for (let k = 0; k <= VERSIONS; k++) {
    figures.push(days);
    days = days.map((value, index) => (index === (k * 5) % 28 ? 200 + k : value));
  }
  return figures;
}

const at = (n: number) => new Date(Date.UTC(2025, 10, 1) + n * 3_600_000).toISOString();

let dir: string;
let store: FsStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "clausewatch-lineage-candidates-"));
  store = await openFsStore(dir, { fsync: false });
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** The store's loader, counting which snapshots it was asked for. */
function countingLoader(): { load: (id: string) => Promise<ClauseSet>; loaded: string[] } {
  const loaded: string[] = [];
  return {
    loaded,
    async load(id) {
      loaded.push(id);
      return (await store.getSnapshot(id)).clauseSet;
    },
  };
}

async function stored(sourceId: string, text: string, n: number): Promise<{ id: string; set: ClauseSet }> {
  const clauseSet = readClauseSet(text, { source: sourceId });
  const bodyHash = await store.putBody(new TextEncoder().encode(text));
  const record = await store.putSnapshot({
    sourceId,
    url: `http://127.0.0.1/${sourceId}`,
    finalUrl: `http://127.0.0.1/${sourceId}`,
    status: 200,
    fetchedAt: at(n),
    bodyHash,
    extractorVersion: "test",
    contentType: "text/plain; charset=utf-8",
    clauseSet,
  });
  return { id: record.id, set: clauseSet };
}

/** A fresh lineage (nothing cached, as in a new `check --once`) judging one copy from source "copy". */
async function judgeFresh(text: string): Promise<{ seen: Observation; loaded: string[] }> {
  const { load, loaded } = countingLoader();
  const copy = await stored("copy", text, 1000);
  const lineage = createLineage(store, DEFAULT_LINEAGE_RULES, load);
  const seen = await lineage.observe(PLAN, {
    sourceId: "copy",
    snapshotId: copy.id,
    clauseSet: copy.set,
    at: at(1000),
  });
  return { seen, loaded };
}

/** 50 versions from the wire, each also carried by a retypeset witness. */
async function buildHistory(): Promise<VersionRecord[]> {
  const { load } = countingLoader();
  const lineage = createLineage(store, DEFAULT_LINEAGE_RULES, load);
  const figures = versionFigures();
  for (let k = 0; k < VERSIONS; k++) {
    const text = render(figures[k] as number[]);
    const wire = await stored("wire", text, 2 * k);
    const made = await lineage.observe(PLAN, {
      sourceId: "wire",
      snapshotId: wire.id,
      clauseSet: wire.set,
      at: at(2 * k),
    });
    expect([made.relation, made.version.id]).toEqual(["new-version", `v${k + 1}`]);
    const retypeset = text.replace(/\n/g, "\r\n").replace(/ within /g, "  within ");
    const desk = await stored("desk", retypeset, 2 * k + 1);
    await lineage.observe(PLAN, {
      sourceId: "desk",
      snapshotId: desk.id,
      clauseSet: desk.set,
      at: at(2 * k + 1),
    });
  }
  const records = await readLineage(store, PLAN);
  return records.filter((record): record is VersionRecord => record.type === "version");
}

const snapshotsOf = (versions: VersionRecord[], ids: string[]) =>
  ids.map((id) => versions.find((version) => version.id === id)?.snapshotId);

/** What a judgement decided, as compared across stores. */
function decision(seen: Observation) {
  return {
    relation: seen.relation,
    version: seen.version.id,
    parent: seen.parent?.id,
    explanation: seen.version.explanation,
    summary: seen.diff?.summary,
    entries: seen.diff?.entries.filter((entry) => entry.kind !== "unchanged").map((entry) => entry.old),
  };
}

describe("candidates chosen from the lineage records", () => {
  it("keeps each version's fingerprints as the few that changed from its parent", async () => {
    const versions = await buildHistory();

    const first = versions[0]?.clauseFingerprints;
    const later = versions.slice(1).map((version) => version.clauseFingerprints);
    expect(first?.base).toBeUndefined();
    expect(first?.added.split(" ")).toHaveLength(28);
    expect(later.map((kept) => kept?.base)).toEqual(versions.slice(0, -1).map((version) => version.id));
    expect(later.map((kept) => [kept?.added.split(" ").length, kept?.dropped?.split(" ").length])).toEqual(
      Array.from({ length: VERSIONS - 1 }, () => [1, 1]),
    );
  });

  it("finds every version's share of a copy exactly as the versions' clause sets give it", async () => {
    const versions = await buildHistory();
    const figures = versionFigures();
    const probes = [
      render(figures[VERSIONS] as number[]),
      render(figures[19] as number[], 7),
      render(figures[33] as number[])
        .split("\n")
        .slice(0, 20)
        .join("\n"),
      render((figures[0] as number[]).map((value) => value + 1)),
    ];
    const { load } = countingLoader();
    const sets = await Promise.all(
      versions.map(async (version) => documentFingerprints(await load(version.snapshotId))),
    );

    for (const text of probes) {
      const copy = readClauseSet(text, { source: "probe" });
      const fingerprints = documentFingerprints(copy);
      const loading = countingLoader();
      const shares = await versionShares(versions, fingerprints, copy.outline, async (version) =>
        documentFingerprints(await loading.load(version.snapshotId)),
      );

      const exact = sets.map((set) => {
        const shared = [...set].filter((value) => fingerprints.has(value)).length;
        return shared / Math.max(set.size, fingerprints.size);
      });
      expect(shares).toEqual(exact);
      expect(loading.loaded).toEqual([]);
    }
  });

  it("loads only the three closest versions' clause sets to judge a new version of a 50-version plan", async () => {
    const versions = await buildHistory();

    const { seen, loaded } = await judgeFresh(render(versionFigures()[VERSIONS] as number[]));

    expect(decision(seen)).toMatchObject({
      relation: "new-version",
      version: "v51",
      parent: "v50",
      explanation: "new version: 1 figure changed, 1 point changed in meaning",
    });
    expect([...loaded].sort()).toEqual(snapshotsOf(versions, ["v48", "v49", "v50"]).sort());
  });

  it("finds the one version a reworded copy comes from among 50, loading it, its neighbours and the newest", async () => {
    const versions = await buildHistory();

    const { seen, loaded } = await judgeFresh(render(versionFigures()[19] as number[], 7));

    expect(decision(seen)).toMatchObject({ relation: "witness", version: "v20" });
    expect(seen.diff?.entries.filter((entry) => entry.kind === "modified").map((entry) => entry.old)).toEqual(
      [["8"]],
    );
    expect([...loaded].sort()).toEqual(snapshotsOf(versions, ["v19", "v20", "v21", "v50"]).sort());
  });

  it.each([
    ["written before fingerprints were kept", (record: VersionRecord) => stripped(record)],
    [
      "kept under an older reading",
      (record: VersionRecord) =>
        record.clauseFingerprints
          ? { ...record, clauseFingerprints: { ...record.clauseFingerprints, outline: 1 } }
          : record,
    ],
  ])(
    "judges a copy against version records %s as before, loading those versions, without rewriting the log",
    async (_, age) => {
      await buildHistory();
      const log = join(dir, "plans", PLAN, "lineage.jsonl");
      const current = await readFile(log, "utf8");
      const copy = render(versionFigures()[VERSIONS] as number[]);
      const reworded = render(versionFigures()[19] as number[], 7);
      const judgedNow = [decision((await judgeFresh(copy)).seen)];
      await writeFile(log, current);
      judgedNow.push(decision((await judgeFresh(reworded)).seen));
      const older = current
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as LineageRecord)
        .map((record) => (record.type === "version" ? age(record) : record))
        .map((record) => `${JSON.stringify(record)}\n`)
        .join("");

      await writeFile(log, older);
      const first = await judgeFresh(copy);
      await writeFile(log, older);
      const second = await judgeFresh(reworded);

      expect([decision(first.seen), decision(second.seen)]).toEqual(judgedNow);
      expect(new Set(first.loaded).size).toBe(VERSIONS);
      expect(new Set(second.loaded).size).toBe(VERSIONS);
      expect((await readFile(log, "utf8")).startsWith(older)).toBe(true);
    },
  );

  it("ranks versions kept after older ones from the older ones' loaded clause sets", async () => {
    await buildHistory();
    const log = join(dir, "plans", PLAN, "lineage.jsonl");
    const records = (await readFile(log, "utf8"))
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as LineageRecord);
    const judged = decision((await judgeFresh(render(versionFigures()[VERSIONS] as number[]))).seen);
    // v1–v30 as an older release wrote them; v31 on keep theirs relative to v30.
    const mixed = records.map((record) =>
      record.type === "version" && Number(record.id.slice(1)) <= 30 ? stripped(record) : record,
    );
    await writeFile(log, mixed.map((record) => `${JSON.stringify(record)}\n`).join(""));
    const versions = mixed.filter((record): record is VersionRecord => record.type === "version");

    const { seen, loaded } = await judgeFresh(render(versionFigures()[VERSIONS] as number[]));

    expect(decision(seen)).toEqual(judged);
    expect([...new Set(loaded)].sort()).toEqual(
      snapshotsOf(versions, [
        ...versions.slice(0, 30).map((version) => version.id),
        "v48",
        "v49",
        "v50",
      ]).sort(),
    );
  });
});

function stripped(record: VersionRecord): VersionRecord {
  const { clauseFingerprints: _kept, ...rest } = record;
  return rest;
}
