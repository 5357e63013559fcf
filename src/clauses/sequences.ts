/**
 * Sequences of labels: which readings continue one numbering (`1.` › `2.`, `(a)` › `(b)`, `5.1` ›
 * `5.2`, bullets of one list), how far a label steps from the one before, and the labels a gap
 * leaves out.
 */
import {
  CYRILLIC_OPTIONAL,
  CYRILLIC_ORDER,
  LATIN_SUFFIX_ORDER,
  letterName,
  partsName,
  toRoman,
} from "./labels.js";
import type { LabelMatch, Unit } from "./types.js";

const BULLET_FAMILY: Record<string, string> = { "—": "-", "–": "-", "⁃": "-" };

function indentBucket(unit: Unit): number {
  return unit.structured ? 0 : Math.floor(unit.indent / 2);
}

export function relaxedKeyOf(label: LabelMatch, unit: Unit): string {
  if (label.family === "bullet") {
    const mark = BULLET_FAMILY[label.delimiter] ?? label.delimiter;
    return unit.structured ? `bullet|list${unit.list ?? 0}` : `bullet|${mark}|${indentBucket(unit)}`;
  }
  return `${label.family}|${label.word}|${label.parts ? `ml${label.parts.length}` : ""}`;
}

export function keyOf(label: LabelMatch, unit: Unit): string {
  const relaxed = relaxedKeyOf(label, unit);
  if (label.family === "bullet" || label.weak) return relaxed;
  return `${relaxed}|${label.delimiter}`;
}

export function isFirst(label: LabelMatch): boolean {
  if (label.parts) return label.parts[label.parts.length - 1] === 1;
  return label.value === 1 && label.suffix === "";
}

/** Where a suffix sorts: none first, then letters (`10a`, `10b`) or Latin ones in their order (`12 bis`, `12 ter`). */
function suffixRank(suffix: string): string {
  const latin = LATIN_SUFFIX_ORDER.indexOf(suffix);
  return latin < 0 ? suffix : String.fromCharCode(0x61 + latin);
}

/** How far `next` steps from `previous` in one sequence: 0 for the next value, n for n skipped, undefined when it does not follow. */
export function stepGap(previous: LabelMatch, next: LabelMatch): number | undefined {
  if (previous.family === "bullet") return next.family === "bullet" ? 0 : undefined;
  if (previous.parts || next.parts) {
    if (!previous.parts || !next.parts || previous.parts.length !== next.parts.length) return undefined;
    const n = next.parts.length;
    for (let i = 0; i < n - 1; i++) if (previous.parts[i] !== next.parts[i]) return undefined;
    const step = (next.parts[n - 1] as number) - (previous.parts[n - 1] as number);
    return step >= 1 ? step - 1 : undefined;
  }
  if (next.value === previous.value)
    return suffixRank(next.suffix) > suffixRank(previous.suffix) ? 0 : undefined;
  const step = next.value - previous.value;
  if (step < 1) return undefined;
  if (next.script === "cyrillic") {
    let missing = 0;
    for (let value = previous.value + 1; value < next.value; value++)
      if (!CYRILLIC_OPTIONAL.has(CYRILLIC_ORDER[value - 1] ?? "")) missing++;
    return missing;
  }
  return next.suffix === "" ? step - 1 : undefined;
}

export function sameValue(previous: LabelMatch, next: LabelMatch): boolean {
  if (previous.family === "bullet") return false;
  if (previous.parts || next.parts) return previous.parts?.join(".") === next.parts?.join(".");
  return previous.value === next.value && previous.suffix === next.suffix;
}

/** Numbers above this start no sequence: a line opening "2014." is a year unless a list has just reached 2013. */
export const MAX_SEQUENCE_VALUE = 400;

export function missingLabels(before: LabelMatch | undefined, after: LabelMatch): string[] {
  const from = before
    ? (before.parts ? (before.parts[before.parts.length - 1] as number) : before.value) + 1
    : 1;
  const to = (after.parts ? (after.parts[after.parts.length - 1] as number) : after.value) - 1;
  const out: string[] = [];
  for (let value = from; value <= to && out.length < 200; value++) {
    if (after.script === "cyrillic" && CYRILLIC_OPTIONAL.has(CYRILLIC_ORDER[value - 1] ?? "")) continue;
    const prefix = after.parts ? `${partsName(after.parts.slice(0, -1))}.` : "";
    out.push(`${prefix}${valueName(after, value)}`);
  }
  return out;
}

function valueName(label: LabelMatch, value: number): string {
  switch (label.family) {
    case "alpha-lower":
    case "alpha-upper":
      return letterName(label, value);
    case "roman-lower":
    case "roman-upper": {
      const roman = toRoman(value);
      return label.family === "roman-upper" ? roman : roman.toLowerCase();
    }
    default:
      return String(value);
  }
}

/** Every label reading by sequence key, in document order, for "is there a next one" questions. */
export function candidateIndex(units: Unit[]): Map<string, Array<{ at: number; value: number }>> {
  const index = new Map<string, Array<{ at: number; value: number }>>();
  units.forEach((unit, at) => {
    for (const reading of unit.labels) {
      if (reading.family === "bullet") continue;
      const key = relaxedKeyOf(reading, unit);
      const value = reading.parts ? (reading.parts[reading.parts.length - 1] as number) : reading.value;
      const list = index.get(key);
      if (list) list.push({ at, value });
      else index.set(key, [{ at, value }]);
    }
  });
  return index;
}
