/**
 * The behaviour every SnapshotStore driver must share. Each driver's test file calls
 * `runStoreConformance` once, then adds its driver-specific cases.
 */
import { afterEach, describe, expect, it } from "vitest";
import { StoreError } from "../../src/errors.js";
import {
  canonicalJson,
  type SnapshotStore,
  type SourceState,
  sha256Hex,
  snapshotIdOf,
} from "../../src/store/index.js";
import { makeInput } from "./helpers.js";

export interface StoreUnderTest {
  store: SnapshotStore;
  /** Closes the store and opens it again on the same data; only for persistent drivers. */
  reopen?: () => Promise<SnapshotStore>;
  cleanup: () => Promise<void>;
}

const encoder = new TextEncoder();

function baseState(sourceId: string, overrides: Partial<SourceState> = {}): SourceState {
  return { sourceId, consecutiveFailures: 0, health: "ok", recentClauseSetHashes: [], ...overrides };
}

export function runStoreConformance(name: string, factory: () => Promise<StoreUnderTest>): void {
  describe(`${name} store conformance`, () => {
    const opened: StoreUnderTest[] = [];
    async function open(): Promise<StoreUnderTest> {
      const subject = await factory();
      opened.push(subject);
      return subject;
    }
    afterEach(async () => {
      for (const subject of opened.splice(0)) await subject.cleanup();
    });

    describe("bodies", () => {
      it("returns the sha256 of a body and gives the same bytes back", async () => {
        const { store } = await open();
        const bytes = encoder.encode("<html><body><ol><li>Ceasefire</li></ol></body></html>".repeat(50));

        const hash = await store.putBody(bytes);

        expect(hash).toBe(sha256Hex(bytes));
        expect(Buffer.compare(await store.getBody(hash), Buffer.from(bytes))).toBe(0);
        expect(await store.hasBody(hash)).toBe(true);
      });

      it("stores an identical body once and returns the same hash", async () => {
        const { store } = await open();
        const bytes = encoder.encode("same text");

        const first = await store.putBody(bytes);
        const second = await store.putBody(encoder.encode("same text"));

        expect(second).toBe(first);
      });

      it("keeps empty and binary bodies byte for byte", async () => {
        const { store } = await open();
        const binary = new Uint8Array(256).map((_, i) => i);

        const empty = await store.putBody(new Uint8Array());
        const bin = await store.putBody(binary);

        expect((await store.getBody(empty)).length).toBe(0);
        expect([...(await store.getBody(bin))]).toEqual([...binary]);
      });

      it("reports an unknown body as absent and refuses to get it", async () => {
        const { store } = await open();
        const unknown = sha256Hex("never stored");

        const has = await store.hasBody(unknown);

        expect(has).toBe(false);
        await expect(store.getBody(unknown)).rejects.toBeInstanceOf(StoreError);
      });

      it("rejects a malformed body hash with a StoreError instead of touching storage", async () => {
        const { store } = await open();

        const attempt = store.getBody("../../etc/passwd");

        await expect(attempt).rejects.toThrow(/invalid body hash/);
      });
    });

    describe("snapshots", () => {
      it("returns a record addressed by its content and gives the clause set back", async () => {
        const { store } = await open();
        const bodyHash = await store.putBody(encoder.encode("body one"));
        const input = makeInput("plan-a", bodyHash, ["Ceasefire along the line.", "Audit of all aid."]);

        const record = await store.putSnapshot(input);
        const stored = await store.getSnapshot(record.id);

        expect(record.id).toMatch(/^[0-9a-f]{16}$/);
        const { id, ...withoutId } = record;
        expect(snapshotIdOf(withoutId)).toBe(id);
        expect(record.clauseSetHash).toBe(sha256Hex(canonicalJson(input.clauseSet)));
        expect(record).not.toHaveProperty("clauseSet");
        const { clauseSet, ...inputWithoutClauses } = input;
        expect(stored).toEqual({
          ...inputWithoutClauses,
          id: record.id,
          clauseSetHash: record.clauseSetHash,
          clauseSet,
        });
      });

      it("gives the same id for the same input and indexes it only once", async () => {
        const { store } = await open();
        const bodyHash = await store.putBody(encoder.encode("body"));
        const input = makeInput("plan-a", bodyHash, ["One.", "Two."]);

        const first = await store.putSnapshot(input);
        const second = await store.putSnapshot(structuredClone(input));

        expect(second).toEqual(first);
        expect(await store.listSnapshots("plan-a")).toEqual([first]);
      });

      it("shares one clause-set object between snapshots with the same text", async () => {
        const { store } = await open();
        const bodyHash = await store.putBody(encoder.encode("body"));

        const monday = await store.putSnapshot(
          makeInput("plan-a", bodyHash, ["One."], { fetchedAt: "2025-11-17T08:00:00Z" }),
        );
        const tuesday = await store.putSnapshot(
          makeInput("plan-a", bodyHash, ["One."], { fetchedAt: "2025-11-18T08:00:00Z" }),
        );
        const changed = await store.putSnapshot(
          makeInput("plan-a", bodyHash, ["One!"], { fetchedAt: "2025-11-19T08:00:00Z" }),
        );

        expect(tuesday.id).not.toBe(monday.id);
        expect(tuesday.clauseSetHash).toBe(monday.clauseSetHash);
        expect(changed.clauseSetHash).not.toBe(monday.clauseSetHash);
      });

      it("lists a source's snapshots oldest first and keeps sources apart", async () => {
        const { store } = await open();
        const bodyHash = await store.putBody(encoder.encode("body"));
        const a1 = await store.putSnapshot(
          makeInput("plan-a", bodyHash, ["v1"], { fetchedAt: "2025-11-20T00:00:00Z" }),
        );
        const b1 = await store.putSnapshot(
          makeInput("plan-b", bodyHash, ["v1"], { fetchedAt: "2025-11-20T00:00:00Z" }),
        );
        const a2 = await store.putSnapshot(
          makeInput("plan-a", bodyHash, ["v2"], { fetchedAt: "2025-11-21T00:00:00Z" }),
        );

        const listA = await store.listSnapshots("plan-a");
        const listB = await store.listSnapshots("plan-b");
        const listNone = await store.listSnapshots("plan-c");

        expect(listA.map((r) => r.id)).toEqual([a1.id, a2.id]);
        expect(listB.map((r) => r.id)).toEqual([b1.id]);
        expect(listNone).toEqual([]);
      });

      it("refuses a snapshot whose body was never stored", async () => {
        const { store } = await open();

        const attempt = store.putSnapshot(makeInput("plan-a", sha256Hex("missing"), ["One."]));

        await expect(attempt).rejects.toThrow(/not stored; call putBody first/);
        expect(await store.listSnapshots("plan-a")).toEqual([]);
      });

      it("refuses an unknown snapshot id and a malformed one", async () => {
        const { store } = await open();

        await expect(store.getSnapshot("0123456789abcdef")).rejects.toBeInstanceOf(StoreError);
        await expect(store.getSnapshot("../../VERSION")).rejects.toThrow(/invalid snapshot id/);
      });

      it("rejects an incomplete snapshot input, naming the bad field", async () => {
        const { store } = await open();
        const bodyHash = await store.putBody(encoder.encode("body"));
        const input = { ...makeInput("plan-a", bodyHash, ["One."]), fetchedAt: "yesterday" };

        const attempt = store.putSnapshot(input);

        await expect(attempt).rejects.toThrow(/fetchedAt/);
      });
    });

    describe("source ids", () => {
      it.each(["../escape", "a/b", "", ".hidden", "x".repeat(65), "sp ace"])(
        "rejects %j everywhere",
        async (bad) => {
          const { store } = await open();

          await expect(store.getSourceState(bad)).rejects.toThrow(/invalid source id/);
          await expect(store.appendEvent(bad, { at: "2025-11-20T00:00:00Z", type: "check" })).rejects.toThrow(
            /invalid source id/,
          );
          await expect(store.listSnapshots(bad)).rejects.toThrow(/invalid source id/);
          await expect(store.setSourceState(baseState(bad))).rejects.toThrow(/sourceId/);
        },
      );

      it("accepts ids with dots, dashes, underscores and capitals", async () => {
        const { store } = await open();

        await store.setSourceState(baseState("Kyiv_Independent.plan-28"));

        expect(await store.getSourceState("Kyiv_Independent.plan-28")).toEqual(
          baseState("Kyiv_Independent.plan-28"),
        );
      });
    });

    describe("source state", () => {
      it("is undefined until set and is replaced as a whole", async () => {
        const { store } = await open();
        const before = await store.getSourceState("plan-a");

        await store.setSourceState(baseState("plan-a", { etag: '"1"', lastCheckAt: "2025-11-20T00:00:00Z" }));
        await store.setSourceState(baseState("plan-a", { consecutiveFailures: 2, health: "broken" }));

        expect(before).toBeUndefined();
        expect(await store.getSourceState("plan-a")).toEqual(
          baseState("plan-a", { consecutiveFailures: 2, health: "broken" }),
        );
      });

      it("is not changed by mutating the object that was saved or returned", async () => {
        const { store } = await open();
        const state = baseState("plan-a", { recentClauseSetHashes: ["h1"] });
        await store.setSourceState(state);

        state.recentClauseSetHashes.push("h2");
        const read = await store.getSourceState("plan-a");
        read?.recentClauseSetHashes.push("h3");

        expect((await store.getSourceState("plan-a"))?.recentClauseSetHashes).toEqual(["h1"]);
      });

      it("rejects a state with an unknown health value", async () => {
        const { store } = await open();

        const attempt = store.setSourceState({ ...baseState("plan-a"), health: "meh" as "ok" });

        await expect(attempt).rejects.toThrow(/health/);
        expect(await store.getSourceState("plan-a")).toBeUndefined();
      });

      it("checks the times of a state that changed only in its times, and the rest of one that changed besides", async () => {
        const { store } = await open();
        await store.setSourceState(baseState("plan-a", { lastCheckAt: "2025-11-20T00:00:00Z" }));
        await store.getSourceState("plan-a");

        await expect(
          store.setSourceState(baseState("plan-a", { lastCheckAt: "the day after" })),
        ).rejects.toThrow(/lastCheckAt/);
        await expect(
          store.setSourceState(
            baseState("plan-a", { lastCheckAt: "2025-11-21T00:00:00Z", health: "meh" as "ok" }),
          ),
        ).rejects.toThrow(/health/);
        expect(await store.getSourceState("plan-a")).toMatchObject({
          lastCheckAt: "2025-11-20T00:00:00Z",
          health: "ok",
        });
      });
    });

    describe("events", () => {
      it("reads events back oldest first, per source", async () => {
        const { store } = await open();
        await store.appendEvent("plan-a", { at: "2025-11-20T00:00:00Z", type: "check" });
        await store.appendEvent("plan-b", { at: "2025-11-20T00:00:01Z", type: "failed", code: "E_FETCH" });
        await store.appendEvent("plan-a", { at: "2025-11-20T00:00:02Z", type: "changed", snapshot: "abc" });

        const events = await store.readEvents("plan-a");

        expect(events).toEqual([
          { at: "2025-11-20T00:00:00Z", type: "check" },
          { at: "2025-11-20T00:00:02Z", type: "changed", snapshot: "abc" },
        ]);
        expect(await store.readEvents("plan-c")).toEqual([]);
      });

      it("returns only the last N events with a limit", async () => {
        const { store } = await open();
        for (let i = 0; i < 10; i++) {
          await store.appendEvent("plan-a", { at: `2025-11-20T00:00:0${i}Z`, type: "check", n: i });
        }

        const last3 = await store.readEvents("plan-a", { limit: 3 });
        const all = await store.readEvents("plan-a", { limit: 50 });

        expect(last3.map((e) => e.n)).toEqual([7, 8, 9]);
        expect(all).toHaveLength(10);
      });

      it("rejects an event without a type", async () => {
        const { store } = await open();

        const attempt = store.appendEvent("plan-a", { at: "2025-11-20T00:00:00Z" } as never);

        await expect(attempt).rejects.toThrow(/type/);
      });
    });

    describe("changes", () => {
      const change = {
        key: "plan-a:abc:def",
        at: "2025-11-20T10:00:00Z",
        sourceId: "plan-a",
        kind: "modified",
        fromSnapshot: "abc",
        toSnapshot: "def",
        clauses: ["26"],
      };

      it("appends a change once and ignores a second one with the same key", async () => {
        const { store } = await open();

        const first = await store.appendChange(change);
        const second = await store.appendChange({ ...change, kind: "something else" });

        expect([first, second]).toEqual([true, false]);
        expect(await store.listChanges()).toEqual([change]);
      });

      it("accepts exactly one of several concurrent appends with the same key", async () => {
        const { store } = await open();

        const results = await Promise.all([1, 2, 3, 4].map((n) => store.appendChange({ ...change, n })));

        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.listChanges()).toHaveLength(1);
      });

      it("filters changes by source and by time", async () => {
        const { store } = await open();
        await store.appendChange({ ...change, key: "k1", at: "2025-11-19T00:00:00Z" });
        await store.appendChange({ ...change, key: "k2", at: "2025-11-21T00:00:00Z" });
        await store.appendChange({ ...change, key: "k3", sourceId: "plan-b", at: "2025-11-22T00:00:00Z" });

        const ofA = await store.listChanges({ sourceId: "plan-a" });
        const since = await store.listChanges({ since: "2025-11-21T00:00:00Z" });
        const both = await store.listChanges({ sourceId: "plan-b", since: "2025-11-20T00:00:00.000+00:00" });

        expect(ofA.map((c) => c.key)).toEqual(["k1", "k2"]);
        expect(since.map((c) => c.key)).toEqual(["k2", "k3"]);
        expect(both.map((c) => c.key)).toEqual(["k3"]);
      });

      it("rejects a change without a key and an unparsable since", async () => {
        const { store } = await open();

        await expect(store.appendChange({ ...change, key: "" })).rejects.toThrow(/key/);
        await expect(store.listChanges({ since: "last week" })).rejects.toThrow(/since/);
      });
    });

    describe("plan logs", () => {
      const version = (planId: string, id: string, sourceId: string) => ({
        type: "version",
        planId,
        id,
        sourceId,
        snapshotId: "0123456789abcdef",
      });

      it("reads a plan's records back in append order, per plan and log", async () => {
        const { store } = await open();
        await store.appendPlanLog("peace-plan", "lineage", [version("peace-plan", "v1", "wire")]);
        await store.appendPlanLog("trade-deal", "lineage", [version("trade-deal", "v1", "wire")]);
        await store.appendPlanLog("peace-plan", "lineage", [
          version("peace-plan", "v2", "outlet"),
          { type: "witness", planId: "peace-plan", version: "v2", sourceId: "outlet" },
        ]);
        await store.appendPlanLog("peace-plan", "coverage", [{ type: "mention", sourceId: "journal" }]);

        const lineage = await store.readPlanLog("peace-plan", "lineage");
        const coverage = await store.readPlanLog("peace-plan", "coverage");

        expect(lineage).toEqual([
          version("peace-plan", "v1", "wire"),
          version("peace-plan", "v2", "outlet"),
          { type: "witness", planId: "peace-plan", version: "v2", sourceId: "outlet" },
        ]);
        expect(coverage).toEqual([{ type: "mention", sourceId: "journal" }]);
        expect(await store.readPlanLog("unknown-plan", "lineage")).toEqual([]);
        expect(await store.listPlans()).toEqual(["peace-plan", "trade-deal"]);
      });

      it("filters a plan's records by source", async () => {
        const { store } = await open();
        await store.appendPlanLog("peace-plan", "lineage", [
          version("peace-plan", "v1", "wire"),
          version("peace-plan", "v2", "outlet"),
          version("peace-plan", "v3", "wire"),
        ]);

        const wire = await store.readPlanLog("peace-plan", "lineage", { sourceId: "wire" });

        expect(wire.map((record) => (record as { id?: string }).id)).toEqual(["v1", "v3"]);
      });

      it("rejects a plan id that could escape the store", async () => {
        const { store } = await open();

        await expect(store.appendPlanLog("../x", "lineage", [{ type: "version" }])).rejects.toThrow(
          /invalid plan id/,
        );
        await expect(store.readPlanLog("a/b", "coverage")).rejects.toThrow(/invalid plan id/);
      });
    });

    describe("outbox", () => {
      const entry = (id: string, at = "2025-11-20T10:00:00.000Z") => ({
        at,
        targets: ["desk"],
        alert: { id },
      });
      const delivery = (alertId: string, outcome: string, at = "2025-11-20T10:01:00.000Z") => ({
        at,
        alertId,
        notifier: "desk",
        outcome,
      });

      it("keeps the first start time it was given", async () => {
        const { store } = await open();

        const first = await store.outboxSince("2025-11-20T00:00:00.000Z");
        const second = await store.outboxSince("2025-11-21T00:00:00.000Z");

        expect([first, second]).toEqual(["2025-11-20T00:00:00.000Z", "2025-11-20T00:00:00.000Z"]);
      });

      it("appends an alert once per id and returns only what it wrote", async () => {
        const { store } = await open();

        const first = await store.appendOutboxAlerts([entry("a1"), entry("a2")]);
        const second = await store.appendOutboxAlerts([entry("a2", "2025-11-21T00:00:00.000Z"), entry("a3")]);

        expect(first.map((e) => e.alert.id)).toEqual(["a1", "a2"]);
        expect(second.map((e) => e.alert.id)).toEqual(["a3"]);
        expect((await store.readOutbox()).alerts).toEqual([entry("a1"), entry("a2"), entry("a3")]);
      });

      it("writes an alert enqueued by several callers at once exactly once", async () => {
        const { store } = await open();

        const results = await Promise.all([1, 2, 3, 4].map(() => store.appendOutboxAlerts([entry("same")])));

        expect(results.flat()).toHaveLength(1);
        expect((await store.readOutbox()).alerts).toHaveLength(1);
      });

      it("keeps delivery attempts and re-queues apart, each in order", async () => {
        const { store } = await open();
        await store.appendOutboxAlerts([entry("a1")]);
        await store.appendOutboxRecord("deliveries", delivery("a1", "failed"));
        await store.appendOutboxRecord("deliveries", delivery("a1", "dead", "2025-11-20T11:00:00.000Z"));
        await store.appendOutboxRecord("requeues", delivery("a1", "requeued", "2025-11-20T12:00:00.000Z"));

        const { deliveries, requeues } = await store.readOutbox();

        expect(deliveries.map((d) => d.outcome)).toEqual(["failed", "dead"]);
        expect(requeues).toEqual([delivery("a1", "requeued", "2025-11-20T12:00:00.000Z")]);
      });
    });

    describe("exclusive", () => {
      it("runs work under one key one at a time and other keys beside it", async () => {
        const { store } = await open();
        const log: string[] = [];
        let releaseFirst = () => {};
        const held = new Promise<void>((resolve) => {
          releaseFirst = resolve;
        });
        let entered = () => {};
        const inside = new Promise<void>((resolve) => {
          entered = resolve;
        });

        const first = store.exclusive("plan:a", async () => {
          log.push("a1 start");
          entered();
          await held;
          log.push("a1 end");
          return 1;
        });
        await inside;
        const second = store.exclusive("plan:a", async () => {
          log.push("a2 start");
          return 2;
        });
        const other = await store.exclusive("plan:b", async () => {
          log.push("b");
          return 3;
        });
        releaseFirst();
        const results = await Promise.all([first, second]);

        expect(other).toBe(3);
        expect(results).toEqual([1, 2]);
        expect(log).toEqual(["a1 start", "b", "a1 end", "a2 start"]);
      });

      it("passes the work's own error through and frees the key", async () => {
        const { store } = await open();

        const failing = store.exclusive("k", async () => {
          throw new RangeError("inside");
        });
        await expect(failing).rejects.toBeInstanceOf(RangeError);
        const after = await store.exclusive("k", async () => "free");

        expect(after).toBe("free");
      });
    });

    describe("history queries", () => {
      it("filters changes by plan and counts them per plan and kind", async () => {
        const { store } = await open();
        const base = { at: "2025-11-20T00:00:00Z", sourceId: "wire" };
        await store.appendChange({ ...base, key: "c1", planId: "peace-plan", kind: "content" });
        await store.appendChange({ ...base, key: "c2", planId: "trade-deal", kind: "content" });
        await store.appendChange({ ...base, key: "c3", planId: "peace-plan", kind: "baseline" });
        await store.appendChange({ ...base, key: "c4", kind: "baseline" });

        const ofPlan = await store.listChanges({ planId: "peace-plan" });
        const byPlan = await store.countChanges("planId");
        const byKind = await store.countChanges("kind");

        expect(ofPlan.map((c) => c.key)).toEqual(["c1", "c3"]);
        expect(byPlan).toEqual({ "peace-plan": 2, "trade-deal": 1 });
        expect(byKind).toEqual({ content: 2, baseline: 2 });
      });

      it("lists every source with its state, snapshot count and newest URL", async () => {
        const { store } = await open();
        const bodyHash = await store.putBody(encoder.encode("b"));
        await store.putSnapshot(makeInput("zeta", bodyHash, ["1"], { fetchedAt: "2025-11-20T00:00:00Z" }));
        await store.putSnapshot(
          makeInput("zeta", bodyHash, ["2"], {
            fetchedAt: "2025-11-21T00:00:00Z",
            url: "https://example.test/z2",
          }),
        );
        await store.setSourceState(baseState("alpha", { consecutiveFailures: 1 }));
        await store.appendEvent("mid", { at: "2025-11-20T00:00:00Z", type: "check" });

        const overviews = await store.listSourceOverviews();

        expect(overviews).toEqual([
          { sourceId: "alpha", state: baseState("alpha", { consecutiveFailures: 1 }), snapshots: 0 },
          { sourceId: "mid", snapshots: 0 },
          { sourceId: "zeta", snapshots: 2, latestUrl: "https://example.test/z2" },
        ]);
      });
    });

    it("lists every source it knows about", async () => {
      const { store } = await open();
      const bodyHash = await store.putBody(encoder.encode("b"));
      await store.putSnapshot(makeInput("zeta", bodyHash, ["1"]));
      await store.setSourceState(baseState("alpha"));
      await store.appendEvent("mid", { at: "2025-11-20T00:00:00Z", type: "check" });

      const sources = await store.listSources();

      expect(sources).toEqual(["alpha", "mid", "zeta"]);
    });

    it("verifies a healthy store as having no problems", async () => {
      const { store } = await open();
      const bodyHash = await store.putBody(encoder.encode("body"));
      await store.putSnapshot(makeInput("plan-a", bodyHash, ["One."]));
      await store.setSourceState(baseState("plan-a"));
      await store.appendEvent("plan-a", { at: "2025-11-20T00:00:00Z", type: "check" });
      await store.appendChange({ key: "k", at: "2025-11-20T00:00:00Z", sourceId: "plan-a", kind: "added" });

      const problems = await store.verify();

      expect(problems).toEqual([]);
    });

    it("refuses every operation after close", async () => {
      const { store } = await open();
      await store.close();

      await expect(store.putBody(encoder.encode("x"))).rejects.toThrow(/closed/);
      await expect(store.listChanges()).rejects.toThrow(/closed/);
      await expect(store.getSourceState("plan-a")).rejects.toThrow(/closed/);
    });

    it("keeps everything and stays idempotent across a restart", async (ctx) => {
      const subject = await open();
      if (subject.reopen === undefined) {
        ctx.skip();
        return;
      }
      const bodyHash = await subject.store.putBody(encoder.encode("persistent body"));
      const record = await subject.store.putSnapshot(makeInput("plan-a", bodyHash, ["One.", "Two."]));
      await subject.store.setSourceState(baseState("plan-a", { lastSnapshotId: record.id }));
      await subject.store.appendEvent("plan-a", { at: "2025-11-20T00:00:00Z", type: "changed" });
      await subject.store.appendChange({
        key: "k1",
        at: "2025-11-20T00:00:00Z",
        sourceId: "plan-a",
        kind: "added",
      });

      const store = await subject.reopen();
      const again = await store.appendChange({
        key: "k1",
        at: "2025-11-21T00:00:00Z",
        sourceId: "plan-a",
        kind: "x",
      });
      const reput = await store.putSnapshot(makeInput("plan-a", bodyHash, ["One.", "Two."]));

      expect(again).toBe(false);
      expect(reput.id).toBe(record.id);
      expect(await store.listSnapshots("plan-a")).toEqual([record]);
      expect((await store.getSnapshot(record.id)).clauseSet.clauses.map((c) => c.text)).toEqual([
        "One.",
        "Two.",
      ]);
      expect((await store.getBody(bodyHash)).toString()).toBe("persistent body");
      expect((await store.getSourceState("plan-a"))?.lastSnapshotId).toBe(record.id);
      expect(await store.readEvents("plan-a")).toEqual([{ at: "2025-11-20T00:00:00Z", type: "changed" }]);
      expect((await store.listChanges()).map((c) => c.key)).toEqual(["k1"]);
      expect(await store.verify()).toEqual([]);
    });

    it("keeps plan logs and the outbox across a restart", async (ctx) => {
      const subject = await open();
      if (subject.reopen === undefined) {
        ctx.skip();
        return;
      }
      await subject.store.appendPlanLog("peace-plan", "lineage", [{ type: "version", id: "v1" }]);
      await subject.store.outboxSince("2025-11-20T00:00:00.000Z");
      await subject.store.appendOutboxAlerts([
        { at: "2025-11-20T00:00:00.000Z", targets: ["desk"], alert: { id: "a1" } },
      ]);
      await subject.store.appendOutboxRecord("deliveries", {
        at: "2025-11-20T00:00:01.000Z",
        alertId: "a1",
        notifier: "desk",
        outcome: "delivered",
      });

      const store = await subject.reopen();
      const again = await store.appendOutboxAlerts([
        { at: "2025-11-21T00:00:00.000Z", targets: ["desk"], alert: { id: "a1" } },
      ]);

      expect(again).toEqual([]);
      expect(await store.readPlanLog("peace-plan", "lineage")).toEqual([{ type: "version", id: "v1" }]);
      expect(await store.outboxSince("2025-12-01T00:00:00.000Z")).toBe("2025-11-20T00:00:00.000Z");
      expect((await store.readOutbox()).deliveries.map((d) => d.outcome)).toEqual(["delivered"]);
      expect(await store.verify()).toEqual([]);
    });
  });
}
