import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { FetchError } from "../errors.js";
import { errorCode } from "./classify.js";
import { formatBytes } from "./decode.js";
import type { CollectRequest } from "./types.js";

/** Errors that say the machine was busy, not that the file is wrong. */
const TRANSIENT_FILE_CODES = new Set(["EMFILE", "ENFILE", "EAGAIN", "EBUSY"]);

export interface FileRead {
  raw: Buffer;
  lastModified: string;
}

/** Reads a `file:` URL, refusing files larger than `maxBytes` without reading them whole. */
export async function readFileUrl(req: CollectRequest, maxBytes: number): Promise<FileRead> {
  let path: string;
  try {
    path = fileURLToPath(req.url);
  } catch (error) {
    throw new FetchError(`${req.url} is not a usable file: URL, expected file:///absolute/path`, {
      kind: "permanent",
      source: req.sourceId,
      cause: error,
    });
  }
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever (and hold
    // a libuv thread); it has no effect on regular files, and anything else is refused below.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) {
        const what = stats.isFIFO() ? " (a named pipe)" : stats.isDirectory() ? " (a directory)" : "";
        throw new FetchError(`${path} is not a regular file${what}`, {
          kind: "permanent",
          source: req.sourceId,
        });
      }
      if (stats.size > maxBytes) {
        throw new FetchError(
          `${path}: file of ${stats.size} bytes exceeds ${formatBytes(maxBytes)} limit (maxBytes)`,
          {
            kind: "permanent",
            source: req.sourceId,
          },
        );
      }
      // Read one byte past the cap: the file may have grown since stat.
      const buffer = Buffer.alloc(Math.min(stats.size, maxBytes) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) break;
      }
      if (length > maxBytes) {
        throw new FetchError(`${path}: file exceeds ${formatBytes(maxBytes)} limit (maxBytes)`, {
          kind: "permanent",
          source: req.sourceId,
        });
      }
      return { raw: buffer.subarray(0, length), lastModified: stats.mtime.toUTCString() };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof FetchError) throw error;
    const code = errorCode(error);
    const what = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(error);
    throw new FetchError(`cannot read ${path}: ${what}`, {
      kind: code !== undefined && TRANSIENT_FILE_CODES.has(code) ? "transient" : "permanent",
      source: req.sourceId,
      cause: error,
    });
  }
}
