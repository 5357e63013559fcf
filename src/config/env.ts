/**
 * `${VAR}` interpolation on parsed values, never on the YAML text: a secret containing a quote,
 * a colon or a newline cannot change the structure of the config.
 */
import type { Problem } from "./types.js";

const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface Interpolated {
  value: unknown;
  problems: Problem[];
}

/**
 * Replaces `${VAR}`, `${VAR:-default}` (default when unset or empty) and `${VAR-default}` (default
 * when unset) in every string value; `$${` writes a literal `${`. Keys are left alone. A missing
 * variable becomes "" and a problem at the value's path.
 */
export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv): Interpolated {
  const problems: Problem[] = [];
  const result = walk(value, [], env, problems);
  return { value: result, problems };
}

function walk(
  value: unknown,
  path: (string | number)[],
  env: NodeJS.ProcessEnv,
  problems: Problem[],
): unknown {
  if (typeof value === "string") return interpolateString(value, path, env, problems);
  if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index], env, problems));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = walk(item, [...path, key], env, problems);
    return out;
  }
  return value;
}

function interpolateString(
  text: string,
  path: (string | number)[],
  env: NodeJS.ProcessEnv,
  problems: Problem[],
): string {
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
    if (operator !== null) {
      const fallback = body.slice(operator.index + operator[0].length);
      const useFallback =
        operator[0] === ":-" ? current === undefined || current === "" : current === undefined;
      return useFallback ? fallback : (current ?? "");
    }
    if (current === undefined) {
      problems.push({ path, message: `environment variable ${name} is not set` });
      return "";
    }
    return current;
  });
}
