import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Config, PlanConfig } from "../config/index.js";
import { InputError } from "../errors.js";
import { buildExport, type ExportFormat, type ExportTable, formatExport } from "../history/export.js";
import { type ImportFile, importCopies } from "../history/import.js";
import { type PdfTarget, writePdfReport } from "../history/pdf.js";
import { openHistory } from "../history/read.js";
import { writeReport } from "../history/report.js";
import { openConfiguredStore, writeFileAtomic } from "../store/index.js";
import { openContext, requireConfig } from "./context.js";
import { openHistoryConfig } from "./demo-history.js";

function requirePlan(config: Config, planId: string): PlanConfig {
  const plan = config.plans.find((candidate) => candidate.id === planId);
  if (!plan) {
    const known = config.plans.map((candidate) => candidate.id).join(", ");
    throw new InputError(`unknown plan "${planId}" (known: ${known || "none"})`);
  }
  return plan;
}

async function writeOutput(out: string | undefined, text: string): Promise<void> {
  if (!out) {
    process.stdout.write(text);
    return;
  }
  const path = resolve(out);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, text);
}

export interface ExportCommandOptions {
  config?: string;
  format: ExportFormat;
  /** CSV only: which table. */
  table?: ExportTable;
  out?: string;
}

/** `clausewatch export PLAN`: read-only, so it runs beside a live worker. */
export async function runExportCommand(planId: string, options: ExportCommandOptions): Promise<number> {
  if (options.table && options.format !== "csv") {
    throw new InputError(
      `--table ${options.table} applies to --format csv only (json and jsonl hold every table)`,
    );
  }
  const config = await requireConfig(options.config, { readOnly: true });
  const plan = requirePlan(config, planId);
  const store = await openConfiguredStore(config.storage, { readOnly: true });
  try {
    const document = await buildExport(store, plan);
    await writeOutput(options.out, formatExport(document, options.format, options.table ?? "clauses"));
    if (options.out) {
      process.stderr.write(
        `${plan.id}: ${document.versions.length} versions, ${document.clauses.length} clause rows, ${document.changes.length} changes → ${options.out}\n`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

export interface ImportCommandOptions {
  config?: string;
  source: string;
  /** One per file, in the order of the files; sorts the copies by time. */
  at?: string[];
  /** One per file, in the order of the files. */
  url?: string[];
}

function perFile(name: string, values: string[] | undefined, files: string[]): Array<string | undefined> {
  if (!values || values.length === 0) return files.map(() => undefined);
  if (values.length !== files.length) {
    throw new InputError(
      `${values.length} --${name} value(s) for ${files.length} file(s): give --${name} once per file, in the same order`,
    );
  }
  return values;
}

/** `clausewatch import PLAN --source ID FILE…`: takes the store lock, so not while a worker runs. */
export async function runImportCommand(
  planId: string,
  paths: string[],
  options: ImportCommandOptions,
): Promise<number> {
  if (paths.length === 0) throw new InputError("import needs at least one file");
  const times = perFile("at", options.at, paths);
  const urls = perFile("url", options.url, paths);
  const files: ImportFile[] = paths.map((path, index) => ({
    path,
    ...(times[index] ? { at: times[index] } : {}),
    ...(urls[index] ? { url: urls[index] } : {}),
  }));
  const config = await requireConfig(options.config);
  requirePlan(config, planId);
  const opened = await openContext(config, { logTo: "stderr", command: "import" });
  try {
    const { lineage } = opened.ctx;
    if (!lineage) throw new InputError("import needs the plan lineage, which this context lacks");
    const imported = await importCopies({ ...opened.ctx, lineage }, planId, options.source, files);
    for (const copy of imported) {
      const version = copy.version ? ` ${copy.relation} ${copy.version}` : "";
      const snapshot = copy.snapshotId ? ` snapshot ${copy.snapshotId}` : "";
      process.stdout.write(`${copy.fetchedAt}  ${copy.status}${version}${snapshot}  ${copy.path}\n`);
    }
    return 0;
  } finally {
    await opened.close();
  }
}

export interface ReportCommandOptions {
  config?: string;
  /** A static site of the whole history in this directory. */
  out?: string;
  /** `--no-bodies`: leave the raw bodies out. */
  bodies?: boolean;
  /** One version or one comparison as a PDF file, instead of a site. */
  pdf?: string;
  /** With `--pdf`: what to print, a version (`v2`, or a snapshot id) or a comparison `FROM..TO`. */
  what?: string;
  /** Read the demo's history (what `npm start` leaves in snapshots/demo). */
  demo?: boolean;
}

function pdfTarget(what: string | undefined): PdfTarget {
  if (!what) {
    throw new InputError(
      "report --pdf needs what to print after the plan: a version (v2, or a snapshot id) or a comparison (v1..v2)",
    );
  }
  const at = what.indexOf("..");
  if (at < 0) return { version: what };
  if (at === 0 || at + 2 >= what.length) {
    throw new InputError(
      `report: "${what}" is not a comparison; expected FROM..TO (v1..v2, or snapshot ids)`,
    );
  }
  return { from: what.slice(0, at), to: what.slice(at + 2) };
}

/** `clausewatch report PLAN --out DIR` or `clausewatch report PLAN WHAT --pdf FILE`: read-only, so it runs beside a live worker. */
export async function runReportCommand(planId: string, options: ReportCommandOptions): Promise<number> {
  if (options.out && options.pdf) {
    throw new InputError("report writes a site (--out DIR) or one PDF (--pdf FILE), not both at once");
  }
  if (!options.out && !options.pdf) {
    throw new InputError("report needs --out DIR (a static site) or --pdf FILE (one version or comparison)");
  }
  if (!options.pdf && options.what) {
    throw new InputError(
      `"${options.what}" chooses what --pdf prints; a site (--out) holds every version and comparison`,
    );
  }
  const target = options.pdf ? pdfTarget(options.what) : undefined;
  const { config, store } = await openHistoryConfig(options, "reporting");
  try {
    requirePlan(config, planId);
    const history = await openHistory({ config, ...(store ? { store } : {}) });
    try {
      if (options.pdf && target) {
        const file = resolve(options.pdf);
        await mkdir(dirname(file), { recursive: true });
        const { title, bytes } = await writePdfReport(history, planId, target, file, {
          browser: config.browser,
          ...(config.publicBaseUrl ? { baseUrl: config.publicBaseUrl } : {}),
        });
        process.stderr.write(`${title}: PDF of ${Math.ceil(bytes / 1024)} KB → ${file}\n`);
        return 0;
      }
      const outDir = resolve(options.out ?? ".");
      const { files } = await writeReport(history, planId, outDir, { bodies: options.bodies ?? true });
      process.stderr.write(`${planId}: ${files.length} files → ${outDir}/index.html\n`);
      return 0;
    } finally {
      await history.close();
    }
  } finally {
    await store?.close();
  }
}
