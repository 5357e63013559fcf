/** Config text → plain value, with syntax errors located by file, line and column. */
import * as jsyaml from "js-yaml";

export type ConfigFormat = "yaml" | "json";

export type ReadResult = { ok: true; value: unknown } | { ok: false; problems: string[] };

export function detectFormat(file: string): ConfigFormat {
  return /\.json$/i.test(file) ? "json" : "yaml";
}

/** Deeper than any real config; past it the value is refused before anything recurses into it. */
export const MAX_CONFIG_DEPTH = 64;

/**
 * More values than any real config holds (10,000 sources are about 100,000). YAML aliases share
 * one value, so a few lines of `&a [*b, *b, …]` can stand for billions of them once walked.
 */
export const MAX_CONFIG_VALUES = 2_000_000;

export function readConfigText(text: string, file: string, format: ConfigFormat): ReadResult {
  const read = format === "json" ? readJson(text, file) : readYaml(text, file);
  if (!read.ok) return read;
  const problem = shapeProblem(read.value, MAX_CONFIG_DEPTH, MAX_CONFIG_VALUES);
  if (problem === undefined) return read;
  const kind = format === "json" ? "JSON" : "YAML";
  return {
    ok: false,
    problems: [
      "depth" in problem
        ? `${file}: ${kind} nested more than ${MAX_CONFIG_DEPTH} levels deep (at ${problem.depth}); a clausewatch config needs fewer than 10`
        : `${file}: ${kind} holds more than ${MAX_CONFIG_VALUES.toLocaleString("en")} values once its aliases are expanded (at ${problem.values}); a clausewatch config needs far fewer`,
    ],
  };
}

/**
 * Where a value first nests deeper than `depthLimit` or the walk passes `valueLimit` values (a
 * path such as `plans[0][0]…`), without recursion.
 */
function shapeProblem(
  value: unknown,
  depthLimit: number,
  valueLimit: number,
): { depth: string } | { values: string } | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: "" }];
  const shown = (path: string) => `${path.slice(0, 60)}${path.length > 60 ? "…" : ""}` || "(root)";
  let visited = 0;
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined || next.value === null || typeof next.value !== "object") continue;
    if (next.depth >= depthLimit) return { depth: shown(next.path) };
    const entries = Array.isArray(next.value)
      ? next.value.map((item, index): [string, unknown] => [`[${index}]`, item])
      : Object.entries(next.value).map(([key, item]): [string, unknown] => [
          next.path === "" ? key : `.${key}`,
          item,
        ]);
    visited += entries.length;
    if (visited > valueLimit) return { values: shown(next.path) };
    for (const [step, item] of entries)
      stack.push({ value: item, depth: next.depth + 1, path: `${next.path}${step}` });
  }
  return undefined;
}

/** YAML 1.2's core schema (no timestamps: a date stays the string it was written as), plus `<<` merges. */
const CONFIG_SCHEMA = jsyaml.CORE_SCHEMA.extend({
  // js-yaml exports its built-in types; @types/js-yaml does not declare them.
  implicit: [(jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge],
});

function readYaml(text: string, file: string): ReadResult {
  try {
    // merge: YAML `<<: *defaults` lets many sources share one block of settings. Duplicate keys
    // are refused, as a second `schedule:` silently winning would be.
    return { ok: true, value: jsyaml.load(text, { filename: file, schema: CONFIG_SCHEMA, json: false }) };
  } catch (error) {
    if (!(error instanceof jsyaml.YAMLException)) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, problems: [`${file}: YAML error: ${reason}`] };
    }
    const where = error.mark ? `${file}:${error.mark.line + 1}:${error.mark.column + 1}` : file;
    // An unquoted cron expression starts with "*", which YAML reads as an alias.
    const hint = /alias/i.test(error.reason)
      ? ' (quote values that start with "*", e.g. schedule: "*/10 * * * *")'
      : "";
    return { ok: false, problems: [`${where}: YAML syntax error: ${error.reason}${hint}`] };
  }
}

function readJson(text: string, file: string): ReadResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const offset = /position (\d+)/.exec(reason)?.[1];
    const position = offset === undefined ? yamlPosition(text) : lineColumn(text, Number(offset));
    const where = position === undefined ? file : `${file}:${position}`;
    const message = reason.replace(/ in JSON at position \d+.*$/, "").replace(/^JSON\.parse: /, "");
    return { ok: false, problems: [`${where}: JSON syntax error: ${message}`] };
  }
}

/**
 * V8 gives no position for some JSON errors ("Unexpected token"); JSON is YAML, so the YAML parser
 * usually points at the same spot.
 */
function yamlPosition(text: string): string | undefined {
  try {
    jsyaml.load(text, { schema: CONFIG_SCHEMA });
    return undefined;
  } catch (error) {
    const mark = error instanceof jsyaml.YAMLException ? error.mark : undefined;
    return mark === undefined ? undefined : `${mark.line + 1}:${mark.column + 1}`;
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `${line}:${column}`;
}
