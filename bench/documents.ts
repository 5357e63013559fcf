/**
 * PDF reading speed per page, and what the hostile inputs cost: a truncated PDF, a page-count
 * bomb, a stream that inflates far past its size, a malformed feed and a feed of 10,000 entries.
 * Time and the process's peak resident memory above its level before each case. Prints figures;
 * asserts nothing.
 */
import { readFileSync } from "node:fs";
import { parseListing } from "../src/discover/listing.js";
import { readDocument } from "../src/document.js";
import { DEFAULT_DOCUMENT_LIMITS } from "../src/read/types.js";
import { buildPdf } from "./pdf-builder.js";

const documents = new URL("../../test/fixtures/documents/", import.meta.url);

interface Figure {
  ms: number;
  peakMb: number;
  outcome: string;
}

async function measure(task: () => Promise<unknown> | unknown): Promise<Figure> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  let outcome: string;
  try {
    const result = await task();
    outcome = typeof result === "string" ? result : "ok";
  } catch (error) {
    outcome = (error as Error).message;
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { ms, peakMb: (peak - before) / 1024 / 1024, outcome };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function feed(entries: number): string {
  const items = Array.from(
    { length: entries },
    (_, index) =>
      `<item><title>Story ${index} about the weather</title><link>https://news.example/${index}</link><pubDate>${new Date(Date.UTC(2025, 10, 20) - index * 1000).toUTCString()}</pubDate><description>Summary ${index}</description></item>`,
  ).join("");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>${items}</channel></rss>`;
}

export async function runDocumentsBench(): Promise<void> {
  const plan = readFileSync(new URL("plan-v1.pdf", documents));
  const runs: number[] = [];
  for (let run = 0; run < 5; run += 1)
    runs.push((await measure(() => readDocument(plan, { source: "plan-v1.pdf" }))).ms);
  const planMs = median(runs);
  console.log(
    `plan-v1.pdf (5 pages, ${plan.length} bytes): ${planMs.toFixed(0)} ms median of 5, ${(planMs / 5).toFixed(0)} ms per page (thread start included)`,
  );

  const pages = 500;
  const long = buildPdf({ pages, text: "1. A clause repeated on every page of a long file." });
  const longRun = await measure(() =>
    readDocument(long, { source: "long.pdf" }).then(
      () => "ok",
      () => "ok (no list: the repeated line is a running header)",
    ),
  );
  console.log(
    `generated ${pages}-page PDF: ${longRun.ms.toFixed(0)} ms, ${(longRun.ms / pages).toFixed(2)} ms per page, +${longRun.peakMb.toFixed(0)} MB peak`,
  );

  const cases: Array<[string, () => Promise<unknown> | unknown]> = [
    [
      "truncated PDF (half of plan-v1.pdf)",
      () => readDocument(plan.subarray(0, plan.length >> 1), { source: "cut.pdf" }),
    ],
    [
      "page-count bomb (5,000 pages, maxPages 2,000)",
      () => readDocument(buildPdf({ pages: 5000 }), { source: "bomb.pdf" }),
    ],
    [
      "inflate bomb (390 KB → 400 MB stream, maxMemoryMb 512)",
      () =>
        readDocument(buildPdf({ inflatedBytes: 400_000_000 }), {
          source: "inflate.pdf",
          limits: DEFAULT_DOCUMENT_LIMITS,
        }),
    ],
    [
      "inflate bomb (same, maxMemoryMb 128)",
      () =>
        readDocument(buildPdf({ inflatedBytes: 400_000_000 }), {
          source: "inflate.pdf",
          limits: { ...DEFAULT_DOCUMENT_LIMITS, maxMemoryMb: 128 },
        }),
    ],
    ["malformed feed", () => parseListing("<rss><channel><item><title>cut", "bad", "https://x.example/")],
    [
      "feed of 10,000 entries (parse only)",
      () => `${parseListing(feed(10_000), "big", "https://x.example/").entries.length} entries`,
    ],
  ];
  for (const [name, task] of cases) {
    const figure = await measure(task);
    console.log(
      `${name}: ${figure.ms.toFixed(0)} ms, +${figure.peakMb.toFixed(0)} MB peak — ${figure.outcome.slice(0, 110)}`,
    );
  }
}
