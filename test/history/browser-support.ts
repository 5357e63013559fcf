import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
/** Screenshots of every page at desktop and phone width land here (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
export const haveChromium = existsSync(CHROMIUM);

if (!haveChromium) {
  // Visible in the run's output so a skipped browser suite is never mistaken for a passing one.
  process.stderr.write(
    `browser tests skipped: ${CHROMIUM} is missing (apt-get install chromium, as .ci/run does)\n`,
  );
}

/** Debian's Chromium, headless, with nothing that calls home. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Saves a full-page screenshot as `test-artifacts/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** How far the page scrolls sideways beyond the window (0 when it fits). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
}
