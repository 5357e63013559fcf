/**
 * The history of one plan as a static site (`clausewatch report`): the web view's own pages
 * (src/history/pages.ts) with file links instead of routes, so a newsroom can publish the
 * directory as it is. Every page sits in one flat directory (raw bodies under `bodies/`), so each
 * link is a bare relative file name, and every page a written page links to is written too.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";
import {
  type PageLinks,
  renderClausePage,
  renderComparePage,
  renderErrorPage,
  renderMapPage,
  renderPlanPage,
  renderPlansPage,
  renderSourcePage,
  renderVersionPage,
} from "./pages.js";
import type { ClauseTimeline, History, PlanTimeline } from "./read.js";
import { versionPlainText } from "./version.js";

export interface ReportOptions {
  /**
   * Copy each linked snapshot's raw body (as fetched) into `bodies/`. Turn off before publishing
   * copies of other outlets' pages you may not republish; the links then lead to a note.
   * @default true
   */
  bodies?: boolean;
}

export interface ReportResult {
  /** Every file written, relative to the output directory, in the order written. */
  files: string[];
}

type Target =
  | { kind: "plans" }
  | { kind: "plan"; page: number }
  | { kind: "version"; version: string }
  | { kind: "version-text"; version: string }
  | { kind: "map"; from?: string; rows: "all" | "changed"; page: number }
  | { kind: "compare"; from: string; to: string }
  | { kind: "clause"; key: string; version?: string }
  | { kind: "source"; sourceId: string }
  | { kind: "body"; sourceId: string; snapshotId: string }
  | { kind: "no-bodies" };

const INDEX = "index.html";
const TIMELINE = "timeline.html";
const NO_BODIES = "bodies-omitted.html";

/**
 * A file-name-safe form of a label: letters, digits, `.` and `-` kept, anything else as `_` and
 * the UTF-8 bytes in hex, so different labels (`#3`, `§ 4`, `26`) never share a file.
 */
export function fileSlug(value: string): string {
  return [...value]
    .map((char) =>
      /[A-Za-z0-9.-]/.test(char)
        ? char
        : `_${[...Buffer.from(char, "utf8")].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`,
    )
    .join("");
}

