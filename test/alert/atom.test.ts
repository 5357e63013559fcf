import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildAlert } from "../../src/alert/build.js";
import {
  ATOM_NOTIFIER,
  atomEntryId,
  atomFeedId,
  atomFeedPath,
  createAtomNotifier,
} from "../../src/alert/notifiers/atom.js";
import type { Alert, Notifier } from "../../src/alert/types.js";
import { diffClauses } from "../../src/diff/index.js";
import { readClauseSet } from "../../src/document.js";
import { NotifyError } from "../../src/errors.js";
import { packageRoot } from "../../src/paths.js";
import { digestHeadline } from "../../src/report/headline.js";
import type { SourceChange } from "../../src/worker/types.js";
import { type ReceivedMessage, runNotifierConformance } from "./conformance.js";

const PLAN_DIR = join(packageRoot(), "test", "fixtures", "plan");
const SILENT = pino({ level: "silent" });
const HOSTILE_26 =
  "26. Each side will receive a full amnesty <script>alert(1)</script> & all R&D claims \u0001are waived.";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "clausewatch-atom-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The change from the draft to the amnesty version (point 26 carrying markup), as the worker stores it. */
async function baseChange(): Promise<SourceChange> {
  const v1 = readClauseSet(await readFile(join(PLAN_DIR, "v1-draft.txt"), "utf8"), {
    source: "v1-draft.txt",
  });
  const v2Text = (await readFile(join(PLAN_DIR, "v2-amnesty.txt"), "utf8")).replace(/^26\. .*$/m, HOSTILE_26);
  const v2 = readClauseSet(v2Text, { source: "v2-hostile.txt" });
  const diff = diffClauses(v1, v2);
  return {
    key: "wire:2:content:5f1c0a",
    at: "2025-11-21T09:30:00.000Z",
    sourceId: "wire",
    planId: "peace-plan",
    kind: "content",
    url: "https://wire.example/plan.txt?a=1&b=2",
    severity: diff.severity,
    headline: digestHeadline(diff, { prefix: "Peace plan" }),
    fromSnapshot: "snap-a1",
    toSnapshot: "snap-b2",
    summary: diff.summary,
    entries: diff.entries.filter((entry) => entry.severity !== "none"),
  };
}

let base: SourceChange | undefined;

async function alertAt(
  key: string,
  at: string,
  overrides: Partial<SourceChange> & { planTitle?: string; publicBaseUrl?: string } = {},
): Promise<Alert> {
  base ??= await baseChange();
  const { planTitle, publicBaseUrl, ...change } = overrides;
  const alert = buildAlert(
    { ...base, key, at, ...change },
    { planTitle: planTitle ?? "Peace plan", ...(publicBaseUrl ? { publicBaseUrl } : {}) },
  );
  if (!alert) throw new Error("expected an alert for a content change");
  return alert;
}

function atom(options: Record<string, unknown> = {}): Notifier {
  return createAtomNotifier({ type: "atom", ...options }, { storageDir: dir, logger: SILENT });
}

interface ParsedEntry {
  id: string;
  title: { "#text": string; "@_type": string };
  updated: string;
  author: { name: string };
  link?: Array<{ "@_href": string; "@_rel": string }>;
  content: { "#text": string; "@_type": string };
}

interface ParsedFeed {
  feed: {
    "@_xmlns": string;
    id: string;
    title: { "#text": string };
    updated: string;
    author: { name: string };
    entry?: ParsedEntry[];
  };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === "entry" || name === "link" || name === "category",
});

async function readFeed(planId = "peace-plan"): Promise<{ xml: string; feed: ParsedFeed["feed"] }> {
  const xml = await readFile(atomFeedPath(dir, planId), "utf8");
  expect(XMLValidator.validate(xml, { allowBooleanAttributes: false })).toBe(true);
  return { xml, feed: (parser.parse(xml) as ParsedFeed).feed };
}

function entries(feed: ParsedFeed["feed"]): ParsedEntry[] {
  return feed.entry ?? [];
}

