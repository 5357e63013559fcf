/**
 * Field-level checks that zod cannot express by shape alone. Each returns a problem message,
 * or `undefined` when the value is fine, so both the schema refinements and the rules can use them.
 */
import { createRequire } from "node:module";
import type * as Cheerio from "cheerio";
import { validateDetailed } from "node-cron";

/**
 * Source, plan and notifier ids become file names and log fields, so keep them boring. Spelled
 * out rather than with an `i` flag because JSON Schema patterns carry no flags.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** RFC 9110 token: what a header name may contain. */
export const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function checkCron(expression: string): string | undefined {
  let errors: string[];
  try {
    const result = validateDetailed(expression);
    if (result.valid) return undefined;
    errors = result.errors.map((error) => error.message);
  } catch (error) {
    errors = [error instanceof Error ? error.message : String(error)];
  }
  return `invalid cron expression ${JSON.stringify(expression)} (${errors.join("; ")}); expected 5 or 6 fields such as "*/10 * * * *"`;
}

export function checkTimezone(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return undefined;
  } catch {
    return `unknown time zone ${JSON.stringify(zone)}; expected an IANA name such as "UTC" or "Europe/Kyiv"`;
  }
}

export function checkCharset(label: string): string | undefined {
  try {
    new TextDecoder(label);
    return undefined;
  } catch {
    return `unknown charset ${JSON.stringify(label)}; expected a WHATWG encoding label such as "utf-8" or "windows-1251"`;
  }
}

export function checkSelector(selector: string): string | undefined {
  // cheerio would parse a string starting with "<" as markup and silently select nothing.
  if (selector.trimStart().startsWith("<")) {
    return `expected a CSS selector, got markup ${JSON.stringify(selector)}`;
  }
  try {
    // Loaded for the first selector only: configs without selectors, and the worker's main
    // thread that leaves parsing to its threads, never load cheerio for this.
    const cheerio = createRequire(import.meta.url)("cheerio/slim") as typeof Cheerio;
    cheerio.load("")(selector);
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `invalid CSS selector ${JSON.stringify(selector)} (${reason})`;
  }
}

const URL_EXPECTATION = "expected an http(s) or file URL";

/**
 * Accepts `http(s)://host/...`, `file:///absolute/path` and `file:relative/path`. The relative form
 * is ours (WHATWG URL parsing would resolve it against the filesystem root), which is why file URLs
 * are not simply handed to `new URL`.
 */
export function checkSourceUrl(raw: string): string | undefined {
  const value = raw.trim();
  if (/^https?:/i.test(value)) {
    if (!URL.canParse(value)) return `${URL_EXPECTATION}, got ${JSON.stringify(raw)}`;
    const url = new URL(value);
    if (url.hostname === "") return `${URL_EXPECTATION} with a host name, got ${JSON.stringify(raw)}`;
    return undefined;
  }
  if (/^file:/i.test(value)) {
    const rest = value.slice("file:".length);
    if (rest === "" || rest === "//" || rest === "///") {
      return `${URL_EXPECTATION}, got a file URL without a path`;
    }
    if (rest.startsWith("//")) {
      if (!URL.canParse(value)) return `${URL_EXPECTATION}, got ${JSON.stringify(raw)}`;
      const host = new URL(value).hostname;
      if (host !== "" && host !== "localhost") {
        return `${URL_EXPECTATION} on this machine (file:///path or file:relative/path), got host ${JSON.stringify(host)}`;
      }
    }
    return undefined;
  }
  return `${URL_EXPECTATION}, got ${JSON.stringify(raw)}`;
}
