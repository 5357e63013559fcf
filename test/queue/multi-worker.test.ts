/**
 * Three `clausewatch run` processes on one database and 300 loopback sources: the schedule fires
 * once across them, every source is checked once per tick, every alert reaches the receiver once,
 * and a worker killed with SIGKILL mid-cycle loses nothing — its checks are run by the others
 * once their lease runs out.
 */
import { existsSync } from "node:fs";
import { afterEach, expect, it } from "vitest";
import { CLI } from "../helpers/cli.js";
import type { TestServer } from "../helpers/http-server.js";
import { describePg } from "../helpers/pg.js";
import {
  type Cluster,
  checksPerTick,
  makeCluster,
  planText,
  startReceiver,
  startSite,
  startWorker,
  type Worker,
  waitFor,
} from "./support.js";

const SOURCES = 300;
const TICK_SECONDS = 20;
const allSources = Array.from({ length: SOURCES }, (_, index) => `s${index}`);

const servers: TestServer[] = [];
const workers: Worker[] = [];
let cluster: Cluster | undefined;

afterEach(async () => {
  for (const worker of workers.splice(0)) {
    worker.child.kill("SIGKILL");
    await worker.exited;
  }
  for (const server of servers.splice(0)) await server.close();
  await cluster?.cleanup();
  cluster = undefined;
});

function complete(perSource: Map<string, number> | undefined): boolean {
  return perSource !== undefined && allSources.every((id) => perSource.has(id));
}

