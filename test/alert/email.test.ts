import { readFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { type AddressObject, type ParsedMail, simpleParser } from "mailparser";
import { pino } from "pino";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { buildAlert } from "../../src/alert/build.js";
import {
  ALERT_IDS_HEADER,
  createEmailNotifier,
  DELIVERY_HEADER,
  deliveryMessageId,
  EMAIL_NOTIFIER,
  emailHtml,
  planThreadId,
  replyRetryAfter,
} from "../../src/alert/notifiers/email.js";
import type { Alert, Notifier } from "../../src/alert/types.js";
import { diffClauses } from "../../src/diff/index.js";
import { readClauseSet } from "../../src/document.js";
import { NotifyError } from "../../src/errors.js";
import { packageRoot } from "../../src/paths.js";
import { digestHeadline } from "../../src/report/headline.js";
import type { SourceChange } from "../../src/worker/types.js";
import { type FailureMode, runNotifierConformance } from "./conformance.js";

const PLAN_DIR = join(packageRoot(), "test", "fixtures", "plan");
const HOSTILE_26 =
  '26. Each side will receive a full amnesty <script>alert("owned")</script> & all R&D claims are waived.';
const SILENT = pino({ level: "silent" });

async function planText(name: string): Promise<string> {
  return readFile(join(PLAN_DIR, name), "utf8");
}

/** A real change: v1 against a v2 whose point 26 carries markup, and point 6 raised to 800,000. */
async function hostileAlert(
  overrides: { key?: string; planId?: string; planTitle?: string; at?: string } = {},
): Promise<Alert> {
  const v1 = readClauseSet(await planText("v1-draft.txt"), { source: "v1-draft.txt" });
  const v2Text = (await planText("v2-amnesty.txt"))
    .replace(/^26\. .*$/m, HOSTILE_26)
    .replace("600,000", "800,000");
  const v2 = readClauseSet(v2Text, { source: "v2-hostile.txt" });
  const diff = diffClauses(v1, v2);
  const planTitle = overrides.planTitle ?? "Peace plan";
  const change: SourceChange = {
    key: overrides.key ?? "wire:2:content:5f1c0a",
    at: overrides.at ?? "2025-11-21T09:30:00.000Z",
    sourceId: "wire",
    planId: overrides.planId ?? "peace-plan",
    kind: "content",
    url: "https://wire.example/plan.txt",
    severity: diff.severity,
    headline: digestHeadline(diff, { prefix: planTitle }),
    fromSnapshot: "snap-a1",
    toSnapshot: "snap-b2",
    summary: diff.summary,
    entries: diff.entries.filter((entry) => entry.severity !== "none"),
  };
  const alert = buildAlert(change, {
    planTitle,
    sourceTitle: "Wire copy",
    publicBaseUrl: "https://watch.example/",
  });
  if (!alert) throw new Error("expected an alert for a content change");
  return alert;
}

interface Received {
  raw: string;
  mail: ParsedMail;
  rcptTo: string[];
  user: string | undefined;
}

type Failure = { at: "rcpt" | "data"; code: number; message: string; address?: string } | "hang";

interface Inbox {
  port: number;
  received: Received[];
  /** Failures consumed one per RCPT TO (or DATA) in order. */
  failures: Failure[];
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** A real SMTP server on a free loopback port, plain text, AUTH PLAIN optional. */
async function startInbox(options: Partial<SMTPServerOptions> = {}): Promise<Inbox> {
  const received: Received[] = [];
  const failures: Failure[] = [];
  const sockets = new Set<Socket>();
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ["STARTTLS"],
    authMethods: ["PLAIN"],
    authOptional: true,
    allowInsecureAuth: true,
    onRcptTo(address, _session, callback) {
      const failure = failures[0];
      if (failure === "hang") {
        failures.shift();
        return;
      }
      if (failure?.at === "rcpt" && (!failure.address || failure.address === address.address)) {
        failures.shift();
        callback(smtpError(failure.code, failure.message));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const failure = failures[0];
        if (failure !== "hang" && failure?.at === "data") {
          failures.shift();
          callback(smtpError(failure.code, failure.message));
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        void simpleParser(raw).then((mail) => {
          received.push({
            raw,
            mail,
            rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            user: session.user as string | undefined,
          });
          callback();
        }, callback);
      });
    },
    ...options,
  });
  server.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as { port: number };
  return {
    port,
    received,
    failures,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TCP server that accepts connections and never says a word (no SMTP greeting). */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function inbox(options?: Partial<SMTPServerOptions>): Promise<Inbox> {
  const box = await startInbox(options);
  cleanups.push(() => box.close());
  return box;
}

function notifier(port: number, extra: Record<string, unknown> = {}): Notifier {
  const { smtp, ...rest } = extra as { smtp?: Record<string, unknown> };
  const created = createEmailNotifier(
    {
      type: "email",
      smtp: { host: "127.0.0.1", port, ...smtp },
      from: "clausewatch <alerts@newsroom.test>",
      to: ["desk@newsroom.test"],
      timeoutMs: 2_000,
      ...rest,
    },
    { storageDir: "/nonexistent", logger: SILENT },
  );
  cleanups.push(async () => created.close?.());
  return created;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((entry) => entry.value.map((value) => value.address ?? ""));
}

function referencesOf(mail: ParsedMail): string[] {
  const refs = mail.references;
  return Array.isArray(refs) ? refs : refs ? [refs] : [];
}

async function rejection(promise: Promise<unknown>): Promise<NotifyError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(NotifyError);
  return error as NotifyError;
}

describe("email notifier", () => {
  it("delivers an alert whose subject is the headline, with a plain-text and an HTML part", async () => {
    const box = await inbox();
    const alert = await hostileAlert();
    const email = notifier(box.port, { cc: ["editor@newsroom.test"] });

    await email.send([alert], { deliveryId: `${alert.id}:email`, attempt: 1 });

    expect(box.received).toHaveLength(1);
    const { mail, rcptTo } = box.received[0] as Received;
    expect(mail.subject).toBe(alert.headline);
    expect(alert.headline.length).toBeLessThanOrEqual(140);
    expect(mail.from?.value[0]?.address).toBe("alerts@newsroom.test");
    expect(addresses(mail.to)).toEqual(["desk@newsroom.test"]);
    expect(addresses(mail.cc)).toEqual(["editor@newsroom.test"]);
    expect(rcptTo.sort()).toEqual(["desk@newsroom.test", "editor@newsroom.test"]);
    expect(mail.text).toContain(alert.headline);
    expect(mail.text).toContain("Point 26");
    expect(mail.text).toContain("800,000");
    expect(mail.html).toContain(alert.headline.replace(/&/g, "&amp;"));
    expect(mail.headers.get(DELIVERY_HEADER.toLowerCase())).toBe(`${alert.id}:email`);
    expect(mail.headers.get(ALERT_IDS_HEADER.toLowerCase())).toBe(alert.id);
  });

  it("escapes markup from a hostile clause and shows the change as <del>/<ins> in the HTML part", async () => {
    const box = await inbox();
    const alert = await hostileAlert();
    const email = notifier(box.port);

    await email.send([alert], { deliveryId: `${alert.id}:email`, attempt: 1 });

    const html = String(box.received[0]?.mail.html);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;");
    expect(html).toContain("R&amp;D");
    expect(html).toMatch(/<del style="[^"]*">[^<]*audit[^<]*<\/del>/);
    expect(html).toMatch(/<ins style="[^"]*">[^<]*amnesty/);
    expect(html).not.toMatch(/<link|<style|src=|url\(/i);
    expect(box.received[0]?.mail.text).toContain('<script>alert("owned")</script>');
  });

  it("carries provenance and the comparison link in both parts", async () => {
    const box = await inbox();
    const alert = await hostileAlert();
    const email = notifier(box.port);

    await email.send([alert], { deliveryId: `${alert.id}:email`, attempt: 1 });

    const { mail } = box.received[0] as Received;
    const compare = "https://watch.example/plans/peace-plan/compare/snap-a1..snap-b2";
    expect(alert.link).toBe(compare);
    expect(mail.text).toContain(compare);
    expect(mail.text).toContain("https://wire.example/plan.txt");
    expect(mail.text).toContain("snap-a1 → snap-b2");
    expect(mail.html).toContain(`<a href="${compare}"`);
    expect(mail.html).toContain("Wire copy (wire)");
  });

  it("threads a plan's alerts under one root id and keeps the Message-ID of a re-sent delivery", async () => {
    const box = await inbox();
    const first = await hostileAlert();
    const second = await hostileAlert({ key: "wire:3:content:77aa00" });
    const other = await hostileAlert({
      key: "eu:2:content:0b0b",
      planId: "eu-counter",
      planTitle: "EU text",
    });
    const email = notifier(box.port);

    await email.send([first], { deliveryId: `${first.id}:email`, attempt: 1 });
    await email.send([first], { deliveryId: `${first.id}:email`, attempt: 2 });
    await email.send([second], { deliveryId: `${second.id}:email`, attempt: 1 });
    await email.send([other], { deliveryId: `${other.id}:email`, attempt: 1 });

    const [sent, resent, next, elsewhere] = box.received.map((entry) => entry.mail);
    expect(sent?.messageId).toBe(deliveryMessageId(`${first.id}:email`));
    expect(resent?.messageId).toBe(sent?.messageId);
    expect(next?.messageId).not.toBe(sent?.messageId);
    for (const mail of [sent, resent, next]) {
      expect(mail?.inReplyTo).toBe("<plan.peace-plan@clausewatch>");
      expect(referencesOf(mail as ParsedMail)).toEqual(["<plan.peace-plan@clausewatch>"]);
    }
    expect(elsewhere?.inReplyTo).toBe(planThreadId("eu-counter"));
    expect(elsewhere?.inReplyTo).not.toBe(sent?.inReplyTo);
  });

  it("sends a digest as one message naming every headline, with 'N changes' in the subject", async () => {
    const box = await inbox();
    const alerts = [
      await hostileAlert({ key: "wire:2:content:1" }),
      await hostileAlert({ key: "eu:2:content:2", planId: "eu-counter", planTitle: "EU text" }),
      await hostileAlert({ key: "wire:3:content:3", planTitle: "Peace plan (rev)" }),
    ];
    const email = notifier(box.port, { subjectPrefix: "[clausewatch]" });

    await email.send(alerts, { deliveryId: "digest:email:wire:2:content:1", attempt: 1 });

    expect(box.received).toHaveLength(1);
    const { mail } = box.received[0] as Received;
    expect(mail.subject?.startsWith(`[clausewatch] 3 changes: ${alerts[0]?.headline.slice(0, 40)}`)).toBe(
      true,
    );
    expect((mail.subject ?? "").length).toBeLessThanOrEqual("[clausewatch] ".length + 140);
    for (const alert of alerts) expect(mail.text).toContain(alert.headline);
    expect(referencesOf(mail)).toEqual([planThreadId("peace-plan"), planThreadId("eu-counter")]);
    expect(mail.headers.get(ALERT_IDS_HEADER.toLowerCase())).toBe(alerts.map((alert) => alert.id).join(", "));
  });

  it("logs in with AUTH PLAIN and never puts the password in errors or logs", async () => {
    const box = await inbox({
      authOptional: false,
      onAuth(auth, _session, callback) {
        if (auth.username === "desk" && auth.password === "s3cret-pa55")
          return callback(null, { user: "desk" });
        callback(smtpError(535, "5.7.8 Authentication credentials invalid"));
      },
    });
    const lines: string[] = [];
    const logger = pino({ level: "trace" }, { write: (line: string) => lines.push(line) });
    const alert = await hostileAlert();
    const good = createEmailNotifier(
      {
        type: "email",
        smtp: { host: "127.0.0.1", port: box.port, user: "desk", pass: "s3cret-pa55" },
        from: "alerts@newsroom.test",
        to: ["desk@newsroom.test"],
      },
      { storageDir: "/nonexistent", logger },
    );
    const bad = notifier(box.port, { smtp: { user: "desk", pass: "wr0ng-pa55" } });

    await good.send([alert], { deliveryId: "a:email", attempt: 1 });
    const error = await rejection(bad.send([alert], { deliveryId: "b:email", attempt: 1 }));

    expect(box.received.map((entry) => entry.user)).toEqual(["desk"]);
    expect(error.permanent).toBe(true);
    expect(error.message).toMatch(/^email notifier: .*535/);
    expect(error.message).not.toContain("wr0ng-pa55");
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain("s3cret-pa55");
  });

  it("treats a 4xx rejection as transient and a 5xx rejection as permanent", async () => {
    const box = await inbox();
    const alert = await hostileAlert();
    const email = notifier(box.port);
    box.failures.push({ at: "rcpt", code: 450, message: "4.2.1 Mailbox busy, try later" });
    box.failures.push({ at: "rcpt", code: 550, message: "5.1.1 No such user" });
    box.failures.push({ at: "data", code: 451, message: "4.3.0 Queue full" });

    const busy = await rejection(email.send([alert], { deliveryId: "x:email", attempt: 1 }));
    const unknown = await rejection(email.send([alert], { deliveryId: "x:email", attempt: 2 }));
    const full = await rejection(email.send([alert], { deliveryId: "x:email", attempt: 3 }));
    await email.send([alert], { deliveryId: "x:email", attempt: 4 });

    expect(busy.permanent).toBe(false);
    expect(busy.message).toContain("450");
    expect(unknown.permanent).toBe(true);
    expect(unknown.message).toContain("550");
    expect(full.permanent).toBe(false);
    expect(full.message).toContain("451");
    expect(box.received).toHaveLength(1);
  });

  it("fails a delivery that some recipients refused, naming them", async () => {
    const box = await inbox();
    const alert = await hostileAlert();
    const email = notifier(box.port, { to: ["desk@newsroom.test", "gone@newsroom.test"] });
    box.failures.push({
      at: "rcpt",
      code: 550,
      message: "5.1.1 No such user",
      address: "gone@newsroom.test",
    });

    const error = await rejection(email.send([alert], { deliveryId: "y:email", attempt: 1 }));

    expect(error.permanent).toBe(true);
    expect(error.message).toContain("gone@newsroom.test");
    expect(box.received.map((entry) => entry.rcptTo)).toEqual([["desk@newsroom.test"]]);
  });

  it("gives up on a server that never greets within timeoutMs, as a transient failure", async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const alert = await hostileAlert();
    const email = notifier(silent.port, { timeoutMs: 300 });

    const error = await rejection(email.send([alert], { deliveryId: "z:email", attempt: 1 }));

    expect(error.permanent).toBe(false);
    expect(error.message).toBe(`email notifier: SMTP server 127.0.0.1:${silent.port} timed out after 300 ms`);
  }, 5_000);

  it("gives up on a server that stops answering in the middle of a message", async () => {
    const box = await inbox();
    box.failures.push("hang");
    const alert = await hostileAlert();
    const email = notifier(box.port, { timeoutMs: 300 });

    const error = await rejection(email.send([alert], { deliveryId: "h:email", attempt: 1 }));

    expect(error.permanent).toBe(false);
    expect(box.received).toHaveLength(0);
  }, 5_000);

  it("treats a refused connection as transient", async () => {
    const silent = await startSilentServer();
    const port = silent.port;
    await silent.close();
    const alert = await hostileAlert();
    const email = notifier(port);

    const error = await rejection(email.send([alert], { deliveryId: "c:email", attempt: 1 }));

    expect(error.permanent).toBe(false);
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it("refuses unusable options at construction with a permanent error", () => {
    const make = (options: Record<string, unknown>) => () =>
      createEmailNotifier(options as never, { storageDir: "/nonexistent", logger: SILENT });

    const noRecipients = make({ type: "email", smtp: { host: "127.0.0.1" }, from: "a@b.test", to: [] });
    const passWithoutUser = make({
      type: "email",
      smtp: { host: "127.0.0.1", pass: "x" },
      from: "a@b.test",
      to: ["c@d.test"],
    });

    expect(noRecipients).toThrow(/^email notifier: invalid options: to:/);
    expect(noRecipients).toThrow(NotifyError);
    expect(passWithoutUser).toThrow(/smtp\.pass is set but smtp\.user is not/);
  });

  it("names itself after its configured id", () => {
    const email = createEmailNotifier(
      { type: "email", id: "desk-mail", smtp: { host: "mail.invalid" }, from: "a@b.test", to: ["c@d.test"] },
      { storageDir: "/nonexistent", logger: SILENT },
    );

    expect(email.type).toBe(EMAIL_NOTIFIER);
    expect(email.id).toBe("desk-mail");
  });

  it("renders the HTML part the same way every time", async () => {
    const alert = await hostileAlert();

    const html = emailHtml([alert]);

    await expect(html).toMatchFileSnapshot("__snapshots__/email.html");
  });

  it("reads the wait a greylisting server asks for from its 4xx reply", async () => {
    const box = await inbox();
    box.failures.push({ at: "rcpt", code: 451, message: "4.7.1 Greylisted, please try again in 5 minutes" });
    const alert = await hostileAlert();
    const email = notifier(box.port);

    const error = await rejection(email.send([alert], { deliveryId: "g:email", attempt: 1 }));

    expect(error.permanent).toBe(false);
    expect(error.retryAfter).toBe(300);
    expect(replyRetryAfter("451 4.7.1 Try again later")).toBeUndefined();
    expect(replyRetryAfter("450 4.2.0 Greylisted; retry in 45 seconds")).toBe(45);
  });
});

/**
 * The suite's failure modes as an SMTP server shows them: a server error and a missing mailbox
 * as transient 4xx replies, Retry-After as a greylisting delay in the reply text. The suite also
 * checks that the error names the HTTP status it asked for, so each reply quotes it.
 */
function smtpFailureFor(how: FailureMode): Failure {
  switch (how) {
    case "status-500":
      return { at: "data", code: 451, message: "4.3.0 Internal error 500, message not queued" };
    case "status-404":
      return { at: "rcpt", code: 450, message: "4.2.1 Mailbox unavailable (404), try later" };
    case "retry-after":
      return { at: "rcpt", code: 451, message: "4.7.1 Greylisted, please try again in 7 seconds" };
    case "hang":
      return "hang";
  }
}

runNotifierConformance(
  "email",
  async () => {
    const box = await startInbox();
    const email = createEmailNotifier(
      {
        type: "email",
        smtp: { host: "127.0.0.1", port: box.port },
        from: "alerts@newsroom.test",
        to: ["desk@newsroom.test"],
        timeoutMs: 300,
      },
      { storageDir: "/nonexistent", logger: SILENT },
    );
    return {
      notifier: email,
      received: async () =>
        box.received.map(({ mail }) => {
          const deliveryId = mail.headers.get(DELIVERY_HEADER.toLowerCase());
          const alertIds = String(mail.headers.get(ALERT_IDS_HEADER.toLowerCase()) ?? "");
          return {
            ...(typeof deliveryId === "string" ? { deliveryId } : {}),
            alertIds: alertIds.split(", ").filter(Boolean),
            text: mail.text ?? "",
          };
        }),
      failNext(times, how) {
        for (let i = 0; i < times; i++) box.failures.push(smtpFailureFor(how));
      },
      async close() {
        await email.close?.();
        await box.close();
      },
    };
  },
  { canFail: true },
);
