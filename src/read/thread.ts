/**
 * Runs a document parser (PDF.js, mammoth) in a worker thread with a heap limit and a deadline:
 * a hostile file (a page-count or decompression bomb, a parser loop) costs that thread, never the
 * worker process, and ends as a clear error. The thread's code is plain JavaScript handed to
 * `new Worker(..., { eval: true })`, so it runs the same from `dist/` and from the TypeScript
 * sources under the test runner, and it loads the parser from its installed path.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

const require = createRequire(import.meta.url);
const MIB = 1024 * 1024;
const WATCHDOG_MS = 20;

/** One text run as PDF.js reports it: [text, x, y, width, font size, font name, ends a line]. */
export type RawItem = [string, number, number, number, number, string, boolean];

export interface RawPage {
  page: number;
  width: number;
  height: number;
  items: RawItem[];
}

/** Why the thread gave up; `reason` drives the message the caller writes. */
export type ThreadFailure =
  | { reason: "password"; message: string }
  | { reason: "invalid"; message: string }
  | { reason: "too-many-pages"; pages: number }
  | { reason: "timeout" }
  | { reason: "memory" }
  | { reason: "crashed"; message: string };

export class ThreadFailed extends Error {
  override name = "ThreadFailed";
  readonly failure: ThreadFailure;
  constructor(failure: ThreadFailure) {
    super(failure.reason);
    this.failure = failure;
  }
}

export interface ThreadLimits {
  /** Deadline of the whole parse. */
  timeoutMs: number;
  /** Old-generation heap of the thread, in MiB. */
  maxMemoryMb: number;
}

const PDF_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  const pdfjs = await import(workerData.module);
  let doc;
  try {
    doc = await pdfjs.getDocument({
      data: workerData.data,
      verbosity: 0,
      isEvalSupported: false,
      useSystemFonts: false,
      disableFontFace: true,
      enableXfa: false,
      standardFontDataUrl: workerData.fonts,
      cMapUrl: workerData.cmaps,
      cMapPacked: true,
    }).promise;
  } catch (error) {
    const reason = error && error.name === "PasswordException" ? "password" : "invalid";
    parentPort.postMessage({ type: "failed", failure: { reason, message: String(error && error.message) } });
    return;
  }
  if (doc.numPages > workerData.maxPages) {
    parentPort.postMessage({ type: "failed", failure: { reason: "too-many-pages", pages: doc.numPages } });
    return;
  }
  for (let number = 1; number <= doc.numPages; number += 1) {
    const page = await doc.getPage(number);
    const view = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const items = [];
    for (const item of content.items) {
      if (typeof item.str !== "string" || item.str === "") continue;
      const [, , c, d, e, f] = item.transform;
      const size = Math.hypot(c, d) || item.height;
      items.push([item.str, e, f, item.width, size, item.fontName, item.hasEOL === true]);
    }
    parentPort.postMessage({ type: "page", page: { page: number, width: view.width, height: view.height, items } });
    page.cleanup();
  }
  await doc.destroy();
  parentPort.postMessage({ type: "done" });
})().catch((error) => {
  parentPort.postMessage({ type: "failed", failure: { reason: "crashed", message: String(error && error.message) } });
});
`;

const DOCX_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const mammoth = require(workerData.module);
mammoth
  .convertToHtml({ buffer: Buffer.from(workerData.data) }, { styleMap: workerData.styleMap, includeDefaultStyleMap: true })
  .then((result) => parentPort.postMessage({ type: "html", html: result.value }))
  .catch((error) => {
    parentPort.postMessage({ type: "failed", failure: { reason: "invalid", message: String(error && error.message) } });
  });
`;

function runThread<T>(
  code: string,
  workerData: Record<string, unknown>,
  limits: ThreadLimits,
  onMessage: (message: { type: string } & Record<string, unknown>) => T | undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, {
      eval: true,
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb, maxYoungGenerationSizeMb: 32 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(watchdog);
      void worker.terminate();
      outcome();
    };
    const deadline = setTimeout(
      () => settle(() => reject(new ThreadFailed({ reason: "timeout" }))),
      limits.timeoutMs,
    );
    // The heap limit does not cover array buffers, where PDF.js inflates streams; the process's
    // resident size does, so a parse that grows it by more than the limit is stopped.
    const baseline = process.memoryUsage.rss();
    const watchdog = setInterval(() => {
      if (process.memoryUsage.rss() - baseline > limits.maxMemoryMb * MIB) {
        settle(() => reject(new ThreadFailed({ reason: "memory" })));
      }
    }, WATCHDOG_MS);
    // The parsers' own console chatter (font warnings) is not ours to print.
    worker.stdout.resume();
    worker.stderr.resume();
    worker.on("message", (message: { type: string; failure?: ThreadFailure } & Record<string, unknown>) => {
      if (message.type === "failed") {
        settle(() => reject(new ThreadFailed(message.failure as ThreadFailure)));
        return;
      }
      const result = onMessage(message);
      if (result !== undefined) settle(() => resolve(result));
    });
    worker.on("error", (error: Error & { code?: string }) => {
      const failure: ThreadFailure =
        error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? { reason: "memory" }
          : { reason: "crashed", message: error.message };
      settle(() => reject(new ThreadFailed(failure)));
    });
    worker.on("exit", (code) => {
      settle(() =>
        reject(new ThreadFailed({ reason: "crashed", message: `parser thread exited with code ${code}` })),
      );
    });
  });
}

function pdfjsPaths(): { module: string; fonts: string; cmaps: string } {
  const root = dirname(require.resolve("pdfjs-dist/package.json"));
  // Fonts and character maps come from the installed package: nothing is fetched at run time.
  return {
    module: pathToFileURL(join(root, "legacy", "build", "pdf.mjs")).href,
    fonts: `${join(root, "standard_fonts")}/`,
    cmaps: `${join(root, "cmaps")}/`,
  };
}

/** Every page's text runs, in page order; throws ThreadFailed. */
export function extractPdfPages(
  data: Uint8Array,
  maxPages: number,
  limits: ThreadLimits,
): Promise<RawPage[]> {
  const pages: RawPage[] = [];
  return runThread(PDF_THREAD, { ...pdfjsPaths(), data, maxPages }, limits, (message) => {
    if (message.type === "page") pages.push(message.page as RawPage);
    return message.type === "done" ? pages : undefined;
  });
}

/** Word's title and subtitle styles read as headings, like Heading 1…6 do by mammoth's default. */
const DOCX_STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

/** The document as mammoth's HTML; throws ThreadFailed. */
export function convertDocxToHtml(data: Uint8Array, limits: ThreadLimits): Promise<string> {
  const module = require.resolve("mammoth");
  return runThread(DOCX_THREAD, { module, data, styleMap: DOCX_STYLE_MAP }, limits, (message) =>
    message.type === "html" ? String(message.html) : undefined,
  );
}
