/** Rules that compare fields with each other. Every rule reports; none stops at the first problem. */
import { formatPath } from "./path.js";
import type { Config, Problem } from "./types.js";

/** What the reference rules look at; a `Config` is one, and so is a lenient view of invalid input. */
export interface ReferenceView {
  plans: { id?: string | undefined }[];
  sources: { id?: string | undefined; plan?: string | undefined }[];
  notify: { id?: string | undefined; plans?: (string | undefined)[] | undefined }[];
}

export function checkRules(config: Config): Problem[] {
  return [...checkReferences(config), ...retryBounds(config), ...sourceModes(config)];
}

/** Discovery is for coverage; a browser renders web pages, not PDF or Word files. */
function sourceModes(config: Config): Problem[] {
  const problems: Problem[] = [];
  config.sources.forEach((source, index) => {
    if (source.discover && source.role !== "coverage") {
      problems.push({
        path: ["sources", index, "discover"],
        message: `discover finds coverage articles; set role: coverage (this source is role: ${source.role})`,
      });
    }
    if (source.render && (source.format === "pdf" || source.format === "docx")) {
      problems.push({
        path: ["sources", index, "render"],
        message: `render: browser renders web pages; a ${source.format} source is read as served (drop render)`,
      });
    }
  });
  return problems;
}

/** Duplicate ids and references to unknown plans. */
export function checkReferences(view: ReferenceView): Problem[] {
  return [
    ...duplicateIds(
      "plan",
      "plans",
      view.plans.map((plan) => plan.id),
    ),
    ...duplicateIds(
      "source",
      "sources",
      view.sources.map((source) => source.id),
    ),
    ...duplicateIds(
      "notifier",
      "notify",
      view.notify.map((notifier) => notifier.id),
    ),
    ...planReferences(view),
  ];
}

/**
 * Reads whatever ids and references are well-formed out of input that failed validation, so that
 * duplicate ids and unknown plans are reported in the same run as the shape problems.
 */
export function lenientReferenceView(input: unknown): ReferenceView {
  const root = asRecord(input);
  const list = (key: string) => (Array.isArray(root[key]) ? (root[key] as unknown[]).map(asRecord) : []);
  return {
    plans: list("plans").map((plan) => ({ id: asString(plan.id) })),
    sources: list("sources").map((source) => ({ id: asString(source.id), plan: asString(source.plan) })),
    notify: list("notify").map((notifier) => ({
      id: asString(notifier.id) ?? asString(notifier.type),
      plans: Array.isArray(notifier.plans) ? notifier.plans.map(asString) : undefined,
    })),
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function asString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Ids name files and directories, so two ids that differ only in case would collide on some disks. */
function duplicateIds(what: string, list: string, ids: (string | undefined)[]): Problem[] {
  const problems: Problem[] = [];
  const firstIndex = new Map<string, number>();
  ids.forEach((id, index) => {
    if (id === undefined) return;
    const key = id.toLowerCase();
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, index);
      return;
    }
    const where = formatPath([list, first]);
    const hint = what === "notifier" ? "; give each notifier of the same type its own id" : "";
    problems.push({
      path: [list, index, "id"],
      message: `duplicate ${what} id ${JSON.stringify(id)} (already used by ${where}${ids[first] === id ? "" : `, ${JSON.stringify(ids[first])}; ids are compared ignoring case`})${hint}`,
    });
  });
  return problems;
}

function planReferences(view: ReferenceView): Problem[] {
  const known = new Set(view.plans.flatMap((plan) => (plan.id === undefined ? [] : [plan.id])));
  const listing =
    known.size === 0 ? "no plans are defined under `plans`" : `known plans: ${[...known].join(", ")}`;
  const problems: Problem[] = [];
  view.sources.forEach((source, index) => {
    if (source.plan !== undefined && !known.has(source.plan)) {
      problems.push({
        path: ["sources", index, "plan"],
        message: `unknown plan ${JSON.stringify(source.plan)}; ${listing}`,
      });
    }
  });
  view.notify.forEach((notifier, index) => {
    (notifier.plans ?? []).forEach((plan, planIndex) => {
      if (plan !== undefined && !known.has(plan)) {
        problems.push({
          path: ["notify", index, "plans", planIndex],
          message: `unknown plan ${JSON.stringify(plan)}; ${listing}`,
        });
      }
    });
  });
  return problems;
}

function retryBounds(config: Config): Problem[] {
  const problems: Problem[] = [];
  const global = config.http.retries;
  if (global.baseDelayMs > global.maxDelayMs) {
    problems.push({
      path: ["http", "retries", "baseDelayMs"],
      message: `${global.baseDelayMs} exceeds maxDelayMs (${global.maxDelayMs}); expected baseDelayMs <= maxDelayMs`,
    });
    return problems;
  }
  config.sources.forEach((source, index) => {
    const { baseDelayMs, maxDelayMs } = source.http.retries;
    if (baseDelayMs > maxDelayMs) {
      problems.push({
        path: ["sources", index, "http", "retries"],
        message: `effective baseDelayMs ${baseDelayMs} exceeds maxDelayMs ${maxDelayMs}; expected baseDelayMs <= maxDelayMs`,
      });
    }
  });
  return problems;
}
