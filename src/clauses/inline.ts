/** Inline Markdown and HTML left in text: what a reader sees once the markup is rendered. */

const EMPTY_LINK = /\[\s*\]\([^)]*\)/g;
const IMAGE = /!\[([^\]]*)\]\([^)]*\)/g;
const LINK = /\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)/g;
const REFERENCE_LINK = /\[([^\]]+)\]\[[^\]]*\]/g;
const AUTOLINK = /<((?:https?|mailto|ftp):[^>\s]+)>/gi;
const TAG = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/gi;
const STRONG = /(\*\*|__)(?=\S)([\s\S]+?)(?<=\S)\1/g;
const EMPHASIS = /(^|[\s(>"“'‘\-–—])([*_])(?=\S)([\s\S]+?)(?<=\S)\2(?=[\s.,;:!?)"”'’\-–—]|$)/g;
const CODE = /`([^`]+)`/g;
const ESCAPE = /\\([\\`*_{}[\]()#+\-.!|<>~"'])/g;
/** A footnote's marker where it is cited (`…each year.[^1]`): a link to the note, not the clause's words. */
const FOOTNOTE_REFERENCE = /\[\^[^\]\s]+\](?!:)/g;

/** Strips inline Markdown so `**will**` and `will`, `5\.` and `5.` read the same. */
export function stripInlineMarkdown(text: string): string {
  if (!/[\\[*_`<!]/.test(text)) return text;
  return text
    .replace(EMPTY_LINK, "")
    .replace(FOOTNOTE_REFERENCE, "")
    .replace(IMAGE, "$1")
    .replace(LINK, "$1")
    .replace(REFERENCE_LINK, "$1")
    .replace(AUTOLINK, "$1")
    .replace(TAG, (tag) => (/^<br/i.test(tag) ? " " : ""))
    .replace(CODE, "$1")
    .replace(STRONG, "$2")
    .replace(EMPHASIS, "$1$3")
    .replace(ESCAPE, "$1")
    .replace(/\*\*/g, "")
    .replace(/ {2,}$/, "");
}

/** A line printed entirely in bold (`**5\. Payments**`), the way many sites print headings. */
export function isBoldLine(raw: string): boolean {
  const text = raw.trim().replace(EMPTY_LINK, "");
  const match = /^(\*\*|__)([\s\S]+)\1[.:]?$/.exec(text);
  if (!match) return false;
  const inner = match[2] as string;
  return !inner.includes(match[1] as string);
}
