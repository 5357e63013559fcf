/**
 * The log notifier: one JSON line per alert (the alert plus its `deliveryId`) on stdout, for dry
 * runs, tests and log shippers. A digest writes one line per alert, all with the digest's id.
 */
import { z } from "zod";
import { NotifyError } from "../../errors.js";
import type { Alert, DeliveryContext, Notifier, NotifierContext } from "../types.js";
import { notifierCommonFields, parseNotifierOptions } from "./common.js";

export const LOG_NOTIFIER = "log";

export const LogNotifierOptions = z
  .strictObject({
    type: z.literal(LOG_NOTIFIER).describe("Write each alert as one JSON line on stdout"),
    ...notifierCommonFields,
  })
  .describe("Writes alerts as JSON lines on stdout; useful for dry runs and log shippers");

export type LogNotifierOptions = z.infer<typeof LogNotifierOptions>;

function writeText(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** Creates the `log` notifier; throws a permanent NotifyError when the options are unusable. */
export function createLogNotifier(
  input: z.input<typeof LogNotifierOptions>,
  context: NotifierContext,
): Notifier {
  const options = parseNotifierOptions(LogNotifierOptions, input, "log");
  const id = options.id ?? LOG_NOTIFIER;
  const out = context.stdout ?? process.stdout;
  return {
    type: LOG_NOTIFIER,
    id,
    async send(alerts: Alert[], delivery: DeliveryContext) {
      const text = alerts
        .map((alert) => `${JSON.stringify({ ...alert, deliveryId: delivery.deliveryId })}\n`)
        .join("");
      try {
        await writeText(out, text);
      } catch (error) {
        throw new NotifyError(
          `log notifier "${id}": could not write ${alerts.length} alert line(s) to stdout`,
          {
            cause: error,
          },
        );
      }
    },
  };
}
