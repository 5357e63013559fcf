/**
 * undici's `request`, without loading the rest of undici: `import { request } from "undici"`
 * also compiles fetch, WebSocket, the caches and the mocks, about 65 of the 105 ms undici costs
 * every process at start. This is what undici's own `request` does (its index.js): the global
 * dispatcher, the URL split into origin and path. undici has no `exports` map, so its files are
 * importable as they are; the lockfile pins the version, and the tests fetch through it.
 */
import { createRequire } from "node:module";
import type { Dispatcher } from "undici";

const require = createRequire(import.meta.url);
const { getGlobalDispatcher } = require("undici/lib/global.js") as { getGlobalDispatcher(): Dispatcher };
const apiRequest = require("undici/lib/api/api-request.js") as (
  this: Dispatcher,
  options: Dispatcher.RequestOptions,
) => Promise<Dispatcher.ResponseData>;

export type RequestOptions = Omit<Dispatcher.RequestOptions, "origin" | "path" | "method"> & {
  method?: Dispatcher.HttpMethod;
};

export function request(url: string, options: RequestOptions = {}): Promise<Dispatcher.ResponseData> {
  const parsed = new URL(url);
  return apiRequest.call(getGlobalDispatcher(), {
    ...options,
    origin: parsed.origin,
    path: `${parsed.pathname}${parsed.search}`,
    method: options.method ?? (options.body ? "PUT" : "GET"),
  });
}