/** Writes the plan's pages into `outDir` (created when missing; files of an earlier report are replaced). */
export async function writeReport(
  history: History,
  planId: string,
  outDir: string,
  options: ReportOptions = {},
): Promise<ReportResult> {
  const found = await history.plan(planId);
  if (!found) throw new InputError(`unknown plan "${planId}": it is not in the config`);
  const timeline: PlanTimeline = found;
  const title = timeline.plan.title;
  const versionBySnapshot = new Map(timeline.versions.map((version) => [version.snapshotId, version.id]));
  // A comparison of two versions' first copies is the version comparison, whichever way it is named.
  const canonical = (ref: string) => versionBySnapshot.get(ref) ?? ref;

  // One page per clause's life: the first (version, key) that reaches a clause names its page,
  // and every other version's key for the same clause links there too.
  const clausePages = new Map<string, string>();
  const timelines = new Map<string, ClauseTimeline>();
  const clauseId = (version: string | undefined, key: string) => `${version ?? ""}\u0000${key}`;
  for (const version of timeline.versions) {
    const text = await history.text(planId, version.id);
    for (const clause of text?.clauseSet.clauses ?? []) {
      if (clausePages.has(clauseId(version.id, clause.key))) continue;
      const found = await history.clause(planId, clause.key, { version: version.id });
      if (!found) continue;
      const file = `clause-${fileSlug(version.id)}-${fileSlug(clause.key)}.html`;
      timelines.set(file, found);
      clausePages.set(clauseId(version.id, clause.key), file);
      for (const row of found.versions) {
        if (row.key !== undefined && !clausePages.has(clauseId(row.version, row.key))) {
          clausePages.set(clauseId(row.version, row.key), file);
        }
      }
    }
  }

  const wanted = new Map<string, Target>();
  const written = new Set<string>();
  const want = (file: string, target: Target) => {
    if (!written.has(file) && !wanted.has(file)) wanted.set(file, target);
    return file;
  };
  const bodies = options.bodies ?? true;
  const links: PageLinks = {
    home: INDEX,
    plan: (id, page = 1) =>
      id === planId
        ? want(page > 1 ? `timeline-p${page}.html` : TIMELINE, { kind: "plan", page: Math.max(1, page) })
        : INDEX,
    version: (_plan, version) => want(`version-${fileSlug(version)}.html`, { kind: "version", version }),
    versionText: (_plan, version) =>
      want(`version-${fileSlug(version)}.txt`, { kind: "version-text", version }),
    map: (_plan, options = {}) => {
      const rows = options.rows === "changed" ? "changed" : "all";
      const page = Math.max(1, options.page ?? 1);
      const file = `map${options.from ? `-${fileSlug(options.from)}` : ""}${rows === "changed" ? "-changed" : ""}${page > 1 ? `-p${page}` : ""}.html`;
      return want(file, { kind: "map", ...(options.from ? { from: options.from } : {}), rows, page });
    },
    compare: (_plan, from, to) =>
      want(`compare-${fileSlug(canonical(from))}-${fileSlug(canonical(to))}.html`, {
        kind: "compare",
        from: canonical(from),
        to: canonical(to),
      }),
    clause: (_plan, key, version) =>
      want(
        clausePages.get(clauseId(version, key)) ??
          `clause-${fileSlug(version ?? "any")}-${fileSlug(key)}.html`,
        { kind: "clause", key, ...(version ? { version } : {}) },
      ),
    source: (sourceId) => want(`source-${fileSlug(sourceId)}.html`, { kind: "source", sourceId }),
    body: (sourceId, snapshotId) =>
      bodies
        ? want(`bodies/${fileSlug(snapshotId)}.txt`, { kind: "body", sourceId, snapshotId })
        : want(NO_BODIES, { kind: "no-bodies" }),
  };

  const missing = (what: string) => renderErrorPage(404, `${what} is not part of this report.`, links);
  async function render(file: string, target: Target): Promise<string | Buffer> {
    switch (target.kind) {
      case "plans": {
        const plans = (await history.plans()).filter((summary) => summary.id === planId);
        const witnesses = new Set(
          timeline.versions.flatMap((version) =>
            [...version.witnesses, ...version.divergent].map((witness) => witness.sourceId),
          ),
        );
        const sources = (await history.sources()).filter(
          (source) => source.plan === planId || witnesses.has(source.id),
        );
        return renderPlansPage(plans, sources, links);
      }
      case "plan":
        return renderPlanPage(timeline, links, { page: target.page });
      case "version": {
        const view = await history.version(planId, target.version);
        return view ? renderVersionPage(view, links) : missing(`Version ${target.version}`);
      }
      case "version-text": {
        const side = await history.text(planId, target.version);
        return side ? versionPlainText(side) : `Version ${target.version} is not stored.\n`;
      }
      case "map": {
        const map = await history.map(planId, {
          ...(target.from ? { from: target.from } : {}),
          rows: target.rows,
          page: target.page,
        });
        return map ? renderMapPage(map, links) : missing("This window of the map");
      }
      case "compare": {
        const comparison = await history.compare(planId, target.from, target.to);
        return comparison
          ? renderComparePage(comparison, links, { title })
          : missing(`The comparison ${target.from} → ${target.to}`);
      }
      case "clause": {
        const found =
          timelines.get(file) ??
          (await history.clause(planId, target.key, target.version ? { version: target.version } : {}));
        return found ? renderClausePage(found, links, { title }) : missing(`Clause ${target.key}`);
      }
      case "source": {
        const found = await history.source(target.sourceId);
        return found ? renderSourcePage(found, links) : missing(`Source ${target.sourceId}`);
      }
      case "body": {
        const found = await history.snapshotBody(target.sourceId, target.snapshotId);
        return found?.body ?? `The raw body of snapshot ${target.snapshotId} is not stored.\n`;
      }
      case "no-bodies":
        return renderErrorPage(
          404,
          "Raw bodies were left out of this report; each page lists the body's sha256 for verification against the archive.",
          links,
        );
    }
  }

  want(INDEX, { kind: "plans" });
  want(TIMELINE, { kind: "plan", page: 1 });
  for (const [index, version] of timeline.versions.entries()) {
    const previous = timeline.versions[index - 1];
    if (previous) links.compare(planId, previous.id, version.id);
  }
  for (const [id, file] of clausePages) {
    const [version, key] = id.split("\u0000") as [string, string];
    want(file, { kind: "clause", key, version });
  }

  await mkdir(bodies ? join(outDir, "bodies") : outDir, { recursive: true });
  const files: string[] = [];
  // Rendering a page asks for the pages it links to, so this runs until nothing new is linked.
  for (const [file, target] of wanted) {
    wanted.delete(file);
    written.add(file);
    await writeFile(join(outDir, file), await render(file, target));
    files.push(file);
  }
  return { files };
}
