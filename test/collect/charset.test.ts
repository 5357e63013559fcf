import { describe, expect, it } from "vitest";
import { collect } from "../../src/collect/index.js";
import { encodeWindows1251, fetchErrorOf, QUICK, useServers } from "./support.js";

const serve = useServers();
const CYRILLIC = "Пункт 26. Все стороны конфликта получат полную амнистию; Ёлки и ёжики тоже.";

function serveBytes(body: Buffer, contentType?: string) {
  return serve((_req, res) => {
    res.writeHead(200, contentType === undefined ? {} : { "content-type": contentType });
    res.end(body);
  });
}

describe("collect charset decoding", () => {
  it("decodes windows-1251 declared in the Content-Type header", async () => {
    const server = await serveBytes(encodeWindows1251(CYRILLIC), "text/plain; charset=windows-1251");

    const outcome = await collect({ sourceId: "ru", url: server.url }, QUICK);

    expect(outcome).toMatchObject({
      kind: "fetched",
      charset: "windows-1251",
      charsetSource: "header",
      text: CYRILLIC,
    });
  });

  it.each([
    ['<meta charset="windows-1251">', "meta charset"],
    ['<meta http-equiv="Content-Type" content="text/html; charset=cp1251">', "meta http-equiv"],
  ])("decodes windows-1251 declared by %s (%s) when the header names no charset", async (meta) => {
    const html = `<!doctype html><html><head>${meta}<title>План</title></head><body><p>${CYRILLIC}</p></body></html>`;
    const server = await serveBytes(encodeWindows1251(html), "text/html");

    const outcome = await collect({ sourceId: "ru", url: server.url }, QUICK);

    expect(outcome).toMatchObject({ kind: "fetched", charset: "windows-1251", charsetSource: "meta" });
    expect(outcome.kind === "fetched" && outcome.text).toContain(CYRILLIC);
  });

  it("decodes with the charset the config forces when the server mislabels the page", async () => {
    const server = await serveBytes(encodeWindows1251(CYRILLIC), "text/plain; charset=utf-8");

    const outcome = await collect({ sourceId: "ru", url: server.url, charset: "windows-1251" }, QUICK);

    expect(outcome).toMatchObject({ kind: "fetched", charset: "windows-1251", text: CYRILLIC });
  });

  it("lets the header win over a meta declaration", async () => {
    const html = `<meta charset="windows-1252"><p>${CYRILLIC}</p>`;
    const server = await serveBytes(encodeWindows1251(html), "text/html; charset=windows-1251");

    const outcome = await collect({ sourceId: "ru", url: server.url }, QUICK);

    expect(outcome).toMatchObject({ charset: "windows-1251", charsetSource: "header" });
  });

  it("strips a UTF-8 byte order mark from the text but keeps it in the raw body", async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Пункт 1.", "utf8")]);
    const server = await serveBytes(body, "text/plain");

    const outcome = await collect({ sourceId: "bom", url: server.url }, QUICK);

    expect(outcome).toMatchObject({
      kind: "fetched",
      charset: "utf-8",
      charsetSource: "bom",
      text: "Пункт 1.",
    });
    expect(outcome.kind === "fetched" && outcome.body.length).toBe(body.length);
  });

  it("decodes a UTF-16LE body by its byte order mark despite its NUL bytes", async () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("Point 6: 600,000", "utf16le")]);
    const server = await serveBytes(body);

    const outcome = await collect({ sourceId: "u16", url: server.url }, QUICK);

    expect(outcome).toMatchObject({ kind: "fetched", charset: "utf-16le", text: "Point 6: 600,000" });
  });

  it("sniffs undeclared Cyrillic bytes as windows-1251", async () => {
    const server = await serveBytes(encodeWindows1251(CYRILLIC));

    const outcome = await collect({ sourceId: "ru", url: server.url }, QUICK);

    expect(outcome).toMatchObject({
      kind: "fetched",
      charset: "windows-1251",
      charsetSource: "sniff",
      text: CYRILLIC,
    });
  });

  it("sniffs undeclared Western accented bytes as windows-1252", async () => {
    const latin = "Le café de Müller: “coût” 600 €";
    const body = Buffer.concat([
      Buffer.from("Le caf\xe9 de M\xfcller: ", "latin1"),
      Buffer.from([0x93]),
      Buffer.from("co\xfbt", "latin1"),
      Buffer.from([0x94]),
      Buffer.from(" 600 "),
      Buffer.from([0x80]),
    ]);
    const server = await serveBytes(body);

    const outcome = await collect({ sourceId: "fr", url: server.url }, QUICK);

    expect(outcome).toMatchObject({
      kind: "fetched",
      charset: "windows-1252",
      charsetSource: "sniff",
      text: latin,
    });
  });

  it("sniffs undeclared valid UTF-8 as utf-8", async () => {
    const server = await serveBytes(Buffer.from(CYRILLIC, "utf8"), "text/plain");

    const outcome = await collect({ sourceId: "ru", url: server.url }, QUICK);

    expect(outcome).toMatchObject({
      kind: "fetched",
      charset: "utf-8",
      charsetSource: "sniff",
      text: CYRILLIC,
    });
  });

  it("ignores an unknown charset label and sniffs instead", async () => {
    const server = await serveBytes(encodeWindows1251(CYRILLIC), "text/plain; charset=klingon-8");

    const outcome = await collect({ sourceId: "ru", url: server.url }, QUICK);

    expect(outcome).toMatchObject({ charset: "windows-1251", charsetSource: "sniff", text: CYRILLIC });
  });

  it("refuses a binary content type without retrying", async () => {
    let requests = 0;
    const server = await serve((_req, res) => {
      requests += 1;
      res.writeHead(200, { "content-type": "image/png" }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    });

    const error = await fetchErrorOf(
      collect({ sourceId: "img", url: server.url }, { retries: { attempts: 3 } }),
    );

    expect(error.kind).toBe("permanent");
    expect(error.message).toContain(`${server.url} is not a text document (content-type image/png)`);
    expect(requests).toBe(1);
  });

  it("refuses a body with NUL bytes in its first KB even when labelled as HTML", async () => {
    const server = await serveBytes(Buffer.from([0x3c, 0x70, 0x3e, 0x00, 0x01, 0x02, 0x41]), "text/html");

    const error = await fetchErrorOf(collect({ sourceId: "nul", url: server.url }, QUICK));

    expect(error.kind).toBe("permanent");
    expect(error.message).toContain(
      "is not a text document (content-type text/html, NUL bytes in the first KB)",
    );
  });

  it("hands a PDF served as text/plain over as bytes, not as text", async () => {
    const bytes = Buffer.from("%PDF-1.7\n1 0 obj << >> endobj\n");
    const server = await serveBytes(bytes, "text/plain");

    const outcome = await collect({ sourceId: "pdf", url: server.url }, QUICK);

    expect(outcome.kind === "fetched" && [outcome.binary, outcome.charset, outcome.text]).toEqual([
      "pdf",
      "binary",
      "",
    ]);
    expect(outcome.kind === "fetched" && outcome.body.equals(bytes)).toBe(true);
  });

  it("tolerates a few invalid bytes in a UTF-8 body as replacement characters", async () => {
    const body = Buffer.concat([
      Buffer.from("a".repeat(500)),
      Buffer.from([0xff]),
      Buffer.from("b".repeat(500)),
    ]);
    const server = await serveBytes(body, "text/plain; charset=utf-8");

    const outcome = await collect({ sourceId: "stray", url: server.url }, QUICK);

    expect(outcome.kind === "fetched" && outcome.text).toBe(`${"a".repeat(500)}\uFFFD${"b".repeat(500)}`);
  });

  it("refuses a UTF-8 body with more than 1% invalid bytes and names the first offset", async () => {
    const body = Buffer.concat([Buffer.from("Point 1. "), encodeWindows1251(CYRILLIC)]);
    const server = await serveBytes(body, "text/plain; charset=utf-8");

    const error = await fetchErrorOf(collect({ sourceId: "mislabelled", url: server.url }, QUICK));

    expect(error.kind).toBe("permanent");
    expect(error.message).toMatch(/declared as UTF-8 has \d+ invalid byte sequences \(more than 1%\)/);
    expect(error.message).toContain("the first at byte offset 9");
  });
});