describe("atom notifier", () => {
  it("writes a well-formed Atom 1.0 feed for the plan under <storageDir>/feeds", async () => {
    const alert = await alertAt("wire:2:content:1", "2025-11-21T09:30:00.000Z", {
      publicBaseUrl: "https://watch.example",
    });

    await atom().send([alert], { deliveryId: `${alert.id}:atom`, attempt: 1 });

    expect(await readdir(join(dir, "feeds"))).toContain("peace-plan.atom.xml");
    const { xml, feed } = await readFeed();
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(feed["@_xmlns"]).toBe("http://www.w3.org/2005/Atom");
    expect(feed.id).toBe(atomFeedId("peace-plan"));
    expect(feed.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(feed.title["#text"]).toBe("Peace plan — clausewatch");
    expect(feed.updated).toBe("2025-11-21T09:30:00.000Z");
    expect(feed.author.name).toBe("clausewatch");
    const [entry] = entries(feed);
    expect(entry?.id).toBe(atomEntryId(alert.id));
    expect(entry?.title["#text"]).toBe(alert.headline);
    expect(entry?.updated).toBe(alert.detectedAt);
    expect(entry?.author.name).toBe("clausewatch");
    expect(entry?.link?.[0]?.["@_href"]).toBe(alert.link);
    expect(entry?.content["@_type"]).toBe("html");
    expect(entry?.content["#text"]).toMatch(/<del [^>]*>[^<]*audit/);
    expect(entry?.content["#text"]).toMatch(/<ins [^>]*>[^<]*amnesty/);
  });

  it("escapes < and & from scraped text and drops characters XML cannot carry", async () => {
    const alert = await alertAt("wire:2:content:1", "2025-11-21T09:30:00.000Z", {
      headline: "Peace plan: <b>point 26</b> & R&D \u0001rewritten",
    });

    await atom().send([alert], { deliveryId: `${alert.id}:atom`, attempt: 1 });

    const { xml, feed } = await readFeed();
    expect(xml).not.toContain("<script");
    expect(xml).not.toContain("\u0001");
    const [entry] = entries(feed);
    expect(entry?.title["#text"]).toBe("Peace plan: <b>point 26</b> & R&D rewritten");
    expect(entry?.link?.[0]?.["@_href"]).toBe("https://wire.example/plan.txt?a=1&b=2");
    const html = entry?.content["#text"] ?? "";
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; all R&amp;D claims are waived");
  });

  it("lists entries newest first whatever order they arrive in", async () => {
    const notifier = atom();
    const times = ["2025-11-20T08:00:00.000Z", "2025-11-23T08:00:00.000Z", "2025-11-21T08:00:00.000Z"];

    for (const [index, at] of times.entries()) {
      const alert = await alertAt(`wire:${index + 2}:content:${index}`, at);
      await notifier.send([alert], { deliveryId: `${alert.id}:atom`, attempt: 1 });
    }

    const { feed } = await readFeed();
    expect(entries(feed).map((entry) => entry.updated)).toEqual([
      "2025-11-23T08:00:00.000Z",
      "2025-11-21T08:00:00.000Z",
      "2025-11-20T08:00:00.000Z",
    ]);
    expect(feed.updated).toBe("2025-11-23T08:00:00.000Z");
  });

  it("keeps at most maxEntries, dropping the oldest", async () => {
    const notifier = atom({ maxEntries: 3 });
    const alerts = await Promise.all(
      [1, 2, 3, 4, 5].map((day) => alertAt(`wire:${day}:content:x`, `2025-11-2${day}T08:00:00.000Z`)),
    );

    await notifier.send(alerts.slice(0, 2), { deliveryId: "digest:atom:wire:1:content:x", attempt: 1 });
    await notifier.send(alerts.slice(2), { deliveryId: "digest:atom:wire:3:content:x", attempt: 1 });

    const { feed } = await readFeed();
    expect(entries(feed).map((entry) => entry.id)).toEqual(
      [alerts[4], alerts[3], alerts[2]].map((alert) => atomEntryId(alert?.id ?? "")),
    );
  });

  it("replaces an entry when the same alert is delivered again instead of duplicating it", async () => {
    const notifier = atom();
    const alert = await alertAt("wire:2:content:1", "2025-11-21T09:30:00.000Z");
    const later = await alertAt("wire:3:content:2", "2025-11-22T09:30:00.000Z");

    await notifier.send([alert], { deliveryId: `${alert.id}:atom`, attempt: 1 });
    await notifier.send([later], { deliveryId: `${later.id}:atom`, attempt: 1 });
    await notifier.send([{ ...alert, headline: "Peace plan: re-sent" }], {
      deliveryId: `${alert.id}:atom`,
      attempt: 2,
    });

    const { feed } = await readFeed();
    expect(entries(feed).map((entry) => entry.id)).toEqual([atomEntryId(later.id), atomEntryId(alert.id)]);
    expect(entries(feed)[1]?.title["#text"]).toBe("Peace plan: re-sent");
  });

  it("writes one file per plan, each with only that plan's alerts", async () => {
    const peace = await alertAt("wire:2:content:1", "2025-11-21T09:30:00.000Z");
    const counter = await alertAt("eu:2:content:1", "2025-11-22T09:30:00.000Z", {
      planId: "eu-counter",
      planTitle: "European counter-proposal",
    });

    await atom({ title: "Desk feed" }).send([peace, counter], { deliveryId: "digest:atom:x", attempt: 1 });

    const files = (await readdir(join(dir, "feeds"))).filter((name) => name.endsWith(".xml")).sort();
    expect(files).toEqual(["eu-counter.atom.xml", "peace-plan.atom.xml"]);
    const eu = (await readFeed("eu-counter")).feed;
    const plan = (await readFeed("peace-plan")).feed;
    expect(entries(eu).map((entry) => entry.id)).toEqual([atomEntryId(counter.id)]);
    expect(entries(plan).map((entry) => entry.id)).toEqual([atomEntryId(peace.id)]);
    expect(eu.id).not.toBe(plan.id);
    expect(eu.title["#text"]).toBe("Desk feed");
  });

  it("keeps earlier entries across a restart by reading its state back", async () => {
    const first = await alertAt("wire:2:content:1", "2025-11-21T09:30:00.000Z");
    const second = await alertAt("wire:3:content:2", "2025-11-22T09:30:00.000Z");

    await atom().send([first], { deliveryId: `${first.id}:atom`, attempt: 1 });
    await atom().send([second], { deliveryId: `${second.id}:atom`, attempt: 1 });

    const { feed } = await readFeed();
    expect(entries(feed).map((entry) => entry.id)).toEqual([atomEntryId(second.id), atomEntryId(first.id)]);
  });

  it("loses no entry when sends for the same plan overlap", async () => {
    const notifier = atom();
    const alerts = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        alertAt(`wire:${index}:content:c`, `2025-11-21T09:3${index}:00.000Z`),
      ),
    );

    await Promise.all(
      alerts.map((alert) => notifier.send([alert], { deliveryId: `${alert.id}:atom`, attempt: 1 })),
    );

    const { feed } = await readFeed();
    expect(entries(feed)).toHaveLength(8);
  });

  it("starts afresh from an unreadable state file instead of failing forever", async () => {
    const alert = await alertAt("wire:2:content:1", "2025-11-21T09:30:00.000Z");
    await atom().send([alert], { deliveryId: `${alert.id}:atom`, attempt: 1 });
    await writeFile(join(dir, "feeds", "peace-plan.atom.json"), "{ not json");
    const next = await alertAt("wire:3:content:2", "2025-11-22T09:30:00.000Z");

    await atom().send([next], { deliveryId: `${next.id}:atom`, attempt: 1 });

    const { feed } = await readFeed();
    expect(entries(feed).map((entry) => entry.id)).toEqual([atomEntryId(next.id)]);
  });

  it("reports a feed it cannot write as a transient NotifyError naming the file", async () => {
    await writeFile(join(dir, "feeds"), "a file where the feeds folder should be");
    const alert = await alertAt("wire:2:content:1", "2025-11-21T09:30:00.000Z");

    const error = await atom()
      .send([alert], { deliveryId: `${alert.id}:atom`, attempt: 1 })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(NotifyError);
    expect((error as NotifyError).permanent).toBe(false);
    expect((error as NotifyError).message).toContain(atomFeedPath(dir, "peace-plan"));
  });

  it("refuses a plan id that cannot be a file name and bad options", async () => {
    const alert = await alertAt("wire:2:content:1", "2025-11-21T09:30:00.000Z", { planId: "../escape" });

    const error = await atom()
      .send([alert], { deliveryId: `${alert.id}:atom`, attempt: 1 })
      .catch((caught: unknown) => caught);

    expect((error as NotifyError).permanent).toBe(true);
    expect(() => atom({ maxEntries: 0 })).toThrow(/^atom notifier: invalid options: maxEntries:/);
    expect(atom({ id: "feeds" }).type).toBe(ATOM_NOTIFIER);
  });

  it("renders the feed the same way every time", async () => {
    const alert = await alertAt("wire:2:content:1", "2025-11-21T09:30:00.000Z", {
      publicBaseUrl: "https://watch.example",
    });

    await atom().send([alert], { deliveryId: `${alert.id}:atom`, attempt: 1 });

    await expect(await readFile(atomFeedPath(dir, "peace-plan"), "utf8")).toMatchFileSnapshot(
      "__snapshots__/atom.xml",
    );
  });
});

