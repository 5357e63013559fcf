/**
 * Secrets in the config: what pino must never print, and what must never be shown or stored
 * outside the config — a URL's user and password, and any part of a source URL's path or query
 * that came from `${VAR}` (`?apikey=${TOKEN}`).
 */

/**
 * pino `redact` paths for configured values that may hold secrets. Any configured header can carry
 * a token (Authorization, Cookie, X-Api-Key …), so all of their values are hidden when a Config, a
 * SourceConfig or an HttpSettings object is logged as `config`, `source`, `http` or at the top level;
 * so are a source's real URL and its list of secrets.
 */
export const secretPaths: readonly string[] = [
  "http.headers.*",
  "*.http.headers.*",
  "sources[*].http.headers.*",
  "*.sources[*].http.headers.*",
  ...["fetchUrl", "secrets"].flatMap((field) => [
    field,
    `*.${field}`,
    `sources[*].${field}`,
    `*.sources[*].${field}`,
  ]),
  "storage.url",
  "*.storage.url",
];

/** What stands in for a secret wherever one is shown. */
export const MASK = "***";

/** Secrets shorter than this are masked inside URLs only, not searched for in free text. */
const SHORTEST_SEARCHED = 4;

/**
 * The strings of `url` that are secret: its user and password, and every substituted value that
 * appears in its path, query or fragment (a host name from `${HOST}` is not a secret).
 */
export function urlSecrets(url: string, substituted: readonly string[]): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const found = new Set<string>();
  for (const part of [parsed.username, parsed.password]) {
    if (part === "") continue;
    found.add(part);
    found.add(safeDecode(part));
  }
  const rest = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  for (const value of substituted) {
    const forms = [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];
    if (forms.some((form) => rest.includes(form))) for (const form of forms) found.add(form);
  }
  return [...found].filter((secret) => secret !== "");
}

/**
 * The URL as it may be shown and stored: user and password masked, and each query value, path
 * segment or fragment holding a secret masked whole.
 */
export function displayUrl(url: string, secrets: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactSecrets(url, secrets);
  }
  const holds = (text: string) => secrets.some((secret) => text.includes(secret));
  if (parsed.username !== "") parsed.username = MASK;
  if (parsed.password !== "") parsed.password = MASK;
  parsed.pathname = parsed.pathname
    .split("/")
    .map((segment) => (holds(segment) || holds(safeDecode(segment)) ? MASK : segment))
    .join("/");
  if (parsed.search !== "") {
    const masked = new URLSearchParams();
    for (const [key, value] of parsed.searchParams) masked.append(key, holds(value) ? MASK : value);
    parsed.search = masked.toString().replaceAll(encodeURIComponent(MASK), MASK);
  }
  if (parsed.hash !== "" && holds(safeDecode(parsed.hash))) parsed.hash = MASK;
  return parsed.href;
}

/** Free text (an error message, a URL after redirects) with every known secret masked. */
export function redactSecrets(text: string, secrets: readonly string[] | undefined): string {
  if (secrets === undefined || secrets.length === 0) return text;
  let out = text;
  const longestFirst = [...secrets]
    .filter((s) => s.length >= SHORTEST_SEARCHED)
    .sort((a, b) => b.length - a.length);
  for (const secret of longestFirst) out = out.replaceAll(secret, MASK);
  // A URL with credentials is masked whatever its credentials are.
  return out.replace(/(\bhttps?:\/\/)[^\s/@]+@/gi, `$1${MASK}@`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
