import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  deliverPending,
  enqueueChanges,
  listAlerts,
  requeue,
  retryDelayMs,
  startAlerts,
  wants,
} from "../../src/alert/index.js";
import { createWebhookNotifier } from "../../src/alert/notifiers/webhook.js";
import { readRecords } from "../../src/alert/outbox.js";
import type { Notifier } from "../../src/alert/types.js";
import type { NotifierConfig } from "../../src/config/index.js";
import { createMemoryStore } from "../../src/store/index.js";
import { startServer, type TestServer } from "../helpers/http-server.js";
import {
  alertConfig,
  makeTempDir,
  manualClock,
  notifierEntry,
  type RecordingNotifier,
  recordingNotifier,
  sampleChange,
  silentLogger,
} from "./delivery-support.js";

let dir: string;
let cleanup: () => Promise<void>;
const servers: TestServer[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir());
});

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  await cleanup();
});

async function setUp(entries: NotifierConfig[], changes = [sampleChange(1)]) {
  const config = alertConfig(entries);
  await enqueueChanges(changes, { config, storageDir: dir });
  return config;
}

function pass(
  config: ReturnType<typeof alertConfig>,
  notifiers: Notifier[],
  clock: ReturnType<typeof manualClock>,
) {
  return deliverPending({ config, storageDir: dir, logger: silentLogger, notifiers, now: clock.now });
}

describe("the retry delay", () => {
  it("stays within full-jitter bounds that double per failure and stop at maxDelayMs", () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 10_000 };

    const lowest = [1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, { ...policy, random: () => 0 }));
    const highest = [1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, { ...policy, random: () => 0.999999 }));

    expect(lowest).toEqual([0, 0, 0, 0, 0, 0]);
    expect(highest).toEqual([999, 1999, 3999, 7999, 9999, 9999]);
  });

  it("honours Retry-After but never waits longer than maxDelayMs", () => {
    const policy = { baseDelayMs: 1000, maxDelayMs: 60_000, random: () => 0.5 };

    expect(retryDelayMs(1, policy, 30)).toBe(30_000);
    expect(retryDelayMs(1, policy, 3600)).toBe(60_000);
  });
});

describe("a failed delivery", () => {
  it("is retried only after the receiver's Retry-After, with the same delivery id", async () => {
    const config = await setUp([notifierEntry("desk", { retry: { baseDelayMs: 1, maxDelayMs: 600_000 } })]);
    const desk = recordingNotifier("desk");
    desk.failNext(1, "retry-after", 120);
    const clock = manualClock();

    const first = await pass(config, [desk], clock);
    clock.advance(119_000);
    const tooEarly = await pass(config, [desk], clock);
    clock.advance(1_000);
    const onTime = await pass(config, [desk], clock);

    expect(first).toMatchObject({ failed: 1, delivered: 0 });
    expect(tooEarly).toMatchObject({ delivered: 0, waiting: 1 });
    expect(onTime).toMatchObject({ delivered: 1 });
    const failed = (await readRecords(dir)).find((record) => record.outcome === "failed");
    expect(failed?.nextAttemptAt).toBe(new Date(clock.at() - 1_000 - 119_000 + 120_000).toISOString());
    expect(desk.sends).toEqual([
      {
        alertIds: [sampleChange(1).key],
        delivery: { deliveryId: `${sampleChange(1).key}:desk`, attempt: 2 },
      },
    ]);
  });

  it("stops the notifier for this pass after a transient failure, leaving the rest pending", async () => {
    const config = await setUp([notifierEntry("desk")], [sampleChange(1), sampleChange(2), sampleChange(3)]);
    const desk = recordingNotifier("desk");
    desk.failNext(1, "transient");

    const summary = await pass(config, [desk], manualClock());

    expect(summary).toEqual({ delivered: 0, failed: 1, dead: 0, waiting: 2 });
    expect((await listAlerts(dir, { status: "pending" })).map((row) => row.notifiers[0]?.attempts)).toEqual([
      1, 0, 0,
    ]);
  });

  it("that outlasts timeoutMs counts as a failure", async () => {
    const config = await setUp([notifierEntry("desk", { timeoutMs: 100 })]);
    const desk = recordingNotifier("desk");
    desk.failNext(1, "hang");

    const summary = await pass(config, [desk], manualClock());

    expect(summary.failed).toBe(1);
    const [row] = await listAlerts(dir);
    expect(row?.notifiers[0]).toMatchObject({ status: "pending", attempts: 1 });
    expect(row?.notifiers[0]?.lastError).toMatch(/no answer within 100 ms/);
  });

  it("gives up after giveUpAfterMinutes, and a re-queued alert is then delivered", async () => {
    const config = await setUp([
      notifierEntry("desk", { retry: { baseDelayMs: 1000, maxDelayMs: 1000, giveUpAfterMinutes: 5 } }),
    ]);
    const desk = recordingNotifier("desk");
    desk.failNext(10, "transient");
    const clock = manualClock();

    await pass(config, [desk], clock);
    clock.advance(5 * 60_000);
    const late = await pass(config, [desk], clock);
    const deadRows = await listAlerts(dir, { status: "dead" });
    const requeued = await requeue(dir, sampleChange(1).key, undefined, clock.now());
    desk.failNext(0, "transient");
    const healthy = recordingNotifier("desk");
    const after = await pass(config, [healthy], clock);

    expect(late).toMatchObject({ dead: 1, failed: 0 });
    expect(deadRows.map((row) => row.id)).toEqual([sampleChange(1).key]);
    expect(deadRows[0]?.notifiers[0]?.lastError).toMatch(/500/);
    expect(requeued).toEqual(["desk"]);
    expect(after).toMatchObject({ delivered: 1 });
    expect(healthy.sends[0]?.delivery).toEqual({ deliveryId: `${sampleChange(1).key}:desk`, attempt: 3 });
    expect((await listAlerts(dir))[0]?.status).toBe("delivered");
  });
});

