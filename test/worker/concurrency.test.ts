import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHostLimiter } from "../../src/collect/index.js";
import { runCycle } from "../../src/worker/cycle.js";
import { makeWorkspace, planFixture, type Site, startSite, type Workspace } from "./support.js";

let site: Site;
let ws: Workspace;

beforeEach(async () => {
  site = await startSite();
  ws = await makeWorkspace();
});

afterEach(async () => {
  await site.close();
  await ws.cleanup();
});

describe("the concurrency setting", () => {
  it.each([1, 3])(
    "checks at most %i sources at once, whatever the hosts would allow",
    async (concurrency) => {
      let inFlight = 0;
      let most = 0;
      const body = await planFixture("v1-draft.txt");
      for (let i = 0; i < 6; i++) {
        site.set(`/copy-${i}.txt`, {
          handler(_req, res) {
            inFlight += 1;
            most = Math.max(most, inFlight);
            setTimeout(() => {
              inFlight -= 1;
              res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(body);
            }, 80);
          },
        });
      }
      const config = ws.config({
        extra: { concurrency },
        sources: Array.from({ length: 6 }, (_, i) => ({ id: `copy-${i}`, url: `${site.url}/copy-${i}.txt` })),
      });
      const ctx = { ...(await ws.context(config)), limiter: createHostLimiter({ perHost: 16, delayMs: 0 }) };

      const report = await runCycle(ctx);

      expect(config.concurrency).toBe(concurrency);
      expect(report.outcomes.map((outcome) => outcome.status)).toEqual(Array(6).fill("first-seen"));
      expect(most).toBe(concurrency);
    },
  );
});
