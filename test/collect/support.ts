import type { RequestListener } from "node:http";
import { afterEach } from "vitest";
import { FetchError } from "../../src/errors.js";
import { startServer, type TestServer } from "../helpers/http-server.js";

/** Starts a loopback server that is closed after the current test. */
export function useServers(): (handler: RequestListener) => Promise<TestServer> {
  const open: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return async (handler) => {
    const server = await startServer(handler);
    open.push(server);
    return server;
  };
}

/** The FetchError a promise rejects with; fails the test when it resolves or throws something else. */
export async function fetchErrorOf(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FetchError) return error;
    throw error;
  }
  throw new Error("expected a FetchError, but the promise resolved");
}

/**
 * windows-1251 bytes computed from the code chart (А–я are 0xC0–0xFF, Ё 0xA8, ё 0xB8), so tests do
 * not use the decoder under test to build their input.
 */
export function encodeWindows1251(text: string): Buffer {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) bytes.push(code);
    else if (code >= 0x410 && code <= 0x44f) bytes.push(code - 0x410 + 0xc0);
    else if (code === 0x401) bytes.push(0xa8);
    else if (code === 0x451) bytes.push(0xb8);
    else if (code === 0xab) bytes.push(0xab);
    else if (code === 0xbb) bytes.push(0xbb);
    else throw new Error(`no windows-1251 byte for ${char} in this test encoder`);
  }
  return Buffer.from(bytes);
}

/** Only retries within a test's time budget. */
export const QUICK = { retries: { attempts: 1, baseDelayMs: 5, maxDelayMs: 50 } } as const;
