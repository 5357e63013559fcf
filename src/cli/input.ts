import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";
import { declaresBinaryDocument, isOleFile, sniffBinaryDocument } from "../read/detect.js";

export interface LoadedInput {
  /** Name shown in output: the path, URL or `-`. */
  source: string;
  /** Text, or the bytes of a PDF or Word file. */
  body: string | Buffer;
  contentType?: string;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** A PDF or Word file stays bytes (the document reader takes it from there); anything else is UTF-8 text. */
function asBody(bytes: Buffer, spec: string): string | Buffer {
  if (sniffBinaryDocument(bytes) !== undefined) return bytes;
  if (declaresBinaryDocument({ name: spec }) !== undefined || isOleFile(bytes)) return bytes;
  if (bytes.subarray(0, 1024).includes(0)) {
    throw new InputError(`${spec}: not a text, PDF or Word document (binary bytes in the first kilobyte)`, {
      source: spec,
    });
  }
  return bytes.toString("utf8");
}

/** Reads a diff operand: a file path, an http(s)/file URL, or `-` for standard input. */
export async function loadInput(spec: string): Promise<LoadedInput> {
  if (spec === "-") return { source: "-", body: asBody(await readStdin(), "-") };
  if (/^(https?|file):/i.test(spec)) {
    // undici loads only for URL inputs.
    const { collect } = await import("../collect/index.js");
    const outcome = await collect({ sourceId: "cli", url: spec });
    if (outcome.kind !== "fetched")
      throw new InputError(`${spec}: server sent no body (${outcome.kind})`, { source: spec });
    return {
      source: spec,
      body: outcome.binary ? outcome.body : outcome.text,
      ...(outcome.contentType ? { contentType: outcome.contentType } : {}),
    };
  }
  try {
    return { source: spec, body: asBody(await readFile(spec), spec) };
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : String(code ?? error);
    throw new InputError(`${spec}: cannot read input (${reason})`, { source: spec, cause: error });
  }
}
