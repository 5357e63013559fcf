/**
 * The benchmarks' news pages and the loopback server that serves them from its own process, so
 * that neither its CPU nor its page cache counts against the tool being measured.
 *
 * A page is a news-site article carrying a 28-point text among navigation, a numbered "Most read"
 * sidebar, related stories, reader comments and inline scripts: 30–60 KB, as real article pages are.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";

export const CLAUSES_PER_PAGE = 28;
const SELF = fileURLToPath(import.meta.url);

/** How the page server behaves. */
export interface ServeMode {
  /** `etag` sends ETags and honours If-None-Match; `plain` sends no validators. */
  mode: "etag" | "plain";
  /** Text version of the changing pages: 0 is the baseline, each later version rewrites one more clause. */
  version: number;
  /** Which pages carry `version` (the others stay at 0): one in `every` (1 = all pages). */
  every?: number;
}

/** Small deterministic PRNG (mulberry32) so a page's wording depends only on its number. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const PARTIES = [
  "The river basin authority",
  "Each riparian province",
  "The joint monitoring commission",
  "The upstream operator",
  "The downstream councils",
  "The national water regulator",
  "Each party",
  "The independent auditor",
  "The emergency coordination office",
  "The provincial assemblies",
];
const MODALS = ["shall", "will", "may", "must", "undertakes to", "is entitled to"];
const ACTIONS = [
  "publish the seasonal allocation tables",
  "release a minimum environmental flow",
  "maintain gauging stations along the main channel",
  "notify the other parties of any planned diversion",
  "submit disputes to binding arbitration",
  "fund the rehabilitation of irrigation canals",
  "share real-time reservoir data",
  "suspend abstraction licences during declared droughts",
  "compensate farmers for flooded land",
  "consult fishing communities before dredging",
  "restrict new dam construction on tributaries",
  "report groundwater extraction above the agreed ceiling",
];
const QUALIFIERS = [
  (x: number) => `within ${x} days of the end of each season`,
  (x: number) => `of at least ${x} cubic metres per second`,
  (x: number) => `for a period of no less than ${x} months`,
  (x: number) => `covering ${x * 10} hectares or more`,
  (x: number) => `with a budget of ${x},000,000 euros per year`,
  (x: number) => `at no fewer than ${x} locations`,
  (x: number) => `unless ${x} per cent of the members object in writing`,
];
const REASONS = [
  "so that shortages are shared fairly across the basin",
  "in order to protect spawning grounds and wetlands",
  "because earlier arrangements left the delta without water in dry years",
  "to give downstream users time to adjust their planting",
  "as recommended by the technical working group",
  "without prejudice to existing customary rights",
];
const ALTERED_ACTIONS = [
  "defer the publication of allocation tables",
  "waive the minimum environmental flow",
  "close gauging stations that are no longer needed",
  "proceed with diversions without prior notice",
];

/** One clause's text; `revision` > 0 rewrites the clause that revision targets. */
function clauseText(n: number, index: number, revision: number): string {
  const random = prng(n * 7919 + index * 104729);
  const party = pick(random, PARTIES);
  let modal = pick(random, MODALS);
  let action = pick(random, ACTIONS);
  const qualifier = pick(random, QUALIFIERS);
  let figure = 5 + Math.floor(random() * 60) + (n % 17);
  const reason = pick(random, REASONS);
  // Each revision touches one more clause of the page, chosen by page number so pages differ.
  for (let r = 1; r <= revision; r++) {
    if ((n + r * 11) % CLAUSES_PER_PAGE !== index) continue;
    modal = modal === "may" ? "shall" : "may";
    action = pick(prng(n + r), ALTERED_ACTIONS);
    figure = figure * 2 + r;
  }
  return `${party} ${modal} ${action} ${qualifier(figure)}, ${reason}.`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A news-site page carrying the full text: navigation, a numbered "Most read" sidebar, ads, scripts, footer. */
export function renderPage(n: number, version: number): string {
  const clauses = Array.from({ length: CLAUSES_PER_PAGE }, (_, index) => clauseText(n, index, version));
  // Half the pages print numbers in paragraphs, half use an ordered list: both extraction paths.
  const body =
    n % 2 === 0
      ? `<ol class="points">\n${clauses.map((text) => `  <li>${escapeHtml(text)}</li>`).join("\n")}\n</ol>`
      : clauses.map((text, index) => `<p>${index + 1}. ${escapeHtml(text)}</p>`).join("\n");
  const mostRead = Array.from(
    { length: 5 },
    (_, index) =>
      `<li><a href="/news/${n + index}">Story ${n + index}: council approves budget after long night</a></li>`,
  ).join("\n");
  const sections = [
    "News",
    "Region",
    "Business",
    "Sport",
    "Opinion",
    "Culture",
    "Weather",
    "Farming",
    "Energy",
    "Transport",
  ];
  const megaNav = sections
    .map(
      (section) =>
        `<li><a href="/${section.toLowerCase()}">${section}</a><ul>${Array.from(
          { length: 6 },
          (_, index) =>
            `<li><a href="/${section.toLowerCase()}/topic-${index}">${section} topic ${index + 1}</a></li>`,
        ).join("")}</ul></li>`,
    )
    .join("\n");
  const related = Array.from(
    { length: 12 },
    (_, index) =>
      `<li class="teaser"><a href="/region/story-${n * 13 + index}"><img src="/img/${n * 13 + index}.jpg" alt="" width="160" height="90"><h4>Related story ${index + 1}: reservoir levels and what they mean for the harvest</h4><p>Engineers and growers explain how this season's figures compare with the long-term average, and what the councils plan next.</p></a></li>`,
  ).join("\n");
  // Sites inline large configuration and tracking scripts; the extractor has to skip them.
  const inlineScript = `window.__SITE_CONFIG__ = ${JSON.stringify({
    page: { id: n, section: "region", tags: ["water", "agreement", "basin", "draft"] },
    ads: Array.from({ length: 40 }, (_, index) => ({
      slot: `slot-${index}`,
      sizes: [
        [300, 250],
        [728, 90],
        [970, 250],
      ],
      targeting: { pos: index, kw: ["water", "region", "farming"] },
    })),
  })};`;
  // Real article pages are 30-60 KB: reader comments and a bulky inline state blob make up the rest.
  const padRandom = prng(n * 31 + 7);
  const comments = Array.from(
    { length: 24 + Math.floor(padRandom() * 60) },
    (_, index) =>
      `<li class="comment"><b>reader${(n * 37 + index) % 997}</b> <time>${1 + (index % 28)} Nov</time><p>${pick(padRandom, REASONS)}, and ${pick(padRandom, ACTIONS)} is what people here have asked for since the spring.</p></li>`,
  ).join("\n");
  const state = JSON.stringify({
    recommendations: Array.from({ length: 50 + Math.floor(padRandom() * 150) }, (_, index) => ({
      id: n * 1000 + index,
      url: `/region/story-${n * 1000 + index}`,
      title: `Story ${index}: ${pick(padRandom, ACTIONS)}`,
      score: Math.round(padRandom() * 1000) / 1000,
    })),
  });
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Full text of the basin water-sharing agreement, draft ${n} - Valley Courier</title>
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; window.dataLayer.push({ page: "agreement-${n}", section: "region" });</script>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Full text of the basin water-sharing agreement, draft ${n}","publisher":{"@type":"Organization","name":"Valley Courier"}}</script>
<script>${inlineScript}</script>
<style>.wrap { max-width: 1100px; margin: 0 auto; } .aside { float: right; width: 280px; }</style>
</head>
<body>
<header class="masthead"><a href="/" class="brand">Valley Courier</a>
<nav><ul class="mega">
${megaNav}
</ul></nav>
</header>
<div class="wrap">
<aside class="aside"><h3>Most read</h3><ol>
${mostRead}
</ol></aside>
<main>
<article>
<h1>Full text of the basin water-sharing agreement (draft ${n})</h1>
<p class="byline">By the regional desk, updated ${10 + (n % 12)}:${String(n % 60).padStart(2, "0")}</p>
<p>The ${CLAUSES_PER_PAGE} points below were circulated to the provincial assemblies this week. We publish them in full; only the formatting has been changed.</p>
<div class="advert"><span>Advertisement</span>Compare energy tariffs in your area today.</div>
${body}
<p>Negotiators are expected to return to the text at the next plenary session, where amendments from the downstream councils will be tabled.</p>
</article>
<section class="related"><h3>More on this story</h3><ul>
${related}
</ul></section>
</main>
</div>
<section class="comments"><h3>Readers' comments</h3><ol>
${comments}
</ol></section>
<footer><p>&copy; Valley Courier. All rights reserved.</p><p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a> <a href="/contact">Contact</a></p></footer>
<script>window.__RECOMMENDED__ = ${state};</script>
<script src="/static/analytics.js" async></script>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// Page server (its own process)

async function servePages(): Promise<void> {
  let current: ServeMode = { mode: "etag", version: 0 };
  let served = { ok: 0, notModified: 0, hooks: 0 };
  const cache = new Map<string, { body: Buffer; etag: string }>();
  function page(n: number, version: number): { body: Buffer; etag: string } {
    const key = `${version}:${n}`;
    let entry = cache.get(key);
    if (entry === undefined) {
      const body = Buffer.from(renderPage(n, version), "utf8");
      const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
      entry = { body, etag };
      cache.set(key, entry);
    }
    return entry;
  }
  const server = createServer({ keepAliveTimeout: 60_000 }, (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "POST" && req.url === "/hook") {
      // A webhook sink, so alerts are delivered and their logs grow as they do in use.
      req.resume().on("end", () => {
        served.hooks++;
        res.writeHead(204).end();
      });
      return;
    }
    const match = /^\/s\/(\d+)$/.exec(req.url ?? "");
    if (match === null) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const n = Number(match[1]);
    const { body, etag } = page(n, n % (current.every ?? 1) === 0 ? current.version : 0);
    if (current.mode === "etag" && req.headers["if-none-match"] === etag) {
      served.notModified++;
      res.writeHead(304, { etag }).end();
      return;
    }
    served.ok++;
    const headers: Record<string, string | number> = {
      "content-type": "text/html; charset=utf-8",
      "content-length": body.byteLength,
    };
    if (current.mode === "etag") headers.etag = etag;
    res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  process.on("message", (message: { type: string; serve?: ServeMode }) => {
    if (message.type === "mode" && message.serve) {
      current = message.serve;
      process.send?.({ type: "mode-set" });
    } else if (message.type === "take-counts") {
      process.send?.({ type: "counts", served });
      served = { ok: 0, notModified: 0, hooks: 0 };
    } else if (message.type === "stop") {
      server.close();
      server.closeAllConnections();
      process.exit(0);
    }
  });
  // Never outlive the worker that started us, even when it crashes before saying "stop".
  process.on("disconnect", () => process.exit(0));
  process.send?.({ type: "ready", port });
}

export interface Served {
  ok: number;
  notModified: number;
  /** Webhook deliveries received at POST /hook. */
  hooks: number;
}

export interface PageServer {
  port: number;
  setMode(serve: ServeMode): Promise<void>;
  /** Requests served since the last call. */
  takeCounts(): Promise<Served>;
  stop(): Promise<void>;
}

function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string } & T) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`page server exited (${code}) before "${type}"`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

export async function startPageServer(): Promise<PageServer> {
  const child = fork(SELF, ["--serve"], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: [] });
  const { port } = await nextMessage<{ port: number }>(child, "ready");
  return {
    port,
    async setMode(serve) {
      const ack = nextMessage(child, "mode-set");
      child.send({ type: "mode", serve });
      await ack;
    },
    async takeCounts() {
      const counts = nextMessage<{ served: Served }>(child, "counts");
      child.send({ type: "take-counts" });
      return (await counts).served;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "stop" });
      await exited;
    },
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === "--serve") await servePages();
}
