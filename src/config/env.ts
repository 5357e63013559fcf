/**
 * `${VAR}` interpolation on parsed values, never on the YAML text: a secret containing a quote,
 * a colon or a newline cannot change the structure of the config.
 */
import type { Problem } from "./types.js";

const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One `${VAR}` replaced by a non-empty value: where, and with what (for redaction). */
export interface Substitution {
  path: readonly (string | number)[];
  value: string;
}

export interface Interpolated {
  value: unknown;
  problems: Problem[];
  substitutions: Substitution[];
}

export interface InterpolateOptions {
  /** Where an unset variable is not a problem (it becomes ""), e.g. secrets a read-only command never uses. */
  optional?: (path: readonly (string | number)[]) => boolean;
}

interface Walk {
  env: NodeJS.ProcessEnv;
  problems: Problem[];
  substitutions: Substitution[];
  optional: (path: readonly (string | number)[]) => boolean;
}

/**
 * Replaces `${VAR}`, `${VAR:-default}` (default when unset or empty) and `${VAR-default}` (default
 * when unset) in every string value; `$${` writes a literal `${`. Keys are left alone. A missing
 * variable becomes "" and a problem at the value's path.
 */
export function interpolateEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  options: InterpolateOptions = {},
): Interpolated {
  const walk: Walk = { env, problems: [], substitutions: [], optional: options.optional ?? (() => false) };
  const result = visit(value, [], walk);
  return { value: result, problems: walk.problems, substitutions: walk.substitutions };
}

function visit(value: unknown, path: (string | number)[], walk: Walk): unknown {
  if (typeof value === "string") return interpolateString(value, path, walk);
  if (Array.isArray(value)) return value.map((item, index) => visit(item, [...path, index], walk));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = visit(item, [...path, key], walk);
    return out;
  }
  return value;
}

function interpolateString(text: string, path: (string | number)[], walk: Walk): string {
  const { env, problems } = walk;
  if (!text.includes("${")) return text;
  return text.replace(REFERENCE, (match: string, body: string | undefined) => {
    if (match === "$${") return "${";
    if (body === undefined) {
      problems.push({ path, message: 'unterminated "${" (write "$${" for a literal "${")' });
      return match;
    }
    const operator = /:-|-/.exec(body);
    const name = operator === null ? body : body.slice(0, operator.index);
    if (!NAME.test(name)) {
      problems.push({ path, message: `invalid environment variable reference ${JSON.stringify(match)}` });
      return "";
    }
    const current = env[name];
    const substituted = (value: string) => {
      if (value !== "") walk.substitutions.push({ path, value });
      return value;
    };
    if (operator !== null) {
      const fallback = body.slice(operator.index + operator[0].length);
      const useFallback =
        operator[0] === ":-" ? current === undefined || current === "" : current === undefined;
      return useFallback ? fallback : substituted(current ?? "");
    }
    if (current === undefined) {
      if (!walk.optional(path)) problems.push({ path, message: `environment variable ${name} is not set` });
      return "";
    }
    return substituted(current);
  });
}