describe("a receiver answering 404", () => {
  it("is a failure that is retried and finally dead, never delivered", async () => {
    const requests: string[] = [];
    const receiver = await startServer((req, res) => {
      requests.push(String(req.headers["x-clausewatch-delivery"]));
      res.writeHead(404).end("no such hook");
    });
    servers.push(receiver);
    const options = {
      type: "webhook" as const,
      id: "hook",
      url: `${receiver.url}/hook`,
      retry: { baseDelayMs: 1000, maxDelayMs: 1000, giveUpAfterMinutes: 10 },
    };
    const config = await setUp([notifierEntry("hook", options)]);
    const hook = createWebhookNotifier(options, { storageDir: dir, logger: silentLogger });
    const clock = manualClock();

    const first = await pass(config, [hook], clock);
    clock.advance(10 * 60_000);
    const last = await pass(config, [hook], clock);

    expect(first).toMatchObject({ delivered: 0, failed: 1 });
    expect(last).toMatchObject({ delivered: 0, dead: 1 });
    expect(requests).toEqual([`${sampleChange(1).key}:hook`, `${sampleChange(1).key}:hook`]);
    const [row] = await listAlerts(dir);
    expect(row?.notifiers[0]).toMatchObject({ status: "dead", attempts: 2 });
    expect(row?.notifiers[0]?.lastError).toMatch(/404/);
    expect((await readRecords(dir)).some((record) => record.outcome === "delivered")).toBe(false);
  });

  it("a permanent error makes the alert dead at once", async () => {
    const config = await setUp([notifierEntry("desk")]);
    const desk = recordingNotifier("desk");
    desk.failNext(1, "permanent");

    const summary = await pass(config, [desk], manualClock());

    expect(summary).toMatchObject({ delivered: 0, dead: 1 });
    expect((await listAlerts(dir, { status: "dead" })).map((row) => row.id)).toEqual([sampleChange(1).key]);
  });
});

