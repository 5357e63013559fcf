/**
 * Pages built by scripts (`render: browser`): fetched in headless Chromium through playwright-core,
 * which loads only when such a source comes along. One browser is shared by every source of a
 * cycle (the cycle closes it at the end); each page gets its own fresh context — no cookies,
 * storage or cache carried over, downloads refused, pop-ups closed, service workers blocked — and
 * one deadline for navigation and waiting together. Playwright starts Chromium with a temporary
 * profile directory of its own and deletes it on close, so nothing persists between cycles.
 */
import type { Browser, BrowserContext } from "playwright-core";
import { statusKind } from "../collect/classify.js";
import type { RenderSettings } from "../config/types.js";
import { excerpt, FetchError } from "../errors.js";

/** Flags that work in containers and keep Chromium from calling home. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface RenderRequest {
  sourceId: string;
  url: string;
  settings: RenderSettings;
  userAgent: string;
  headers: Record<string, string>;
}

export interface RenderedPage {
  status: number;
  finalUrl: string;
  contentType: string | undefined;
  /** The DOM after scripts ran, serialized. */
  html: string;
}

interface Shared {
  key: string;
  browser: Promise<Browser>;
}

let shared: Shared | undefined;
let launches = 0;

/** Browsers started by this process so far (one per cycle that renders anything). */
export function browserLaunches(): number {
  return launches;
}

async function launch(settings: RenderSettings): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  launches += 1;
  return chromium.launch({
    executablePath: settings.executablePath,
    args: [...CHROMIUM_ARGS, ...settings.args],
    headless: true,
  });
}

function browserFor(request: RenderRequest): Promise<Browser> {
  const key = `${request.settings.executablePath}\n${request.settings.args.join("\n")}`;
  if (shared?.key === key) return shared.browser;
  const browser = launch(request.settings);
  shared = { key, browser };
  // A failed start is not kept: the next source tries again.
  browser.catch(() => {
    if (shared?.browser === browser) shared = undefined;
  });
  return browser;
}

/** Closes the shared browser, if one was started; the cycle calls this when it ends. */
export async function closeBrowser(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (!current) return;
  const browser = await current.browser.catch(() => undefined);
  await browser?.close().catch(() => undefined);
}

class Deadline extends Error {
  override name = "Deadline";
}

/**
 * Renders one page and returns its DOM as HTML.
 * @throws FetchError naming the URL: Chromium missing, HTTP error status, deadline, selector never shown.
 */
export async function renderPage(request: RenderRequest): Promise<RenderedPage> {
  const { settings, url, sourceId } = request;
  let browser: Browser;
  try {
    browser = await browserFor(request);
  } catch (error) {
    throw new FetchError(
      `cannot start Chromium at ${settings.executablePath} (browser.executablePath) to render ${url}: ${excerpt(String((error as Error).message ?? error), 160)}`,
      { kind: "permanent", source: sourceId, cause: error },
    );
  }
  const context: BrowserContext = await browser.newContext({
    acceptDownloads: false,
    serviceWorkers: "block",
    userAgent: request.userAgent,
    extraHTTPHeaders: request.headers,
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Deadline()), settings.timeoutMs);
  });
  try {
    return await Promise.race([load(context, request), deadline]);
  } catch (error) {
    if (error instanceof FetchError) throw error;
    if (error instanceof Deadline || (error as Error).name === "TimeoutError") {
      const what = settings.waitFor ? `"${excerpt(settings.waitFor)}" to appear` : "the network to go idle";
      throw new FetchError(
        `rendering ${url} timed out after ${settings.timeoutMs} ms (browser.timeoutMs) waiting for ${what}`,
        { kind: "transient", source: sourceId, cause: error },
      );
    }
    throw new FetchError(
      `rendering ${url} failed: ${excerpt(String((error as Error).message ?? error), 160)}`,
      {
        kind: "transient",
        source: sourceId,
        cause: error,
      },
    );
  } finally {
    clearTimeout(timer);
    await context.close().catch(() => undefined);
  }
}

async function load(context: BrowserContext, request: RenderRequest): Promise<RenderedPage> {
  const { settings, url, sourceId } = request;
  const page = await context.newPage();
  // Pop-ups are closed as they open; the page keeps whatever it built itself.
  context.on("page", (other) => {
    if (other !== page) void other.close().catch(() => undefined);
  });
  page.on("dialog", (dialog) => void dialog.dismiss().catch(() => undefined));
  const response = await page.goto(url, {
    waitUntil: settings.waitFor ? "domcontentloaded" : "networkidle",
    timeout: settings.timeoutMs,
  });
  const status = response?.status() ?? 200;
  if (status < 200 || status >= 300) {
    throw new FetchError(`rendering ${url}: the page answered HTTP ${status}, expected 2xx`, {
      kind: statusKind(status),
      status,
      source: sourceId,
    });
  }
  if (settings.waitFor) {
    await page.waitForSelector(settings.waitFor, { state: "attached", timeout: settings.timeoutMs });
  }
  return {
    status,
    finalUrl: page.url(),
    contentType: response?.headers()["content-type"],
    html: await page.content(),
  };
}
