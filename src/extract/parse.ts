/**
 * HTML → domhandler tree with htmlparser2, bounded: nesting deeper than {@link MAX_DEPTH} or
 * more than {@link MAX_PARSE_WORK} steps of tree building stops the parse, and the page is then
 * read as flat text by a tokenizer pass that keeps no stack (linear in the input, whatever its
 * shape). parse5 (cheerio's default) spends time quadratic in the nesting on such pages.
 */
import { type AnyNode, type Document, DomHandler, Element, type ParentNode } from "domhandler";
import { Parser, Tokenizer } from "htmlparser2";
import { BLOCK_TAGS } from "./dom.js";

/** Deepest element nesting built as a tree; real pages stay under 60 (the Readability corpus peaks at 39). */
export const MAX_DEPTH = 512;

/**
 * Tree-building budget: each tag costs the depth it is opened or closed at (what the parser's
 * open-element stack costs). A 5 MB page of ordinary markup spends under 5 million.
 */
export const MAX_PARSE_WORK = 25_000_000;

export type FlatReason = "depth" | "work";

/** The page as a tree, or, when it was too deep or too costly to build, as flat text. */
export type ParsedPage =
  | { kind: "tree"; document: Document; html: Element; body: Element }
  | { kind: "flat"; reason: FlatReason; text: string };

class BudgetExceeded extends Error {
  readonly reason: FlatReason;
  constructor(reason: FlatReason) {
    super(reason);
    this.reason = reason;
  }
}

class BoundedHandler extends DomHandler {
  get depth(): number {
    return this.tagStack.length;
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    if (this.tagStack.length > MAX_DEPTH) throw new BudgetExceeded("depth");
    super.onopentag(name, attribs);
  }
}

/** Counts what the parser's stack operations cost, since unmatched end tags never reach the handler. */
class BoundedParser extends Parser {
  private work = 0;
  private readonly handler: BoundedHandler;

  constructor(handler: BoundedHandler) {
    super(handler, { decodeEntities: true });
    this.handler = handler;
  }

  private spend(): void {
    this.work += this.handler.depth;
    if (this.work > MAX_PARSE_WORK) throw new BudgetExceeded("work");
  }

  override onopentagname(start: number, endIndex: number): void {
    this.spend();
    super.onopentagname(start, endIndex);
  }

  override onclosetag(start: number, endIndex: number): void {
    this.spend();
    super.onclosetag(start, endIndex);
  }
}

/** Parses a page; the tree always has `html` > `body` (created when the markup leaves them out). */
export function parseHtml(html: string): ParsedPage {
  const handler = new BoundedHandler();
  const parser = new BoundedParser(handler);
  try {
    parser.end(html);
  } catch (error) {
    if (error instanceof BudgetExceeded) return { kind: "flat", reason: error.reason, text: flatText(html) };
    throw error;
  }
  return { kind: "tree", ...withBody(handler.root) };
}

function isNamed(node: AnyNode, name: string): node is Element {
  return node instanceof Element && node.name === name;
}

function adopt(parent: ParentNode, nodes: AnyNode[]): void {
  parent.children = nodes;
  let previous: AnyNode | null = null;
  for (const node of nodes) {
    node.parent = parent;
    node.prev = previous;
    node.next = null;
    if (previous !== null) previous.next = node;
    previous = node;
  }
}

/**
 * Gives the tree the shape a browser builds: one `html` holding `head` and `body`, with stray
 * content (before `<body>`, after `</body>` or `</html>`) inside the body, in document order.
 */
function withBody(document: Document): { document: Document; html: Element; body: Element } {
  const top = document.children;
  let html = top.find((node) => isNamed(node, "html"));
  const outside = html === undefined ? top : top.filter((node) => node !== html);
  const preamble = outside.filter((node) => node.type === "directive");
  const strays = outside.filter((node) => node.type !== "directive");
  const htmlIndex = html === undefined ? -1 : top.indexOf(html);
  const before = strays.filter((node) => top.indexOf(node) < htmlIndex);
  const after = strays.filter((node) => top.indexOf(node) > htmlIndex);
  const inner = html === undefined ? strays : [...before, ...html.children, ...after];

  const head = inner.find((node) => isNamed(node, "head"));
  const existing = inner.find((node) => isNamed(node, "body"));
  const content: AnyNode[] = [];
  for (const node of inner) {
    if (node === head) continue;
    if (node === existing) content.push(...existing.children);
    else content.push(node);
  }
  const body = existing ?? new Element("body", {});
  adopt(body, content);
  html ??= new Element("html", {});
  adopt(html, head === undefined ? [body] : [head, body]);
  adopt(document, [...preamble, html]);
  return { document, html, body };
}

/** Tags whose text is never shown; the tokenizer reads their content as raw text, so no tag nests inside. */
const SILENT_RAW_TAGS = new Set(["script", "style", "title", "textarea"]);

/**
 * The visible text of any markup, one line per block edge, in one pass without a stack: the
 * fallback for pages whose tree is too deep or too costly to build.
 */
export function flatText(html: string): string {
  const parts: string[] = [];
  let silent = false;
  const nameAt = (start: number, end: number): string => html.slice(start, end).toLowerCase();
  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      ontext(start, end) {
        if (!silent) parts.push(html.slice(start, end));
      },
      ontextentity(codepoint) {
        if (!silent) parts.push(String.fromCodePoint(codepoint));
      },
      onopentagname(start, end) {
        const tag = nameAt(start, end);
        if (SILENT_RAW_TAGS.has(tag)) silent = true;
        if (BLOCK_TAGS.has(tag) || tag === "br") parts.push("\n");
      },
      onclosetag(start, end) {
        const name = nameAt(start, end);
        if (SILENT_RAW_TAGS.has(name)) silent = false;
        if (BLOCK_TAGS.has(name)) parts.push("\n");
      },
      onselfclosingtag() {},
      onopentagend() {},
      onattribdata() {},
      onattribentity() {},
      onattribend() {},
      onattribname() {},
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return parts.join("");
}