describe("two notifiers", () => {
  it("deliver independently: a receiver that never answers does not stop the other in the same pass", async () => {
    const hanging = await startServer(() => {
      // Never answers.
    });
    servers.push(hanging);
    const config = await setUp(
      [
        notifierEntry("stuck", { type: "webhook", url: `${hanging.url}/hook`, timeoutMs: 300 }),
        notifierEntry("desk"),
      ],
      [sampleChange(1), sampleChange(2)],
    );
    const webhook = createWebhookNotifier(
      { type: "webhook", id: "stuck", url: `${hanging.url}/hook`, timeoutMs: 300 },
      { storageDir: dir, logger: silentLogger },
    );
    let stuckSettled = false;
    const stuck: Notifier = {
      type: webhook.type,
      id: webhook.id,
      send: (alerts, delivery) =>
        webhook.send(alerts, delivery).finally(() => {
          stuckSettled = true;
        }),
    };
    const recording = recordingNotifier("desk");
    const sentWhileStuckWaited: boolean[] = [];
    const desk: Notifier = {
      type: recording.type,
      id: recording.id,
      send: (alerts, delivery) => {
        sentWhileStuckWaited.push(!stuckSettled);
        return recording.send(alerts, delivery);
      },
    };

    const summary = await pass(config, [stuck, desk], manualClock());

    expect(recording.sends.map((send) => send.alertIds[0])).toEqual([
      sampleChange(1).key,
      sampleChange(2).key,
    ]);
    expect(sentWhileStuckWaited).toEqual([true, true]);
    expect(summary).toEqual({ delivered: 2, failed: 1, dead: 0, waiting: 1 });
    const rows = await listAlerts(dir);
    expect(rows.map((row) => row.notifiers.map((notifier) => `${notifier.id}:${notifier.status}`))).toEqual([
      ["stuck:pending", "desk:delivered"],
      ["stuck:pending", "desk:delivered"],
    ]);
  });
});

describe("a digest notifier", () => {
  let digest: RecordingNotifier;
  let config: ReturnType<typeof alertConfig>;
  const clock = manualClock();

  beforeEach(async () => {
    config = await setUp(
      [notifierEntry("daily", { digestMinutes: 60 })],
      [sampleChange(1), sampleChange(2), sampleChange(3)],
    );
    digest = recordingNotifier("daily");
  });

  it("sends the pending alerts as one message, then waits out its window", async () => {
    const first = await pass(config, [digest], clock);
    await enqueueChanges([sampleChange(4)], { config, storageDir: dir });
    clock.advance(30 * 60_000);
    const inWindow = await pass(config, [digest], clock);
    clock.advance(30 * 60_000);
    const nextWindow = await pass(config, [digest], clock);

    expect(first).toMatchObject({ delivered: 3 });
    expect(inWindow).toMatchObject({ delivered: 0, waiting: 1 });
    expect(nextWindow).toMatchObject({ delivered: 1 });
    expect(digest.sends).toEqual([
      {
        alertIds: [1, 2, 3].map((n) => sampleChange(n).key),
        delivery: { deliveryId: `digest:daily:${sampleChange(1).key}`, attempt: 1 },
      },
      {
        alertIds: [sampleChange(4).key],
        delivery: { deliveryId: `digest:daily:${sampleChange(4).key}`, attempt: 1 },
      },
    ]);
  });

  it("retries a failed digest as exactly the same alerts under the same delivery id", async () => {
    digest.failNext(1, "transient");

    await pass(config, [digest], clock);
    await enqueueChanges([sampleChange(4)], { config, storageDir: dir });
    clock.advance(11 * 60_000);
    await pass(config, [digest], clock);

    expect(digest.sends).toEqual([
      {
        alertIds: [1, 2, 3].map((n) => sampleChange(n).key),
        delivery: { deliveryId: `digest:daily:${sampleChange(1).key}`, attempt: 2 },
      },
    ]);
  });
});

describe("a notifier's filters", () => {
  const change = sampleChange(1, { severity: "minor" });

  it("never want cosmetic, suppressed or baseline changes, nor anything when disabled", () => {
    const open = notifierEntry("desk", { minSeverity: "none" });

    expect(wants(open, sampleChange(1, { severity: "cosmetic" }))).toBe(false);
    expect(wants(open, sampleChange(1, { severity: "none" }))).toBe(false);
    expect(wants(open, sampleChange(1, { suppressed: true }))).toBe(false);
    expect(wants(open, sampleChange(1, { kind: "baseline" }))).toBe(false);
    expect(wants(notifierEntry("desk", { enabled: false }), change)).toBe(false);
    expect(wants(open, change)).toBe(true);
  });

  it("apply minSeverity, plans, sources and kinds", () => {
    expect(wants(notifierEntry("a", { minSeverity: "substantive" }), change)).toBe(false);
    expect(wants(notifierEntry("a", { minSeverity: "substantive" }), sampleChange(1))).toBe(true);
    expect(wants(notifierEntry("a", { plans: ["trade-deal"] }), change)).toBe(false);
    expect(wants(notifierEntry("a", { plans: ["peace-plan"] }), change)).toBe(true);
    expect(wants(notifierEntry("a", { sources: ["outlet"] }), change)).toBe(false);
    expect(wants(notifierEntry("a", { sources: ["wire"] }), change)).toBe(true);
    expect(wants(notifierEntry("a", { kinds: ["source-broken", "recovered"] }), change)).toBe(false);
    expect(wants(notifierEntry("a", { kinds: ["content"] }), change)).toBe(true);
  });
});