describePg.skipIf(!existsSync(CLI))("three workers on one schedule", () => {
  it("check each of 300 sources exactly once per tick and deliver each alert once", {
    timeout: 240_000,
  }, async () => {
    // Each tick window serves a new figure, so every tick after the first is a new version.
    const site = await startSite((index) => planText(index, Math.floor(Date.now() / (TICK_SECONDS * 1000))));
    const receiver = await startReceiver();
    servers.push(site, receiver);
    cluster = await makeCluster({
      sources: SOURCES,
      siteUrl: site.url,
      receiverUrl: receiver.url,
      schedule: `*/${TICK_SECONDS} * * * * *`,
    });
    const db = cluster;

    workers.push(...[1, 2, 3].map(() => startWorker(db.configFile)));
    await waitFor(
      async () => [...(await checksPerTick(db)).values()].filter(complete).length >= 3,
      200_000,
      async () =>
        `ticks so far: ${JSON.stringify([...(await checksPerTick(db))].map(([tick, m]) => [tick, m.size]))}; ${workers.map((w) => w.stderr()).join("\n")}`,
    );
    await waitFor(
      async () => {
        const [row] = await db.sql<{ alerts: string; delivered: string }>(
          `SELECT (SELECT count(*) FROM $S.outbox_alerts) AS alerts,
                  (SELECT count(DISTINCT alert_id) FROM $S.outbox_records WHERE outcome = 'delivered') AS delivered`,
        );
        return row !== undefined && row.alerts === row.delivered;
      },
      60_000,
      () => `deliveries pending; receipts ${receiver.receipts.length}`,
    );
    const codes = await Promise.all(workers.map((worker) => worker.stop()));

    expect(codes, workers.map((w) => w.stderr()).join("\n")).toEqual([0, 0, 0]);
    const ticks = await checksPerTick(db);
    const completeTicks = [...ticks].filter(([, perSource]) => complete(perSource));
    expect(completeTicks.length).toBeGreaterThanOrEqual(3);
    const duplicates = [...ticks].flatMap(([tick, perSource]) =>
      [...perSource].filter(([, n]) => n > 1).map(([id, n]) => `${id}@${tick}×${n}`),
    );
    expect(duplicates).toEqual([]);
    const checked = new Map<string, number>();
    for (const [, perSource] of ticks)
      for (const [id] of perSource) checked.set(id, (checked.get(id) ?? 0) + 1);
    const fetchedMoreThanChecked = allSources.filter(
      (id) => (site.hits.get(`/${id}.txt`) ?? 0) !== checked.get(id),
    );
    expect(fetchedMoreThanChecked).toEqual([]);
    // Each tick's job for a source was inserted once, however many workers dispatched the tick.
    const jobs = await db.sql<{ tick: string; n: string }>(
      `SELECT data->>'tick' AS tick, count(*) AS n, count(DISTINCT singleton_key) AS keys
       FROM "${db.schema}_queue".job WHERE name = 'clausewatch-check' GROUP BY 1 HAVING count(*) <> count(DISTINCT singleton_key)`,
    );
    expect(jobs).toEqual([]);
    const byWorker = await db.sql<{ worker: string }>(
      `SELECT DISTINCT output->>'worker' AS worker FROM "${db.schema}_queue".job WHERE name = 'clausewatch-check' AND state = 'completed'`,
    );
    expect(byWorker).toHaveLength(3);

    const changes = await db.sql<{ key: string; kind: string }>("SELECT key, kind FROM $S.changes");
    const alerted = changes.filter((change) => change.kind !== "baseline").map((change) => change.key);
    expect(alerted.length).toBeGreaterThanOrEqual(SOURCES * (completeTicks.length - 1));
    const received = receiver.receipts.map((receipt) => receipt.alertId).sort();
    expect(received).toEqual([...alerted].sort());
    expect(new Set(receiver.receipts.map((receipt) => receipt.deliveryId)).size).toBe(
      receiver.receipts.length,
    );
    expect(receiver.receipts.every((receipt) => receipt.deliveryId === `${receipt.alertId}:hook`)).toBe(true);
  });

  it("after one is killed with SIGKILL mid-cycle, give its checks to the others and lose nothing", {
    timeout: 180_000,
  }, async () => {
    const site = await startSite((index) => planText(index, 0), 400);
    servers.push(site);
    const leaseSeconds = 6;
    // A schedule that never fires during the test: the one cycle is the start tick.
    cluster = await makeCluster({
      sources: SOURCES,
      siteUrl: site.url,
      schedule: "0 0 1 1 *",
      leaseSeconds,
      concurrency: 8,
    });
    const db = cluster;
    workers.push(...[1, 2, 3].map(() => startWorker(db.configFile)));
    const victim = workers[0] as Worker;
    await waitFor(
      async () => {
        const [row] = await db.sql<{ n: string }>("SELECT count(*) AS n FROM $S.events");
        return Number(row?.n ?? 0) >= 40;
      },
      90_000,
      () => workers.map((w) => w.stderr()).join("\n"),
    );

    victim.child.kill("SIGKILL");
    await victim.exited;
    const killedAt = Date.now();
    const [{ active } = { active: "0" }] = await db.sql<{ active: string }>(
      `SELECT count(*) AS active FROM "${db.schema}_queue".job WHERE name = 'clausewatch-check' AND state = 'active'`,
    );
    await waitFor(
      async () => complete([...(await checksPerTick(db)).values()][0]),
      90_000,
      async () => `checked ${[...(await checksPerTick(db)).values()][0]?.size ?? 0} of ${SOURCES}`,
    );
    const finishedAfterMs = Date.now() - killedAt;
    const codes = await Promise.all(workers.slice(1).map((worker) => worker.stop()));

    expect(codes, workers.map((w) => w.stderr()).join("\n")).toEqual([0, 0]);
    expect(Number(active)).toBeGreaterThan(0);
    // The dead worker's checks were retried by the others, which can only happen after the lease.
    const retried = await db.sql<{ singleton_key: string }>(
      `SELECT singleton_key FROM "${db.schema}_queue".job WHERE name = 'clausewatch-check' AND retry_count > 0`,
    );
    expect(retried.length).toBeGreaterThan(0);
    expect(finishedAfterMs).toBeGreaterThanOrEqual(leaseSeconds * 1000 - 2000);
    const ticks = [...(await checksPerTick(db)).values()];
    expect(ticks).toHaveLength(1);
    const baselines = await db.sql<{ source_id: string; n: string }>(
      "SELECT source_id, count(*) AS n FROM $S.changes WHERE kind = 'baseline' GROUP BY 1",
    );
    expect(baselines.map((row) => row.source_id).sort()).toEqual([...allSources].sort());
    expect(baselines.every((row) => row.n === "1")).toBe(true);
    const states = await db.sql<{ n: string }>(
      "SELECT count(*) AS n FROM $S.source_states WHERE state->>'lastSnapshotId' IS NOT NULL",
    );
    expect(states[0]?.n).toBe(String(SOURCES));
  });
});
