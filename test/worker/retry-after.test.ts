import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCycle } from "../../src/worker/cycle.js";
import { fixturePage, makeWorkspace, type Site, startSite, type Workspace } from "./support.js";

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

describe("a server that asks for an hour's patience", () => {
  it("is asked once, then left alone until a cycle after its Retry-After", async () => {
    site.set("/plan.txt", { status: 503, body: "maintenance", headers: { "retry-after": "3600" } });
    const config = ws.config({
      http: { retries: { attempts: 3, baseDelayMs: 1, maxDelayMs: 30_000 } },
      sources: [{ id: "wire", url: `${site.url}/plan.txt` }],
    });
    let now = new Date("2025-11-20T10:00:00.000Z");
    const ctx = { ...(await ws.context(config)), now: () => now };

    const asked = (await runCycle(ctx)).outcomes[0];
    now = new Date("2025-11-20T10:30:00.000Z");
    const meanwhile = (await runCycle(ctx)).outcomes[0];
    const requestsMeanwhile = site.requests.length;
    site.set("/plan.txt", await fixturePage("v1-draft.txt"));
    now = new Date("2025-11-20T11:00:01.000Z");
    const later = (await runCycle(ctx)).outcomes[0];

    expect(asked?.status).toBe("failed");
    expect(asked?.error?.message).toBe(
      `GET ${site.url}/plan.txt answered HTTP 503 Service Unavailable (Retry-After 3600 s), expected 2xx: "maintenance" [deferred to a later cycle after 1 attempt]`,
    );
    expect(meanwhile?.status).toBe("deferred");
    expect(requestsMeanwhile).toBe(1);
    expect(later?.status).toBe("first-seen");
    expect((await ctx.store.getSourceState("wire"))?.notBefore).toBeUndefined();
  });
});
