/**
 * The explicit registry of notifier drivers: `type` in the config → options schema and factory.
 * test/alert/registry.test.ts lists this folder and fails when a driver file has no entry here.
 */
import type { z } from "zod";
import type { Notifier, NotifierContext } from "../types.js";
import { ATOM_NOTIFIER, AtomNotifierOptions, createAtomNotifier } from "./atom.js";
import { createEmailNotifier, EMAIL_NOTIFIER, EmailNotifierOptions } from "./email.js";
import { createLogNotifier, LOG_NOTIFIER, LogNotifierOptions } from "./log.js";
import { createSlackNotifier, SLACK_NOTIFIER, SlackNotifierOptions } from "./slack.js";
import { createWebhookNotifier, WEBHOOK_NOTIFIER, WebhookNotifierOptions } from "./webhook.js";

export interface NotifierDriver {
  /** The driver's zod options schema (with `type` and the common fields). */
  options: z.ZodType;
  /** Validates the options (permanent NotifyError when unusable) and creates the notifier. */
  create(options: Record<string, unknown>, context: NotifierContext): Notifier;
}

export const notifierDrivers: Record<string, NotifierDriver> = {
  [LOG_NOTIFIER]: {
    options: LogNotifierOptions,
    create: (options, context) => createLogNotifier(options as z.input<typeof LogNotifierOptions>, context),
  },
  [WEBHOOK_NOTIFIER]: {
    options: WebhookNotifierOptions,
    create: (options, context) =>
      createWebhookNotifier(options as z.input<typeof WebhookNotifierOptions>, context),
  },
  [SLACK_NOTIFIER]: {
    options: SlackNotifierOptions,
    create: (options, context) =>
      createSlackNotifier(options as z.input<typeof SlackNotifierOptions>, context),
  },
  [ATOM_NOTIFIER]: {
    options: AtomNotifierOptions,
    create: (options, context) => createAtomNotifier(options as z.input<typeof AtomNotifierOptions>, context),
  },
  [EMAIL_NOTIFIER]: {
    options: EmailNotifierOptions,
    create: (options, context) =>
      createEmailNotifier(options as z.input<typeof EmailNotifierOptions>, context),
  },
};
