import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseConfig } from "../../src/config/index.js";
import { readClauseSet } from "../../src/document.js";
import { browserLaunches } from "../../src/render/index.js";
import { runCycle } from "../../src/worker/cycle.js";
import {
  type ConfigSpec,
  configYaml,
  makeWorkspace,
  PLAN_DIR,
  type Site,
  startSite,
  type Workspace,
} from "../worker/support.js";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  process.stderr.write(
    `render tests skipped: ${CHROMIUM} is missing (apt-get install chromium, as .ci/run does)\n`,
  );
}

/** A page that is empty as served: its script fetches the plan and builds the list. */
const SHELL = `<!doctype html><html><head><title>Plan</title></head><body><main id="app"><p>Loading…</p></main>
<script src="/app.js"></script></body></html>`;

const APP = `fetch("/plan.json").then((r) => r.json()).then((lines) => {
  const app = document.getElementById("app");
  app.innerHTML = "";
  const [title, ...rest] = lines;
  const h1 = document.createElement("h1");
  h1.textContent = title;
  app.appendChild(h1);
  for (const line of rest) {
    const p = document.createElement("p");
    p.textContent = line;
    app.appendChild(p);
  }
  app.setAttribute("data-ready", "yes");
  window.open("/popup.html");
});`;

/** The worker tests' config with a `browser` block added, parsed like a user's file. */
function withBrowser(spec: ConfigSpec, browser: Record<string, unknown>) {
  return parseConfig(`${configYaml(spec)}${stringify({ browser })}`, { file: ws.configFile, env: {} });
}

let ws: Workspace;
let site: Site;
let plan: string[];

beforeEach(async () => {
  ws = await makeWorkspace();
  site = await startSite();
  plan = (await readFile(`${PLAN_DIR}v2-amnesty.txt`, "utf8"))
    .split("\n")
    .filter((line) => line.trim() !== "");
  site.set("/plan", { body: SHELL, type: "text/html; charset=utf-8" });
  site.set("/app.js", { body: APP, type: "text/javascript" });
  site.set("/plan.json", { body: JSON.stringify(plan), type: "application/json", delayMs: 150 });
  site.set("/popup.html", { body: "<p>1. A pop-up. 2. Not the plan.</p>", type: "text/html" });
});

afterEach(async () => {
  await site.close();
  await ws.cleanup();
});

describe.skipIf(!haveChromium)("render: browser for pages built by scripts", () => {
  it("finds no plan in the page as served", async () => {
    const ctx = await ws.context(ws.config({ sources: [{ id: "spa", url: `${site.url}/plan` }] }));

    const report = await runCycle(ctx);

    expect(report.outcomes[0]?.status).toBe("failed");
    expect(report.outcomes[0]?.error?.message).toMatch(/^spa: no numbered points, headings or lists found/);
  });

  it("reads the 28 clauses the script built, waiting for a selector, with one browser for two sources", async () => {
    const launched = browserLaunches();
    const config = withBrowser(
      {
        sources: [
          { id: "spa", url: `${site.url}/plan`, render: "browser", waitFor: "#app[data-ready]" },
          { id: "spa-idle", url: `${site.url}/plan?again`, render: "browser" },
        ],
      },
      { executablePath: CHROMIUM },
    );
    site.set("/plan?again", { body: SHELL, type: "text/html; charset=utf-8" });
    const ctx = await ws.context(config);
    const text = readClauseSet(plan.join("\n"), { source: "v2.txt" });

    const report = await runCycle(ctx);
    const sets = await Promise.all(
      report.outcomes.map(
        async (outcome) => (await ctx.store.getSnapshot(outcome.snapshotId ?? "")).clauseSet,
      ),
    );

    expect(report.outcomes.map((outcome) => outcome.status)).toEqual(["first-seen", "first-seen"]);
    for (const set of sets) {
      expect(set.clauses.map((clause) => clause.fingerprint)).toEqual(
        text.clauses.map((clause) => clause.fingerprint),
      );
      expect(set.title).toBe("Draft peace framework — 28 points");
    }
    expect(browserLaunches() - launched).toBe(1);
    expect(site.requestsTo("/plan.json")).toHaveLength(2);
  });

  it("gives up at the page deadline when the awaited element never appears, on that source only", async () => {
    const config = withBrowser(
      {
        sources: [
          { id: "never", url: `${site.url}/plan`, render: "browser", waitFor: "#does-not-exist" },
          { id: "text", url: `${site.url}/v1.txt` },
        ],
      },
      { timeoutMs: 1500 },
    );
    site.set("/v1.txt", { body: await readFile(`${PLAN_DIR}v1-draft.txt`), type: "text/plain" });
    const ctx = await ws.context(config);

    const report = await runCycle(ctx);

    expect(report.outcomes.map((outcome) => outcome.status)).toEqual(["failed", "first-seen"]);
    expect(report.outcomes[0]?.error?.message).toContain(
      `rendering ${site.url}/plan timed out after 1500 ms (browser.timeoutMs) waiting for "#does-not-exist" to appear`,
    );
  });

  it("names the browser path when Chromium cannot be started", async () => {
    const config = withBrowser(
      {
        sources: [{ id: "spa", url: `${site.url}/plan`, render: "browser" }],
      },
      { executablePath: "/nonexistent/chromium" },
    );
    const ctx = await ws.context(config);

    const report = await runCycle(ctx);

    expect(report.outcomes[0]?.error?.message).toMatch(
      /^cannot start Chromium at \/nonexistent\/chromium \(browser\.executablePath\) to render http:\/\/127\.0\.0\.1:\d+\/plan: /,
    );
  });
});
