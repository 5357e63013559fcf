/**
 * Hand-built PDFs for the hostile cases no real writer produces on purpose: a page tree that lies
 * about its page count, thousands of pages sharing one content stream, a stream that inflates
 * far beyond its size. Each is a valid PDF structure (objects, xref table, trailer).
 */
import { deflateSync } from "node:zlib";

export interface BuildOptions {
  /** Pages actually in the file. @default 1 */
  pages?: number;
  /** What the page tree claims (`/Count`); the real count when absent. */
  declaredCount?: number;
  /** Text shown on every page. @default "1. A clause on every page." */
  text?: string;
  /** Extra bytes of a compressed stream that inflates to this many bytes of spaces (a decompression bomb). */
  inflatedBytes?: number;
}

export function buildPdf(options: BuildOptions = {}): Buffer {
  const pages = options.pages ?? 1;
  const text = (options.text ?? "1. A clause on every page.").replace(/[()\\]/g, "\\$&");
  const objects: Buffer[] = [];
  const add = (body: string | Buffer) => {
    objects.push(typeof body === "string" ? Buffer.from(body, "latin1") : body);
    return objects.length;
  };
  const catalog = add("");
  const tree = add("");
  const font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  let stream: Buffer;
  if (options.inflatedBytes) {
    const payload = deflateSync(Buffer.alloc(options.inflatedBytes, 0x20), { level: 9 });
    stream = Buffer.concat([
      Buffer.from(`<< /Length ${payload.length} /Filter /FlateDecode >>\nstream\n`, "latin1"),
      payload,
      Buffer.from("\nendstream", "latin1"),
    ]);
  } else {
    const content = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
    stream = Buffer.from(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`, "latin1");
  }
  const contents = add(stream);
  const kids: number[] = [];
  for (let page = 0; page < pages; page += 1) {
    kids.push(
      add(
        `<< /Type /Page /Parent ${tree} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${contents} 0 R >>`,
      ),
    );
  }
  objects[catalog - 1] = Buffer.from(`<< /Type /Catalog /Pages ${tree} 0 R >>`, "latin1");
  objects[tree - 1] = Buffer.from(
    `<< /Type /Pages /Kids [${kids.map((kid) => `${kid} 0 R`).join(" ")}] /Count ${options.declaredCount ?? pages} >>`,
    "latin1",
  );
  const parts: Buffer[] = [Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  const offsets: number[] = [];
  let length = parts[0]?.length ?? 0;
  objects.forEach((body, index) => {
    offsets.push(length);
    const chunk = Buffer.concat([
      Buffer.from(`${index + 1} 0 obj\n`, "latin1"),
      body,
      Buffer.from("\nendobj\n", "latin1"),
    ]);
    parts.push(chunk);
    length += chunk.length;
  });
  const xref = [
    "xref",
    `0 ${objects.length + 1}`,
    "0000000000 65535 f ",
    ...offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n `),
    "trailer",
    `<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>`,
    "startxref",
    String(length),
    "%%EOF",
    "",
  ].join("\n");
  parts.push(Buffer.from(xref, "latin1"));
  return Buffer.concat(parts);
}