describe("the worker's alert runner", () => {
  it("never runs two passes at once, and stop() waits for the pass in flight", async () => {
    const config = alertConfig([notifierEntry("desk")]);
    let release: () => void = () => undefined;
    let inFlight = 0;
    let mostInFlight = 0;
    const sent: string[] = [];
    const desk: Notifier = {
      type: "test",
      id: "desk",
      async send(alerts) {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        sent.push(...alerts.map((alert) => alert.id));
        inFlight--;
      },
    };
    const runner = startAlerts({
      config,
      storageDir: dir,
      logger: silentLogger,
      notifiers: [desk],
      intervalMs: 0,
    });
    await runner.enqueue([sampleChange(1)]);
    const first = runner.deliver();
    const second = runner.deliver();
    const third = runner.deliver();
    while (inFlight === 0) await new Promise((resolve) => setImmediate(resolve));

    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const stoppedBeforeRelease = stopped;
    release();
    await Promise.all([first, second, third, stopping]);

    expect(second).toBe(third);
    expect(stoppedBeforeRelease).toBe(false);
    expect(mostInFlight).toBe(1);
    expect(sent).toEqual([sampleChange(1).key]);
    expect((await listAlerts(dir))[0]?.status).toBe("delivered");
  });

  it("catches up on changes the store holds but the outbox missed, at start", async () => {
    const config = alertConfig([notifierEntry("desk")]);
    const store = createMemoryStore();
    const desk = recordingNotifier("desk");
    const first = startAlerts({
      config,
      storageDir: dir,
      logger: silentLogger,
      notifiers: [desk],
      intervalMs: 0,
      store,
    });
    await first.enqueue([]);
    await first.stop();
    await store.appendChange(sampleChange(1, { at: new Date().toISOString() }));

    const second = startAlerts({
      config,
      storageDir: dir,
      logger: silentLogger,
      notifiers: [desk],
      intervalMs: 0,
      store,
    });
    const summary = await second.deliver();
    await second.stop();

    expect(summary).toMatchObject({ delivered: 1 });
    expect(desk.sends.map((send) => send.alertIds)).toEqual([[sampleChange(1).key]]);
  });
});

describe("delivery after an outage", () => {
  it("delivers a notifier's alerts in detection order, never overtaking one that backs off", async () => {
    const entry = notifierEntry("hook", {
      retry: { baseDelayMs: 1000, maxDelayMs: 60_000, giveUpAfterMinutes: 60 },
    });
    const config = await setUp([entry], [sampleChange(1), sampleChange(2), sampleChange(3)]);
    const hook = recordingNotifier("hook");
    const clock = manualClock();
    const run = () =>
      deliverPending({
        config,
        storageDir: dir,
        logger: silentLogger,
        notifiers: [hook],
        now: clock.now,
        random: () => 0.999,
      });

    hook.failNext(1, "transient");
    const down = await run();
    clock.advance(500);
    const stillBackingOff = await run();
    clock.advance(1000);
    const back = await run();

    expect(down).toMatchObject({ delivered: 0, failed: 1, waiting: 2 });
    expect(stillBackingOff).toMatchObject({ delivered: 0, failed: 0, waiting: 3 });
    expect(back).toMatchObject({ delivered: 3, failed: 0, waiting: 0 });
    expect(hook.sends.map((send) => send.alertIds[0])).toEqual([
      sampleChange(1).key,
      sampleChange(2).key,
      sampleChange(3).key,
    ]);
  });
});
