import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogNotifier, LOG_NOTIFIER } from "../../src/alert/notifiers/log.js";
import type { Alert } from "../../src/alert/types.js";
import { NotifyError } from "../../src/errors.js";
import { fixtureAlerts, type ReceivedMessage, runNotifierConformance } from "./conformance.js";
import { silentLogger } from "./delivery-support.js";

/** Collects what the notifier writes; each line is one alert. */
function capture(): { stream: PassThrough; lines(): Array<Alert & { deliveryId: string }> } {
  const stream = new PassThrough();
  let text = "";
  stream.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
  });
  return {
    stream,
    lines: () =>
      text
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as Alert & { deliveryId: string }),
  };
}

runNotifierConformance(
  LOG_NOTIFIER,
  () => {
    const out = capture();
    const notifier = createLogNotifier(
      { type: "log" },
      { storageDir: "/nonexistent", logger: silentLogger, stdout: out.stream },
    );
    return {
      notifier,
      async received() {
        // A digest is one write of several lines, so group consecutive lines by delivery id.
        const messages: ReceivedMessage[] = [];
        for (const line of out.lines()) {
          const last = messages.at(-1);
          if (last && last.deliveryId === line.deliveryId && !last.alertIds.includes(line.id)) {
            last.alertIds.push(line.id);
            last.text += `\n${line.headline}`;
          } else {
            messages.push({ deliveryId: line.deliveryId, alertIds: [line.id], text: line.headline });
          }
        }
        return messages;
      },
      failNext() {
        // stdout cannot refuse a line.
      },
      close: async () => undefined,
    };
  },
  { canFail: false },
);

describe("the log notifier", () => {
  it("writes one JSON line per alert: the alert plus its delivery id", async () => {
    const out = capture();
    const notifier = createLogNotifier(
      { type: "log", id: "dry-run" },
      { storageDir: "/nonexistent", logger: silentLogger, stdout: out.stream },
    );
    const [first, second] = fixtureAlerts();

    await notifier.send([first, second], { deliveryId: `digest:dry-run:${first.id}`, attempt: 1 });

    expect(notifier.id).toBe("dry-run");
    expect(out.lines()).toEqual([
      { ...first, deliveryId: `digest:dry-run:${first.id}` },
      { ...second, deliveryId: `digest:dry-run:${first.id}` },
    ]);
  });

  it("rejects with NotifyError when its stream cannot be written", async () => {
    const out = new PassThrough();
    out.destroy();
    const notifier = createLogNotifier(
      { type: "log" },
      { storageDir: "/nonexistent", logger: silentLogger, stdout: out },
    );
    const [alert] = fixtureAlerts();

    await expect(
      notifier.send([alert], { deliveryId: `${alert.id}:log`, attempt: 1 }),
    ).rejects.toBeInstanceOf(NotifyError);
  });

  it("refuses unusable options at construction", () => {
    expect(() =>
      createLogNotifier({ type: "log", minSeverity: "loud" } as never, {
        storageDir: "/nonexistent",
        logger: silentLogger,
      }),
    ).toThrow(/log notifier: invalid options/);
  });
});
