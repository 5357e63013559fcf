/**
 * pino `redact` paths for configured values that may hold secrets. Any configured header can carry
 * a token (Authorization, Cookie, X-Api-Key …), so all of their values are hidden when a Config, a
 * SourceConfig or an HttpSettings object is logged as `config`, `source`, `http` or at the top level.
 */
export const secretPaths: readonly string[] = [
  "http.headers.*",
  "*.http.headers.*",
  "sources[*].http.headers.*",
  "*.sources[*].http.headers.*",
  "storage.url",
  "*.storage.url",
];