describe("a Content-Type charset that contradicts the document", () => {
  const page = (meta: string) =>
    `<!doctype html><html><head>${meta}<title>План</title></head><body><p>${CYRILLIC}</p></body></html>`;

  it("reads a UTF-8 page served as windows-1252 by its <meta>, and says why", async () => {
    const server = await serveBytes(
      Buffer.from(page('<meta charset="utf-8">')),
      "text/html; charset=windows-1252",
    );

    const outcome = await collect({ sourceId: "ru", url: server.url }, QUICK);

    expect(outcome).toMatchObject({
      kind: "fetched",
      charset: "utf-8",
      charsetSource: "meta",
      charsetConflict: {
        header: "windows-1252",
        document: "utf-8",
        used: "document",
        why: "the body is valid UTF-8, which windows-1252 would garble",
      },
    });
    expect(outcome.kind === "fetched" && outcome.text).toContain(CYRILLIC);
  });

  it("reads an old windows-1251 page served as UTF-8 by its <meta> instead of refusing it", async () => {
    const body = encodeWindows1251(page('<meta charset="windows-1251">'));
    const server = await serveBytes(body, "text/html; charset=utf-8");

    const outcome = await collect({ sourceId: "ru", url: server.url }, QUICK);

    expect(outcome).toMatchObject({ kind: "fetched", charset: "windows-1251", charsetSource: "meta" });
    expect(outcome.kind === "fetched" && outcome.charsetConflict?.used).toBe("document");
    expect(outcome.kind === "fetched" && outcome.text).toContain(CYRILLIC);
  });

  it("keeps the header when the document's declaration would not read better", async () => {
    const body = encodeWindows1251(page('<meta charset="iso-8859-2">'));
    const server = await serveBytes(body, "text/html; charset=windows-1251");

    const outcome = await collect({ sourceId: "ru", url: server.url }, QUICK);

    expect(outcome).toMatchObject({
      kind: "fetched",
      charset: "windows-1251",
      charsetSource: "header",
      charsetConflict: { header: "windows-1251", document: "iso-8859-2", used: "header" },
    });
    expect(outcome.kind === "fetched" && outcome.text).toContain(CYRILLIC);
  });
});
