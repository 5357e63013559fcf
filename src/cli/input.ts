import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";

export interface LoadedInput {
  /** Name shown in output: the path, URL or `-`. */
  source: string;
  body: string;
  contentType?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads a diff operand: a file path, an http(s)/file URL, or `-` for standard input. */
export async function loadInput(spec: string): Promise<LoadedInput> {
  if (spec === "-") return { source: "-", body: await readStdin() };
  if (/^(https?|file):/i.test(spec)) {
    // undici loads only for URL inputs.
    const { collect } = await import("../collect/index.js");
    const outcome = await collect({ sourceId: "cli", url: spec });
    if (outcome.kind !== "fetched")
      throw new InputError(`${spec}: server sent no body (${outcome.kind})`, { source: spec });
    return {
      source: spec,
      body: outcome.text,
      ...(outcome.contentType ? { contentType: outcome.contentType } : {}),
    };
  }
  try {
    const bytes = await readFile(spec);
    if (bytes.subarray(0, 1024).includes(0)) {
      throw new InputError(`${spec}: not a text document (binary bytes in the first kilobyte)`, {
        source: spec,
      });
    }
    return { source: spec, body: bytes.toString("utf8") };
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : String(code ?? error);
    throw new InputError(`${spec}: cannot read input (${reason})`, { source: spec, cause: error });
  }
}