/** The alert id an entry's HTML shows in its provenance table (entry ids are one-way hashes of it). */
function alertIdOf(html: string): string {
  const shown = />Alert id<\/td><td[^>]*>([^<]*)</.exec(html)?.[1] ?? "";
  return shown
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Each feed file is one "message": a reader sees a plan's feed, not the writes that built it. */
runNotifierConformance(
  "atom",
  async () => {
    const storageDir = await mkdtemp(join(tmpdir(), "clausewatch-atom-conformance-"));
    const notifier = createAtomNotifier({ type: "atom" }, { storageDir, logger: SILENT });
    return {
      notifier,
      async received(): Promise<ReceivedMessage[]> {
        const files = await readdir(join(storageDir, "feeds")).catch(() => [] as string[]);
        const feeds = files.filter((name) => name.endsWith(".atom.xml")).sort();
        return Promise.all(
          feeds.map(async (name) => {
            const xml = await readFile(join(storageDir, "feeds", name), "utf8");
            expect(XMLValidator.validate(xml)).toBe(true);
            const feed = (parser.parse(xml) as ParsedFeed).feed;
            return {
              alertIds: entries(feed).map((entry) => alertIdOf(entry.content["#text"])),
              text: entries(feed)
                .map((entry) => `${entry.title["#text"]}\n${entry.content["#text"]}`)
                .join("\n\n"),
            };
          }),
        );
      },
      failNext() {
        // A feed file has no receiver that could refuse it.
      },
      close: () => rm(storageDir, { recursive: true, force: true }),
    };
  },
  { canFail: false },
);
