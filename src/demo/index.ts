import { createHash } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { Logger } from "pino";
import { startAlerts } from "../alert/index.js";
import { createHostLimiter } from "../collect/index.js";
import { type Config, loadConfig } from "../config/index.js";
import { createLineage } from "../lineage/index.js";
import { packageRoot } from "../paths.js";
import { openFsStore } from "../store/index.js";
import { runCycle } from "../worker/cycle.js";
import { startScheduler } from "../worker/scheduler.js";
import type { CycleReport } from "../worker/types.js";

/** What each demo source serves at each step: the story the demo tells. */
export const DEMO_STEPS: Array<{ title: string; pages: Record<string, string> }> = [
  {
    title: "three outlets publish the same 28-point draft",
    pages: {
      "/wire/plan.txt": "v1-draft.txt",
      "/outlet/plan.html": "article-v1.html",
      "/eu/plan.txt": "v1-draft.txt",
    },
  },
  {
    title:
      "the wire's copy has point 26 rewritten; the outlet's page changes only its ads, sidebar and timestamp",
    pages: {
      "/wire/plan.txt": "v2-amnesty.txt",
      "/outlet/plan.html": "article-v1-noise.html",
      "/eu/plan.txt": "v1-draft.txt",
    },
  },
  {
    title: "the outlet catches up with the new text; Europe publishes its counter-proposal",
    pages: {
      "/wire/plan.txt": "v2-amnesty.txt",
      "/outlet/plan.html": "article.html",
      "/eu/plan.txt": "counter.txt",
    },
  },
];

const MARKER = "DEMO";

export interface DemoServer {
  url: string;
  setStep(step: number): void;
  close(): Promise<void>;
}

/** Serves the bundled sample versions on 127.0.0.1 with ETags, so the demo also shows 304s. */
export async function startDemoServer(): Promise<DemoServer> {
  const pagesDir = join(packageRoot(), "config", "demo");
  const bodies = new Map<string, Buffer>();
  for (const step of DEMO_STEPS) {
    for (const file of Object.values(step.pages)) {
      if (!bodies.has(file)) bodies.set(file, await readFile(join(pagesDir, file)));
    }
  }
  let step = 0;
  const server: Server = createServer((req, res) => {
    const file = DEMO_STEPS[step]?.pages[req.url ?? ""];
    const body = file ? bodies.get(file) : undefined;
    if (!file || !body) {
      res.writeHead(404).end("not found");
      return;
    }
    const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    const type = file.endsWith(".html") ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
    res.writeHead(200, { "content-type": type, etag }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setStep(next) {
      step = Math.max(0, Math.min(next, DEMO_STEPS.length - 1));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface DemoOptions {
  logger: Logger;
  /** Snapshot directory of the demo. @default the demo config's (snapshots/demo) */
  storageDir?: string;
  /** Called after each step's cycle. */
  onStep?: (step: number, title: string, report: CycleReport) => void;
  /** After the story, keep watching the last step on the demo's schedule until stopped. */
  watch?: { signal: AbortSignal };
}

/**
 * A demo store is recreated on every run so the story starts from nothing; a directory that
 * holds anything but a demo store is never touched.
 */
async function resetDemoStore(dir: string): Promise<void> {
  const marker = await readFile(join(dir, MARKER), "utf8").catch(() => undefined);
  if (marker !== undefined) await rm(dir, { recursive: true, force: true });
}

/** Runs the embedded demo: serves the sample versions, runs one cycle per step, and reports. */
export async function runDemo(options: DemoOptions): Promise<{ config: Config; reports: CycleReport[] }> {
  const server = await startDemoServer();
  try {
    const loaded = await loadConfig(join(packageRoot(), "config", "demo.yaml"), {
      ...process.env,
      DEMO_URL: server.url,
    });
    const config: Config = options.storageDir ? { ...loaded, storageDir: options.storageDir } : loaded;
    await resetDemoStore(config.storageDir);
    const store = await openFsStore(config.storageDir);
    await writeFile(join(config.storageDir, MARKER), "clausewatch demo store: recreated by every demo run\n");
    const ctx = {
      config,
      store,
      logger: options.logger,
      limiter: createHostLimiter({ perHost: config.http.perHost, delayMs: config.http.politenessMs }),
      lineage: createLineage(
        config.storageDir,
        config.lineage,
        async (id) => (await store.getSnapshot(id)).clauseSet,
      ),
    };
    const reports: CycleReport[] = [];
    // The demo prints its own story on stdout; the log notifier's lines go to the (quiet) logger.
    const alertOutput = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean))
          options.logger.info({ alert: JSON.parse(line) }, "alert");
        done();
      },
    });
    const alerts = startAlerts({
      config,
      storageDir: config.storageDir,
      logger: options.logger,
      store,
      intervalMs: 0,
      stdout: alertOutput,
    });
    try {
      for (const [index, step] of DEMO_STEPS.entries()) {
        server.setStep(index);
        const report = await runCycle(ctx);
        await alerts.enqueue(report.outcomes.flatMap((outcome) => outcome.changes));
        await alerts.deliver();
        reports.push(report);
        options.onStep?.(index + 1, step.title, report);
      }
      await alerts.stop();
      if (options.watch) {
        const worker = startScheduler(ctx, { runAtStart: false, alertOutput });
        await new Promise<void>((resolve) =>
          options.watch?.signal.addEventListener("abort", () => resolve(), { once: true }),
        );
        await worker.stop();
      }
    } finally {
      await alerts.stop();
      await store.close();
    }
    return { config, reports };
  } finally {
    await server.close();
  }
}
