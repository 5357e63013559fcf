/**
 * A comparison's filters — severity, flag type, kind — as query parameters, checked against the
 * diff contract's own lists so a mistyped value is an error that names it, not an empty page.
 */
import { type DiffEntry, severities } from "../diff/index.js";
import { InputError } from "../errors.js";
import type { CompareParams } from "./layout.js";

export const ENTRY_KINDS = [
  "unchanged",
  "renumbered",
  "moved",
  "modified",
  "added",
  "removed",
  "split",
  "merged",
] as const satisfies ReadonlyArray<DiffEntry["kind"]>;

export const FLAG_TYPES = [
  "number",
  "entity",
  "reference",
  "negation",
  "modality",
  "obligation",
  "condition",
  "rewrite",
  "terms",
] as const satisfies ReadonlyArray<NonNullable<DiffEntry["flags"]>[number]["type"]>;

function values(query: URLSearchParams, name: string, allowed: readonly string[]): string[] {
  const given = query
    .getAll(name)
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value !== "");
  const unknown = given.filter((value) => !allowed.includes(value));
  if (unknown.length > 0) {
    throw new InputError(
      `unknown ${name} "${unknown[0]}" in the comparison's filter (expected ${allowed.join(", ")})`,
    );
  }
  return [...new Set(given)];
}

/** The filters and view asked for in a comparison's query string. @throws InputError for a value it does not know */
export function parseCompareParams(query: URLSearchParams): CompareParams {
  const view = query.get("view");
  if (view !== null && view !== "inline" && view !== "sides") {
    throw new InputError(`unknown view "${view}" (expected inline or sides)`);
  }
  const severity = values(query, "severity", severities);
  const flag = values(query, "flag", FLAG_TYPES);
  const kind = values(query, "kind", ENTRY_KINDS);
  return {
    ...(severity.length ? { severity } : {}),
    ...(flag.length ? { flag } : {}),
    ...(kind.length ? { kind } : {}),
    ...(view === "sides" ? { view } : {}),
  };
}

export function isFiltered(params: CompareParams): boolean {
  return Boolean(params.severity?.length || params.flag?.length || params.kind?.length);
}

/** Each facet given must match (any of its values); facets not given match everything. */
export function entryMatches(
  entry: Pick<DiffEntry, "kind" | "severity" | "flags">,
  params: CompareParams,
): boolean {
  if (params.severity?.length && !params.severity.includes(entry.severity)) return false;
  if (params.kind?.length && !params.kind.includes(entry.kind)) return false;
  if (params.flag?.length && !(entry.flags ?? []).some((flag) => params.flag?.includes(flag.type)))
    return false;
  return true;
}
