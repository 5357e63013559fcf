import type { DiffEntry, DiffResult, Flag, RedlineOp } from "../diff/index.js";
import { escapeHtml } from "../html.js";
import { entryHeadline, notableEntries, summaryLine } from "./headline.js";

export interface RenderOptions {
  /** Word used for clauses in headlines. @default "Point" */
  noun?: string;
  /** ANSI colours for terminals. @default false */
  color?: boolean;
  /** Include unchanged and renumbered clauses, not just changes. @default false */
  all?: boolean;
}

const ANSI = {
  red: "\u001b[31m",
  green: "\u001b[32m",
  bold: "\u001b[1m",
  dim: "\u001b[2m",
  strike: "\u001b[9m",
  reset: "\u001b[0m",
};

function flagNames(flags: Flag[] | undefined): string {
  return [...new Set((flags ?? []).map((flag) => flag.type))].join(", ");
}

function shown(result: DiffResult, all: boolean): DiffEntry[] {
  return all ? result.entries : notableEntries(result);
}

function textRedline(ops: RedlineOp[], color: boolean): string {
  return ops
    .map((op) => {
      if (op.op === "equal") return op.text;
      if (color) {
        const tint = op.op === "delete" ? `${ANSI.red}${ANSI.strike}` : ANSI.green;
        return op.text
          .split("\n")
          .map((part) => (part === "" ? part : `${tint}${part}${ANSI.reset}`))
          .join("\n");
      }
      return op.op === "delete" ? `[-${op.text}-]` : `{+${op.text}+}`;
    })
    .join("");
}

function indent(text: string, by = "    "): string {
  return text
    .split("\n")
    .map((line) => `${by}${line}`)
    .join("\n");
}

/** Text for people: a summary, one headline per change, then each change's redline. */
export function renderText(result: DiffResult, options: RenderOptions = {}): string {
  const noun = options.noun ?? "Point";
  const color = options.color ?? false;
  const bold = (text: string) => (color ? `${ANSI.bold}${text}${ANSI.reset}` : text);
  const dim = (text: string) => (color ? `${ANSI.dim}${text}${ANSI.reset}` : text);
  const entries = shown(result, options.all ?? false);
  const lines = [
    `${result.old.source} (${result.old.clauses}) → ${result.new.source} (${result.new.clauses}): ${summaryLine(result)}`,
    // What the reader noticed about either copy (a partial copy, unplaced text): never left unsaid.
    ...result.old.warnings.map((warning) => `warning (${result.old.source}): ${warning.message}`),
    ...result.new.warnings.map((warning) => `warning (${result.new.source}): ${warning.message}`),
  ];
  if (entries.length === 0) {
    lines.push("No change above cosmetic.");
    return `${lines.join("\n")}\n`;
  }
  lines.push("");
  for (const entry of entries) lines.push(`${bold(entryHeadline(entry, noun))}`);
  for (const entry of entries) {
    if (!entry.redline) continue;
    const flags = flagNames(entry.flags);
    lines.push(
      "",
      dim(
        `── ${entryHeadline(entry, noun)} · ${entry.kind} · ${entry.severity}${flags ? ` · ${flags}` : ""}`,
      ),
    );
    lines.push(indent(textRedline(entry.redline, color)));
  }
  return `${lines.join("\n")}\n`;
}

function markdownEscape(text: string): string {
  return text.replace(/([\\`*_[\]#<>|~])/g, "\\$1");
}

function markdownRedline(ops: RedlineOp[]): string {
  return ops
    .map((op) => {
      const text = markdownEscape(op.text).replace(/\n/g, "<br>");
      if (op.op === "equal" || text.trim() === "") return text;
      const lead = text.match(/^\s*/)?.[0] ?? "";
      const trail = text.match(/\s*$/)?.[0] ?? "";
      const core = text.trim();
      return op.op === "delete" ? `${lead}~~${core}~~${trail}` : `${lead}**${core}**${trail}`;
    })
    .join("");
}

/** Markdown for tickets, chat and wikis: ~~deleted~~ and **inserted** words. */
export function renderMarkdown(result: DiffResult, options: RenderOptions = {}): string {
  const noun = options.noun ?? "Point";
  const entries = shown(result, options.all ?? false);
  const out = [
    `# ${markdownEscape(result.old.source)} → ${markdownEscape(result.new.source)}`,
    "",
    `${result.old.clauses} → ${result.new.clauses} clauses: ${summaryLine(result)}`,
    "",
  ];
  if (entries.length === 0) return `${[...out, "No change above cosmetic."].join("\n")}\n`;
  for (const entry of entries) out.push(`- **${markdownEscape(entryHeadline(entry, noun))}**`);
  for (const entry of entries) {
    if (!entry.redline) continue;
    const flags = flagNames(entry.flags);
    out.push("", `## ${markdownEscape(entryHeadline(entry, noun))}`, "");
    out.push(`_${entry.kind}, ${entry.severity}${flags ? `; flags: ${flags}` : ""}_`, "");
    out.push(`> ${markdownRedline(entry.redline)}`);
  }
  return `${out.join("\n")}\n`;
}

function htmlRedline(ops: RedlineOp[]): string {
  return ops
    .map((op) => {
      const text = escapeHtml(op.text).replace(/\n/g, "<br>");
      if (op.op === "equal") return text;
      return op.op === "delete" ? `<del>${text}</del>` : `<ins>${text}</ins>`;
    })
    .join("");
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}
del{background:#fde2e2;color:#8a1111}ins{background:#dcf5dc;color:#0d5c0d;text-decoration:none}
.entry{border-top:1px solid #ddd;padding:.5rem 0}.meta{color:#555;font-size:.85rem}.badge{display:inline-block;border:1px solid #999;border-radius:.6rem;padding:0 .4rem;margin-right:.25rem;font-size:.75rem}
.substantive .badge.severity{border-color:#b00;color:#b00}`;

/** A standalone HTML page (no external assets) with <del>/<ins> redlines; all document text escaped. */
export function renderHtml(result: DiffResult, options: RenderOptions = {}): string {
  const noun = options.noun ?? "Point";
  const entries = shown(result, options.all ?? false);
  const title = `${result.old.source} → ${result.new.source}`;
  const body = entries
    .map((entry) => {
      const badges = [entry.kind, entry.severity, ...new Set((entry.flags ?? []).map((flag) => flag.type))]
        .map((badge, i) => `<span class="badge${i === 1 ? " severity" : ""}">${escapeHtml(badge)}</span>`)
        .join("");
      const redline = entry.redline ? `<p>${htmlRedline(entry.redline)}</p>` : "";
      return `<section class="entry ${escapeHtml(entry.severity)}"><h2>${escapeHtml(entryHeadline(entry, noun))}</h2><div class="meta">${badges}</div>${redline}</section>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${result.old.clauses} → ${result.new.clauses} clauses: ${escapeHtml(summaryLine(result))}</p>
${body || "<p>No change above cosmetic.</p>"}
</body></html>
`;
}
