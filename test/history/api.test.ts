import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY, type HistoryServer, startHistoryServer } from "../../src/history/server.js";
import { type BuiltStore, buildPlanStore, PLAN_ID } from "./support.js";

let built: BuiltStore;
let server: HistoryServer;
let secured: HistoryServer;
const TOKEN = "s3cret-token";

beforeAll(async () => {
  built = await buildPlanStore();
  server = await startHistoryServer({ config: built.config, port: 0 });
  secured = await startHistoryServer({ config: built.config, port: 0, token: TOKEN });
});

afterAll(async () => {
  await server?.close();
  await secured?.close();
  await built?.cleanup();
});

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON is what the assertions check.
type Json = any;

async function getJson(
  path: string,
  base = server.url,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  const response = await fetch(`${base}${path}`, { headers });
  const body = response.headers.get("content-type")?.includes("json")
    ? await response.json()
    : await response.text();
  return { status: response.status, headers: response.headers, body };
}

describe("the JSON API", () => {
  it("lists the configured plans with their version count and latest version", async () => {
    const { status, body } = await getJson("/api/plans");

    expect(status).toBe(200);
    expect(body.plans).toEqual([
      expect.objectContaining({
        id: PLAN_ID,
        title: "Peace plan <test>",
        versions: 3,
        latest: expect.objectContaining({ id: "v3" }),
        sources: ["wire", "council"],
        reportedVariants: 1,
      }),
    ]);
  });

  it("gives a plan's versions with first-seen dates, witnesses, change counts and reported variants", async () => {
    const { status, body } = await getJson(`/api/plans/${PLAN_ID}`);

    expect(status).toBe(200);
    expect(body.versions.map((version: { id: string }) => version.id)).toEqual(["v1", "v2", "v3"]);
    const [v1, v2] = body.versions;
    expect(v1.witnesses.map((witness: { sourceId: string }) => witness.sourceId).sort()).toEqual([
      "council",
      "wire",
    ]);
    expect(v2).toMatchObject({ parent: "v1", changes: 1, sourceId: "wire" });
    expect(v2.provenance).toMatchObject({
      sourceId: "wire",
      status: 200,
      bodyHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(Date.parse(v2.firstSeen)).not.toBeNaN();
    expect(body.reported).toEqual([
      expect.objectContaining({ clauseKey: "26", reported: true, cue: "had called for" }),
    ]);
    expect(body.mismatches).toHaveLength(1);
    expect(body.changes.some((change: { kind: string }) => change.kind === "source-broken")).toBe(true);
  });

  it("compares two versions by label with point 26 rewritten and the diff contract's shape", async () => {
    const { status, body } = await getJson(`/api/plans/${PLAN_ID}/compare/v1..v2`);

    expect(status).toBe(200);
    expect(body.diff.schema).toBe("clausewatch.diff/2");
    expect(body.from).toMatchObject({ ref: "v1", version: "v1" });
    expect(body.to).toMatchObject({ ref: "v2", version: "v2", sourceId: "wire" });
    const changed = body.diff.entries.filter((entry: { kind: string }) => entry.kind !== "unchanged");
    expect(changed).toEqual([expect.objectContaining({ kind: "modified", old: ["26"], new: ["26"] })]);
    expect(body.noun).toBe("Point");
  });

  it("compares by snapshot ids, as the alerts' links do", async () => {
    const plan = (await getJson(`/api/plans/${PLAN_ID}`)).body;
    const [v1, v2] = plan.versions;

    const { status, body } = await getJson(
      `/api/plans/${PLAN_ID}/compare/${v1.snapshotId}..${v2.snapshotId}`,
    );

    expect(status).toBe(200);
    expect(body.from.version).toBe("v1");
    expect(body.to.version).toBe("v2");
    expect(body.diff.summary.modified).toBe(1);
  });

  it("follows a clause through every version, renumbering included, with its coverage", async () => {
    const { status, body } = await getJson(`/api/plans/${PLAN_ID}/clauses/26`);

    expect(status).toBe(200);
    expect(body.versions.map((row: { version: string; key?: string }) => [row.version, row.key])).toEqual([
      ["v1", "26"],
      ["v2", "26"],
      ["v3", "23"],
    ]);
    expect(body.versions[1]).toMatchObject({ against: "v1", kind: "modified", severity: "substantive" });
    expect(body.versions[1].text).toContain("amnesty");
    expect(body.mentions).toHaveLength(1);
    expect(body.reported).toEqual([
      expect.objectContaining({ reported: true, earlier: "an audit of all aid received" }),
    ]);
  });

  it("reads a clause key in the version given with ?in=", async () => {
    const { status, body } = await getJson(`/api/plans/${PLAN_ID}/clauses/23?in=v3`);

    expect(status).toBe(200);
    expect(body.anchor).toBe("v3");
    expect(body.versions[0]).toMatchObject({ version: "v1", key: "26" });
  });

  it("lists sources with their health and gives one source's events and snapshot provenance", async () => {
    const list = await getJson("/api/sources");
    const wire = await getJson("/api/sources/wire");

    expect(list.status).toBe(200);
    expect(list.body.sources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: "wire", health: "broken", snapshots: 2 }),
        expect.objectContaining({ id: "council", health: "ok" }),
      ]),
    );
    expect(wire.status).toBe(200);
    expect(wire.body.events.map((event: { type: string }) => event.type)).toEqual([
      "first-seen",
      "changed",
      "failed",
    ]);
    expect(wire.body.snapshots[1]).toMatchObject({
      status: 200,
      lineage: { version: "v2", relation: "new-version" },
    });
    expect(wire.body.snapshots[1].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/wire$/);
  });

  it.each([
    ["an unknown plan", "/api/plans/nope"],
    ["an unknown version", `/api/plans/${PLAN_ID}/compare/v1..v9`],
    ["an unknown snapshot", `/api/plans/${PLAN_ID}/compare/v1..0123456789abcdef`],
    ["a malformed range", `/api/plans/${PLAN_ID}/compare/v1`],
    ["an unknown clause", `/api/plans/${PLAN_ID}/clauses/99`],
    ["a clause missing from the version given", `/api/plans/${PLAN_ID}/clauses/28?in=v3`],
    ["an unknown source", "/api/sources/nope"],
    ["an unknown path", "/api/whatever"],
  ])("answers 404 with a JSON error for %s", async (_what, path) => {
    const { status, headers, body } = await getJson(path);

    expect(status).toBe(404);
    expect(headers.get("content-type")).toContain("application/json");
    expect(body.error).toEqual(expect.any(String));
  });

  it("answers 404 pages for unknown things in the HTML view too", async () => {
    const response = await fetch(`${server.url}/plans/nope`);

    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("no plan");
  });

  it("refuses writes with 405", async () => {
    const response = await fetch(`${server.url}/api/plans`, { method: "POST", body: "{}" });

    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("the pages", () => {
  it.each([
    "/",
    `/plans/${PLAN_ID}`,
    `/plans/${PLAN_ID}/compare/v1..v2`,
    `/plans/${PLAN_ID}/clauses/26`,
    "/sources/wire",
  ])("serves %s as HTML under a script-free content security policy", async (path) => {
    const response = await fetch(`${server.url}${path}`);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("script-src");
    const html = await response.text();
    expect(html).not.toMatch(/<script|<link|src="http/i);
    expect(html).toContain('<main id="main"');
  });

  it("redirects the version picker to the comparison's own address", async () => {
    const response = await fetch(`${server.url}/plans/${PLAN_ID}/compare?from=v1&to=v3`, {
      redirect: "manual",
    });

    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/plans/${PLAN_ID}/compare/v1..v3`);
  });

  it("serves a snapshot's raw body as an inert text download with its hash", async () => {
    const wire = (await getJson("/api/sources/wire")).body;
    const snapshot = wire.snapshots[1];

    const response = await fetch(`${server.url}/sources/wire/snapshots/${snapshot.snapshotId}/body`);

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-body-sha256")).toBe(snapshot.bodyHash);
    expect(await response.text()).toContain("26. Each side in the conflict will receive a full amnesty");
  });

  it("does not serve another source's snapshot under this source", async () => {
    const wire = (await getJson("/api/sources/wire")).body;

    const response = await fetch(
      `${server.url}/sources/council/snapshots/${wire.snapshots[1].snapshotId}/body`,
    );

    expect(response.status).toBe(404);
  });
});

describe("health and metrics", () => {
  it("answers /healthz without a token", async () => {
    const { status, body } = await getJson("/healthz", secured.url);

    expect(status).toBe(200);
    expect(body.status).toBe("ok");
  });

  it("exposes cycles, fetch durations, failures, changes, alerts and broken sources in Prometheus text", async () => {
    const response = await fetch(`${server.url}/metrics`);
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    expect(text).toMatch(/^clausewatch_cycles_total 3$/m);
    expect(text).toMatch(/^clausewatch_fetch_duration_seconds_count\{source="wire"\} 3$/m);
    expect(text).toMatch(/^clausewatch_fetch_duration_seconds_bucket\{source="council",le="\+Inf"\} 3$/m);
    expect(text).toMatch(/^clausewatch_fetch_failures_total\{source="wire"\} 1$/m);
    expect(text).toMatch(/^clausewatch_fetch_failures_total\{source="council"\} 0$/m);
    expect(text).toMatch(/^clausewatch_changes_total\{kind="source-broken"\} 1$/m);
    expect(text).toMatch(/^clausewatch_alerts\{status="pending"\} 0$/m);
    expect(text).toMatch(/^clausewatch_alerts\{status="dead"\} 0$/m);
    expect(text).toMatch(/^clausewatch_sources_broken 1$/m);
    expect(text).toMatch(/^# TYPE clausewatch_fetch_duration_seconds histogram$/m);
  });
});

describe("the bearer token", () => {
  it.each(["/api/plans", "/", "/metrics", "/sources/wire"])("is required for %s", async (path) => {
    const response = await fetch(`${secured.url}${path}`);

    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("rejects a wrong token", async () => {
    const { status } = await getJson("/api/plans", secured.url, { authorization: "Bearer wrong" });

    expect(status).toBe(401);
  });

  it("lets the right token through, as a bearer token or a browser's basic password", async () => {
    const bearer = await getJson("/api/plans", secured.url, { authorization: `Bearer ${TOKEN}` });
    const basic = await getJson("/api/plans", secured.url, {
      authorization: `Basic ${Buffer.from(`reader:${TOKEN}`).toString("base64")}`,
    });

    expect(bearer.status).toBe(200);
    expect(bearer.body.plans).toHaveLength(1);
    expect(basic.status).toBe(200);
  });

  it("must be set to bind beyond loopback", async () => {
    const attempt = startHistoryServer({ config: built.config, host: "0.0.0.0", port: 0 });

    await expect(attempt).rejects.toThrow(/refusing to bind 0\.0\.0\.0 without a token/);
  });
});
