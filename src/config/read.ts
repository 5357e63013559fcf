/** Config text → plain value, with syntax errors located by file, line and column. */
import { parseDocument } from "yaml";

export type ConfigFormat = "yaml" | "json";

export type ReadResult = { ok: true; value: unknown } | { ok: false; problems: string[] };

export function detectFormat(file: string): ConfigFormat {
  return /\.json$/i.test(file) ? "json" : "yaml";
}

/** Deeper than any real config; past it the value is refused before anything recurses into it. */
export const MAX_CONFIG_DEPTH = 64;

export function readConfigText(text: string, file: string, format: ConfigFormat): ReadResult {
  const read = format === "json" ? readJson(text, file) : readYaml(text, file);
  if (!read.ok) return read;
  const deepest = nestingDepth(read.value, MAX_CONFIG_DEPTH);
  if (deepest === undefined) return read;
  return {
    ok: false,
    problems: [
      `${file}: ${format === "json" ? "JSON" : "YAML"} nested more than ${MAX_CONFIG_DEPTH} levels deep (at ${deepest}); a clausewatch config needs fewer than 10`,
    ],
  };
}

/** Where a value first nests deeper than `limit` (a path such as `plans[0][0]…`), without recursion. */
function nestingDepth(value: unknown, limit: number): string | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: "" }];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined || next.value === null || typeof next.value !== "object") continue;
    if (next.depth >= limit)
      return `${next.path.slice(0, 60)}${next.path.length > 60 ? "…" : ""}` || "(root)";
    const entries = Array.isArray(next.value)
      ? next.value.map((item, index): [string, unknown] => [`[${index}]`, item])
      : Object.entries(next.value).map(([key, item]): [string, unknown] => [
          next.path === "" ? key : `.${key}`,
          item,
        ]);
    for (const [step, item] of entries)
      stack.push({ value: item, depth: next.depth + 1, path: `${next.path}${step}` });
  }
  return undefined;
}

function readYaml(text: string, file: string): ReadResult {
  // merge: YAML `<<: *defaults` lets many sources share one block of settings.
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true, merge: true });
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => {
      const position = error.linePos?.[0];
      const where = position === undefined ? file : `${file}:${position.line}:${position.col}`;
      const message = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? error.code;
      // An unquoted cron expression starts with "*", which YAML reads as an alias.
      const hint = /alias/i.test(message)
        ? ' (quote values that start with "*", e.g. schedule: "*/10 * * * *")'
        : "";
      return `${where}: YAML syntax error: ${message}${hint}`;
    });
    return { ok: false, problems: dedupe(problems) };
  }
  try {
    return { ok: true, value: document.toJS({ maxAliasCount: 1000 }) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [`${file}: YAML error: ${reason}`] };
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
  const position = parseDocument(text).errors[0]?.linePos?.[0];
  return position === undefined ? undefined : `${position.line}:${position.col}`;
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `${line}:${column}`;
}

function dedupe(lines: string[]): string[] {
  return [...new Set(lines)];
}
