/**
 * A comparison or a version as PDF (`clausewatch report … --pdf FILE`): the web view's own page,
 * printed by headless Chromium with the print style sheet, so each page carries the citation
 * line in its margin. playwright-core loads only here, when a PDF is asked for. The page is set
 * as content with JavaScript off and every request refused: nothing scraped runs, nothing is
 * fetched.
 */
import type { BrowserSettings } from "../config/index.js";
import { excerpt, InputError } from "../errors.js";
import { CHROMIUM_ARGS } from "../render/index.js";
import { writeFileAtomic } from "../store/index.js";
import { type PageLinks, serverLinks } from "./layout.js";
import { renderComparePage } from "./page-compare.js";
import { renderVersionPage } from "./page-version.js";
import type { History } from "./types.js";

export const DEFAULT_BROWSER: BrowserSettings = {
  executablePath: "/usr/bin/chromium",
  timeoutMs: 30_000,
  args: [],
};

/** The server's links made absolute under `base` (a live view's address), for links that work in a PDF. */
export function absoluteLinks(links: PageLinks, base: string): PageLinks {
  const root = base.replace(/\/+$/, "");
  const at = (path: string) => (/^[a-z]+:/i.test(path) ? path : `${root}${path}`);
  return {
    home: at(links.home),
    plan: (planId, page) => at(links.plan(planId, page)),
    compare: (planId, from, to) => at(links.compare(planId, from, to)),
    clause: (planId, key, version) => at(links.clause(planId, key, version)),
    version: (planId, version) => at(links.version(planId, version)),
    versionText: (planId, version) => at(links.versionText(planId, version)),
    map: (planId, options) => at(links.map(planId, options)),
    source: (sourceId) => at(links.source(sourceId)),
    body: (sourceId, snapshotId) => at(links.body(sourceId, snapshotId)),
  };
}

/** Prints `html` to a PDF file; returns its size in bytes. @throws InputError naming Chromium or the file */
export async function printPdf(
  html: string,
  file: string,
  browserSettings: BrowserSettings = DEFAULT_BROWSER,
): Promise<number> {
  const { chromium } = await import("playwright-core");
  let browser: Awaited<ReturnType<typeof chromium.launch>>;
  try {
    browser = await chromium.launch({
      executablePath: browserSettings.executablePath,
      args: [...CHROMIUM_ARGS, ...browserSettings.args],
      headless: true,
      timeout: browserSettings.timeoutMs,
    });
  } catch (error) {
    throw new InputError(
      `report --pdf: cannot start Chromium at ${browserSettings.executablePath} (browser.executablePath): ${excerpt(String((error as Error).message ?? error), 160)}`,
      { cause: error },
    );
  }
  try {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      offline: true,
      acceptDownloads: false,
    });
    const page = await context.newPage();
    await page.route("**/*", (route) => route.abort());
    await page.setContent(html, { waitUntil: "load", timeout: browserSettings.timeoutMs });
    await page.emulateMedia({ media: "print" });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await writeFileAtomic(file, pdf).catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`report --pdf: cannot write ${file}: ${error.message}`, { cause: error });
    });
    return pdf.length;
  } finally {
    await browser.close();
  }
}

/** What to print: one version, or a comparison of two (version labels or snapshot ids). */
export type PdfTarget = { version: string } | { from: string; to: string };

export interface PdfReportOptions {
  browser?: BrowserSettings;
  /** The live view's address (`publicBaseUrl`): links in the PDF lead there. */
  baseUrl?: string;
}

/** Renders a version or a comparison and prints it to `file`; returns what was printed and the size. */
export async function writePdfReport(
  history: History,
  planId: string,
  target: PdfTarget,
  file: string,
  options: PdfReportOptions = {},
): Promise<{ title: string; bytes: number }> {
  const links = options.baseUrl ? absoluteLinks(serverLinks, options.baseUrl) : serverLinks;
  const plan = (await history.plans()).find((candidate) => candidate.id === planId);
  if (!plan) throw new InputError(`unknown plan "${planId}": it is not in the config`);
  let html: string;
  let title: string;
  if ("version" in target) {
    const view = await history.version(planId, target.version);
    if (!view) throw new InputError(`plan "${planId}" has no version or snapshot "${target.version}"`);
    html = renderVersionPage(view, links);
    title = `${planId} ${target.version}`;
  } else {
    const comparison = await history.compare(planId, target.from, target.to);
    if (!comparison) {
      throw new InputError(`plan "${planId}" has no version or snapshot "${target.from}" or "${target.to}"`);
    }
    html = renderComparePage(comparison, links, { title: comparison.planTitle });
    title = `${planId} ${target.from} → ${target.to}`;
  }
  return { title, bytes: await printPdf(html, file, options.browser) };
}
