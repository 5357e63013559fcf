/** The line a researcher cites a copy by, and its safe form inside a style sheet. */

export interface CitationInput {
  planTitle: string;
  /** `v2`, or `snapshot 0123456789abcdef` for a copy outside the lineage. */
  label: string;
  url: string;
  /** ISO time the text was first seen. */
  firstSeen: string;
  snapshotId: string;
  /** sha256 hex of the raw body as fetched. */
  bodyHash: string;
}

/** "2025-11-20T08:00:00.000Z" → "2025-11-20 08:00:00 UTC", as the pages print times. */
export function shownTime(iso: string): string {
  return iso.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC");
}

/** "Peace plan, v2. https://… · first seen 2025-11-20 08:00:00 UTC · snapshot 0123… · sha256 ab12…" */
export function citationLine(input: CitationInput): string {
  return `${input.planTitle}, ${input.label}. ${input.url} · first seen ${shownTime(input.firstSeen)} · snapshot ${input.snapshotId} · sha256 ${input.bodyHash}`;
}

/**
 * A CSS string literal holding `value` as text: quotes, backslashes, angle brackets, ampersands
 * and control characters as CSS escapes, so scraped text can neither end the string nor the
 * `<style>` element. A newline becomes `\A ` (a line break under `white-space: pre-wrap`).
 */
export function cssString(value: string): string {
  const escaped = [...value]
    .map((char) => {
      if (char === "\n") return "\\A ";
      const code = char.codePointAt(0) ?? 0;
      return /[\\"'<>&]/.test(char) || code < 0x20 || code === 0x7f ? `\\${code.toString(16)} ` : char;
    })
    .join("");
  return `"${escaped}"`;
}
