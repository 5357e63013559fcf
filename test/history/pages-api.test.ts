import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OUTLINE_VERSION, parseClauses } from "../../src/clauses/index.js";
import { type HistoryServer, startHistoryServer } from "../../src/history/server.js";
import { type BuiltStore, buildPlanStore, PLAN_ID } from "./support.js";

let built: BuiltStore;
let server: HistoryServer;

beforeAll(async () => {
  built = await buildPlanStore();
  server = await startHistoryServer({ config: built.config, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await built?.cleanup();
});

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON is what the assertions check.
type Json = any;

async function getJson(path: string): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(`${server.url}${path}`);
  const body = response.headers.get("content-type")?.includes("json")
    ? await response.json()
    : await response.text();
  return { status: response.status, headers: response.headers, body };
}

const shown = (iso: string) => iso.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC");

describe("a version's JSON", () => {
  it("gives v2 as a document: every clause with an anchor from its path, what changed, neighbours and copies", async () => {
    const { status, body } = await getJson(`/api/plans/${PLAN_ID}/versions/v2`);

    expect(status).toBe(200);
    expect(body).toMatchObject({
      planId: PLAN_ID,
      planTitle: "Peace plan <test>",
      version: "v2",
      parent: "v1",
      previous: "v1",
      next: "v3",
      sourceId: "wire",
      whatChanged: "Point 26 rewritten (audit → amnesty)",
      size: "28 points, 55 clauses",
      noun: "Point",
      title: "Draft peace framework — 28 points",
      outline: OUTLINE_VERSION,
      warnings: [],
    });
    expect(body.clauses).toHaveLength(56);
    expect(body.coverage.placed).toBe(body.coverage.words);
    const byKey = new Map(body.clauses.map((clause: Json) => [clause.key, clause]));
    expect(byKey.get("26")).toMatchObject({
      anchor: "clause-26",
      printed: "26.",
      depth: 0,
      kind: "numbered",
    });
    expect((byKey.get("26") as Json).text).toContain("full amnesty");
    // A sub-item's path "10 •1" holds a space and a bullet: both spelled out in hex.
    expect(byKey.get("10 •1")).toMatchObject({ anchor: "clause-10_20_e2_80_a21", depth: 1, parent: "10" });
    expect(new Set(body.clauses.map((clause: Json) => clause.anchor)).size).toBe(56);
    expect(body.witnesses.map((copy: Json) => [copy.sourceId, copy.relation])).toEqual([
      ["wire", "new-version"],
    ]);
    expect(body.witnesses[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/wire$/);
  });

  it("carries the citation line: plan, version, URL, first seen, snapshot and body hash", async () => {
    const { body } = await getJson(`/api/plans/${PLAN_ID}/versions/v1`);
    const { provenance } = body;

    expect(body.citation).toBe(
      `Peace plan <test>, v1. ${provenance.url} · first seen ${shown(body.firstSeen)} · snapshot ${body.snapshotId} · sha256 ${provenance.bodyHash}`,
    );
    expect(body.snapshotId).toMatch(/^[0-9a-f]{16}$/);
    expect(body.witnesses.map((copy: Json) => copy.sourceId).sort()).toEqual(["council", "wire"]);
    expect(body.previous).toBeUndefined();
    expect(body.whatChanged).toBeUndefined();
  });

  it("serves the normalized text as plain text that reads back as the same clauses", async () => {
    const version = (await getJson(`/api/plans/${PLAN_ID}/versions/v2`)).body;

    const response = await fetch(`${server.url}/plans/${PLAN_ID}/versions/v2.txt`);
    const text = await response.text();
    const reread = parseClauses({ source: "v2.txt", format: "text", text });

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`inline; filename="${PLAN_ID}-v2.txt"`);
    expect(response.headers.get("x-clausewatch-snapshot")).toBe(version.snapshotId);
    expect(response.headers.get("x-body-sha256")).toBe(version.provenance.bodyHash);
    expect(text.startsWith("Draft peace framework — 28 points\n\n1. All signatories")).toBe(true);
    expect(reread.clauses.map((clause) => [clause.key, clause.depth, clause.text])).toEqual(
      version.clauses.map((clause: Json) => [clause.key, clause.depth, clause.text]),
    );
  });

  it.each([
    ["an unknown version", `/api/plans/${PLAN_ID}/versions/v9`],
    ["an unknown plan", "/api/plans/nope/versions/v1"],
    ["a snapshot of no source of the plan", `/api/plans/${PLAN_ID}/versions/0123456789abcdef`],
  ])("answers 404 for %s", async (_what, path) => {
    const { status, body } = await getJson(path);

    expect(status).toBe(404);
    expect(body.error).toMatch(/no (version|plan)/);
  });
});

describe("the map's JSON", () => {
  it("follows point 26 through renumbering, marks each change and names its redline anchor", async () => {
    const { status, body } = await getJson(`/api/plans/${PLAN_ID}/map`);

    expect(status).toBe(200);
    expect(body.columns.map((column: Json) => [column.version, column.against])).toEqual([
      ["v1", undefined],
      ["v2", "v1"],
      ["v3", "v2"],
    ]);
    expect(body.window).toEqual({ start: 1, end: 3, columns: 3 });
    const row = (path: string) => body.rows.find((candidate: Json) => candidate.paths.includes(path));
    const point26 = row("26");
    expect(point26.paths).toEqual(["26", "23"]);
    expect(point26.label).toBe("23");
    expect(point26.cells[0]).toEqual({ state: "base", key: "26" });
    expect(point26.cells[1]).toMatchObject({
      state: "substantive",
      key: "26",
      kind: "modified",
      anchor: "change-26~26",
      headline: "Point 26 rewritten (audit → amnesty)",
    });
    expect(point26.cells[2]).toMatchObject({ key: "23", anchor: "change-26~23" });
    expect(row("6").cells[2]).toMatchObject({
      state: "substantive",
      key: "5",
      anchor: "change-6~5",
      headline: "Point 6 (now 5): 600,000 → 800,000 people",
    });
    const point3 = body.rows.find(
      (candidate: Json) => candidate.cells[2]?.state === "removed" && candidate.label === "3",
    );
    expect(point3.cells.map((cell: Json) => cell?.state)).toEqual(["base", "unchanged", "removed"]);
    expect(point3.cells[2].anchor).toBe("change-3~");
    const point24 = body.rows.find((candidate: Json) => candidate.cells[2]?.state === "added");
    expect(point24.cells.slice(0, 2)).toEqual([null, null]);
    expect(point24.cells[2]).toMatchObject({ key: "24", anchor: "change-~24" });
  });

  it("shows a window of versions, its first column compared with the version before the window", async () => {
    const { body } = await getJson(`/api/plans/${PLAN_ID}/map?from=v2&columns=1`);

    expect(body.columns.map((column: Json) => column.version)).toEqual(["v2"]);
    expect(body.window).toEqual({ start: 2, end: 2, columns: 1, previous: "v1", next: "v3" });
    expect(body.rows).toHaveLength(56);
    const changed = body.rows.filter((row: Json) => row.cells[0].state !== "unchanged");
    expect(changed.map((row: Json) => [row.label, row.cells[0].state])).toEqual([["26", "substantive"]]);
  });

  it("keeps only the clauses that changed in the window when asked", async () => {
    const all = (await getJson(`/api/plans/${PLAN_ID}/map?from=v2&columns=1`)).body;
    const { body } = await getJson(`/api/plans/${PLAN_ID}/map?from=v2&columns=1&rows=changed`);

    expect(all.rowPage).toEqual({ page: 1, pages: 1, perPage: 500, total: 56 });
    expect(body.rowFilter).toBe("changed");
    expect(body.rows.map((row: Json) => row.label)).toEqual(["26"]);
    expect(body.rowPage.total).toBe(1);
  });

  it("carries the chart of versions and coverage mentions over time", async () => {
    const { body } = await getJson(`/api/plans/${PLAN_ID}/map`);
    const versions = body.chart.buckets.flatMap((bucket: Json) => bucket.versions);
    const mentions = body.chart.buckets.reduce((sum: number, bucket: Json) => sum + bucket.mentions, 0);

    expect(versions).toEqual(["v1", "v2", "v3"]);
    expect(mentions).toBe(1);
    expect(["day", "week", "month"]).toContain(body.chart.unit);
  });

  it.each([
    ["rows=bogus", 400, /rows must be "all" or "changed"/],
    ["page=0", 400, /page must be a whole number from 1/],
    ["from=v9", 404, /no version "v9"/],
  ])("answers %s with %i and says why", async (query, expected, message) => {
    const { status, body } = await getJson(`/api/plans/${PLAN_ID}/map?${query}`);

    expect(status).toBe(expected);
    expect(body.error).toMatch(message);
  });
});

describe("the search's JSON", () => {
  it("finds a word in every version and coverage passage, whatever its case and accents", async () => {
    const { status, body } = await getJson(`/api/plans/${PLAN_ID}/search?q=${encodeURIComponent("AMNÉSTY")}`);

    expect(status).toBe(200);
    expect(body.terms).toEqual(["amnesty"]);
    expect(body.versions).toEqual(["v2", "v3"]);
    expect(body.clauses.map((hit: Json) => [hit.key, hit.at])).toEqual([
      ["26", [{ version: "v2", key: "26", anchor: "clause-26" }]],
      ["23", [{ version: "v3", key: "23", anchor: "clause-23" }]],
    ]);
    for (const hit of body.clauses) {
      expect(hit.text.matches.map(([start, end]: number[]) => hit.text.text.slice(start, end))).toEqual([
        "amnesty",
      ]);
    }
    expect(body.coverage.map((hit: Json) => [hit.sourceId, hit.clauses, hit.passage.matches.length])).toEqual(
      [
        ["news", [{ version: "v2", key: "26", via: "mention" }], 1],
        ["news", [{ version: "v2", key: "26", via: "variant" }], 1],
      ],
    );
  });

  it("requires every term, and a quoted phrase as written", async () => {
    const both = (await getJson(`/api/plans/${PLAN_ID}/search?q=${encodeURIComponent("audit aid")}`)).body;
    const phrase = (await getJson(`/api/plans/${PLAN_ID}/search?q=${encodeURIComponent('"full amnesty"')}`))
      .body;
    const reversed = (await getJson(`/api/plans/${PLAN_ID}/search?q=${encodeURIComponent('"amnesty full"')}`))
      .body;

    expect(both.terms).toEqual(["audit", "aid"]);
    expect(both.clauses.map((hit: Json) => [hit.key, hit.at.map((at: Json) => at.version)])).toEqual([
      ["26", ["v1"]],
    ]);
    expect(both.coverage.map((hit: Json) => hit.passage.text)).toEqual([
      "The draft had called for an audit of all aid received; it was changed to a full amnesty.",
    ]);
    expect(phrase.terms).toEqual(['"full amnesty"']);
    expect(phrase.versions).toEqual(["v2", "v3"]);
    expect(reversed.versions).toEqual([]);
    expect(reversed.coverage).toEqual([]);
  });

  it("groups a wording that stands in several versions into one hit that lists every place", async () => {
    const { body } = await getJson(`/api/plans/${PLAN_ID}/search?q=Poland`);

    expect(body.versions).toEqual(["v1", "v2"]);
    expect(body.clauses).toHaveLength(1);
    expect(body.clauses[0].at).toEqual([
      { version: "v1", key: "9", anchor: "clause-9" },
      { version: "v2", key: "9", anchor: "clause-9" },
    ]);
  });

  it("looks for nothing without a word", async () => {
    const { status, body } = await getJson(`/api/plans/${PLAN_ID}/search?q=${encodeURIComponent(' " , ')}`);

    expect(status).toBe(200);
    expect(body).toMatchObject({ terms: [], versions: [], clauses: [], coverage: [] });
  });
});

describe("a comparison's filters in its JSON", () => {
  it("names an anchor for every entry and, filtered, the anchors that pass", async () => {
    const whole = (await getJson(`/api/plans/${PLAN_ID}/compare/v1..v2`)).body;
    const { status, body } = await getJson(
      `/api/plans/${PLAN_ID}/compare/v2..v3?severity=substantive&flag=number`,
    );

    expect(whole.anchors).toHaveLength(whole.diff.entries.length);
    expect(whole.anchors).toContain("change-26~26");
    expect(whole.filter).toBeUndefined();
    expect(status).toBe(200);
    expect(body.filter).toEqual({ severity: ["substantive"], flag: ["number"] });
    const expected = body.diff.entries.flatMap((entry: Json, index: number) =>
      entry.severity === "substantive" && (entry.flags ?? []).some((flag: Json) => flag.type === "number")
        ? [body.anchors[index]]
        : [],
    );
    expect(body.matching).toEqual(expected);
    expect(body.matching).toContain("change-6~5");
    expect(body.matching).not.toContain("change-3~");
  });

  it("refuses a filter value it does not know, naming it and the ones it does", async () => {
    const { status, body } = await getJson(`/api/plans/${PLAN_ID}/compare/v1..v2?severity=huge`);

    expect(status).toBe(400);
    expect(body.error).toBe(
      'unknown severity "huge" in the comparison\'s filter (expected none, cosmetic, minor, substantive)',
    );
  });
});

describe("the plan's JSON", () => {
  it("says what changed in each version with the project's headlines, and each version's size", async () => {
    const { body } = await getJson(`/api/plans/${PLAN_ID}`);
    const [v1, v2, v3] = body.versions;

    expect(v1.whatChanged).toBeUndefined();
    expect(v1.size).toBe("28 points, 55 clauses");
    expect(v2.whatChanged).toBe("Point 26 rewritten (audit → amnesty)");
    expect(v3.whatChanged).toMatch(/^Point 6 \(now 5\): 600,000 → 800,000 people; /);
    expect(v3.whatChanged).toContain("Point 3 removed");
    expect(v3.size).toBe("26 points, 50 clauses");
  });
});
