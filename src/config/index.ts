/**
 * Config entry point: read → validate the user's shape → normalize → cross-field rules, refusing
 * with every problem at once.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { interpolateEnv } from "./env.js";
import { normalizeConfig } from "./normalize.js";
import { formatProblem, isWithin } from "./path.js";
import { type ConfigFormat, detectFormat, readConfigText } from "./read.js";
import { checkReferences, checkRules, lenientReferenceView } from "./rules.js";
import { userConfigSchema } from "./schema.js";
import type { Config, Problem } from "./types.js";

export type { ConfigFormat } from "./read.js";
export type { UserConfig } from "./schema.js";
export { displayUrl, MASK, redactSecrets, secretPaths, urlSecrets } from "./secrets.js";
export type * from "./types.js";

export interface ParseConfigOptions {
  /** Name used in messages; relative paths in the config are resolved against its directory. */
  file: string;
  /** @default "json" for a `.json` file, otherwise "yaml" */
  format?: ConfigFormat;
  /** Variables for `${VAR}` interpolation. @default process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * For commands that only read the store (serve, export, versions, sources, health, alerts …):
   * notifiers are left out unchecked, and unset variables are tolerated outside `storage`, so
   * reading history never needs the worker's secrets. @default false
   */
  readOnly?: boolean;
}

/** Reads and validates a YAML or JSON config file. Throws `ConfigError` listing every problem. */
export async function loadConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  options: { readOnly?: boolean } = {},
): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      `cannot read config file ${file}: ${reason}`,
      [`${file}: cannot read the file (${reason})`],
      {
        cause: error,
        source: file,
      },
    );
  }
  return parseConfig(text, { file, env, ...options });
}

/** Validates config text. Throws `ConfigError` listing every problem. */
export function parseConfig(text: string, options: ParseConfigOptions): Config {
  const { file } = options;
  const read = readConfigText(text.replace(/^\uFEFF/, ""), file, options.format ?? detectFormat(file));
  if (!read.ok) throw refuse(file, read.problems);
  if (read.value === null || read.value === undefined) {
    throw refuse(file, ["(root): the file is empty; expected settings such as plans and sources"]);
  }

  const readOnly = options.readOnly ?? false;
  const value =
    readOnly && read.value !== null && typeof read.value === "object" && !Array.isArray(read.value)
      ? { ...(read.value as Record<string, unknown>), notify: [] }
      : read.value;
  const interpolated = interpolateEnv(value, options.env ?? process.env, {
    optional: (at) => readOnly && at[0] !== "storage",
  });
  // A missing variable already explains why its value is empty or wrong; say it once.
  const envPaths = interpolated.problems.map((problem) => problem.path);
  const fresh = (problem: Problem) => !envPaths.some((envPath) => isWithin(problem.path, envPath));

  const parsed = userConfigSchema.safeParse(interpolated.value);
  const problems: Problem[] = [...interpolated.problems];
  if (!parsed.success) {
    const shape = parsed.error.issues
      .flatMap((issue) => issueProblems(issue, interpolated.value))
      .filter(fresh);
    const shapePaths = shape.map((problem) => problem.path);
    const references = checkReferences(lenientReferenceView(interpolated.value)).filter(
      (problem) => fresh(problem) && !shapePaths.some((shapePath) => isWithin(problem.path, shapePath)),
    );
    problems.push(...shape, ...references);
    throw refuse(file, problems.map(formatProblem));
  }
  const substituted = (at: readonly (string | number)[]) =>
    interpolated.substitutions
      .filter((entry) => entry.path.length === at.length && isWithin(entry.path, at))
      .map((entry) => entry.value);
  const config = normalizeConfig(parsed.data, path.resolve(file), substituted);
  problems.push(...checkRules(config).filter(fresh));
  if (problems.length > 0) throw refuse(file, problems.map(formatProblem));
  return config;
}

/** JSON Schema of what users may write, for editors (`config/schema.json`). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(userConfigSchema, { io: "input", target: "draft-2020-12" });
  return { ...schema, title: "clausewatch configuration" };
}

function refuse(file: string, problems: string[]): ConfigError {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const list = problems.map((line) => `  - ${line}`).join("\n");
  return new ConfigError(`invalid configuration in ${file} (${count}):\n${list}`, problems, { source: file });
}

function issueProblems(issue: z.core.$ZodIssue, input: unknown): Problem[] {
  const issuePath = issue.path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment));
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: [...issuePath, key],
      message: "unknown setting; check the spelling (config/schema.json lists every setting)",
    }));
  }
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) {
    return [{ path: issuePath, message: `required (expected ${issue.expected})` }];
  }
  if (issue.code === "invalid_union") {
    // zod reports the allowed discriminator values on the issue without typing them.
    const { discriminator, options } = issue as { discriminator?: unknown; options?: unknown };
    if (typeof discriminator === "string" && Array.isArray(options)) {
      const allowed = options.map((option) => JSON.stringify(option)).join(", ");
      const given = valueAt(input, issuePath);
      const what = given === undefined ? "missing" : `unknown ${discriminator} ${JSON.stringify(given)}`;
      return [{ path: issuePath, message: `${what}; expected one of ${allowed}` }];
    }
  }
  return [{ path: issuePath, message: issue.message }];
}

function valueAt(root: unknown, at: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of at) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}
