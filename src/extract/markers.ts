/** List markers as a browser renders them for `<ol>` (type, start, value, reversed) and `<ul>`. */

export type MarkerStyle =
  | "decimal"
  | "lower-alpha"
  | "upper-alpha"
  | "lower-roman"
  | "upper-roman"
  | "bullet"
  | "none";

const TYPE_ATTRIBUTE_STYLES: Record<string, MarkerStyle> = {
  "1": "decimal",
  a: "lower-alpha",
  A: "upper-alpha",
  i: "lower-roman",
  I: "upper-roman",
};

const CSS_STYLES: Record<string, MarkerStyle> = {
  decimal: "decimal",
  "decimal-leading-zero": "decimal",
  "lower-alpha": "lower-alpha",
  "lower-latin": "lower-alpha",
  "upper-alpha": "upper-alpha",
  "upper-latin": "upper-alpha",
  "lower-roman": "lower-roman",
  "upper-roman": "upper-roman",
  disc: "bullet",
  circle: "bullet",
  square: "bullet",
  none: "none",
};

/** The `type` attribute of `<ol>`/`<li>`: case matters (`a` vs `A`). */
export function styleFromTypeAttribute(type: string | undefined): MarkerStyle | undefined {
  if (type === undefined) return undefined;
  return TYPE_ATTRIBUTE_STYLES[type.trim()];
}

/** `list-style-type` (or the `list-style` shorthand) from an inline style, which beats the attribute. */
export function styleFromInlineCss(style: string | undefined): MarkerStyle | undefined {
  if (style === undefined) return undefined;
  const match = /(?:^|;)\s*list-style(?:-type)?\s*:([^;]*)/i.exec(style);
  if (match === null) return undefined;
  for (const word of (match[1] ?? "").trim().toLowerCase().split(/\s+/)) {
    const found = CSS_STYLES[word];
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Integer attribute as HTML parses it ("3", " 3 ", "3x" → 3); undefined when there is no number. */
export function parseInteger(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*([+-]?\d+)/.exec(value);
  if (match === null) return undefined;
  const parsed = Number.parseInt(match[1] as string, 10);
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}

function alphabetic(value: number): string {
  let rest = value;
  let out = "";
  while (rest > 0) {
    rest -= 1;
    out = String.fromCharCode(97 + (rest % 26)) + out;
    rest = Math.floor(rest / 26);
  }
  return out;
}

const ROMAN: Array<[number, string]> = [
  [1000, "m"],
  [900, "cm"],
  [500, "d"],
  [400, "cd"],
  [100, "c"],
  [90, "xc"],
  [50, "l"],
  [40, "xl"],
  [10, "x"],
  [9, "ix"],
  [5, "v"],
  [4, "iv"],
  [1, "i"],
];

function roman(value: number): string {
  let rest = value;
  let out = "";
  for (const [amount, numeral] of ROMAN) {
    while (rest >= amount) {
      out += numeral;
      rest -= amount;
    }
  }
  return out;
}

/** The rendered marker ("3.", "c.", "IV.", "•"), or undefined for `list-style: none`. */
export function formatMarker(style: MarkerStyle, ordinal: number): string | undefined {
  switch (style) {
    case "none":
      return undefined;
    case "bullet":
      return "•";
    case "lower-alpha":
    case "upper-alpha": {
      // Browsers fall back to decimal where the alphabet has no symbol.
      if (ordinal < 1) return `${ordinal}.`;
      const letters = alphabetic(ordinal);
      return `${style === "upper-alpha" ? letters.toUpperCase() : letters}.`;
    }
    case "lower-roman":
    case "upper-roman": {
      if (ordinal < 1 || ordinal > 3999) return `${ordinal}.`;
      const numerals = roman(ordinal);
      return `${style === "upper-roman" ? numerals.toUpperCase() : numerals}.`;
    }
    case "decimal":
      return `${ordinal}.`;
  }
}

/** A marker style a list gets from a stylesheet rule for one of its classes. */
export type ClassListStyles = (classes: readonly string[]) => MarkerStyle | undefined;

/**
 * List styles that a page's `<style>` sheets give by class: `ol.steps { list-style-type:
 * lower-alpha }`, or markers drawn by a counter, `.steps > li:before { content: counter(c,
 * lower-roman) ". " }`, which is how Google Docs exports number every level of a list. A counter
 * rule beats `list-style-type` (the exports set that to none because the counter draws the marker);
 * `none` by class is ignored.
 */
export function classListStyles(css: string): ClassListStyles {
  const counters = new Map<string, MarkerStyle>();
  const types = new Map<string, MarkerStyle>();
  for (const rule of css.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    const body = rule[2] ?? "";
    const counter = /content\s*:[^;]*?counters?\(\s*[\w-]+\s*(?:,\s*(?:"[^"]*"\s*,\s*)?([\w-]+)\s*)?\)/i.exec(
      body,
    );
    // `list-style: none` by class usually hides a marker drawn some other way: not a reading.
    const declared = counter ? undefined : styleFromInlineCss(body);
    const type = declared === "none" ? undefined : declared;
    if (!counter && type === undefined) continue;
    for (const selector of (rule[1] ?? "").split(",")) {
      const match = /^\s*(?:ol|ul)?\.([\w-]+)(\s*>\s*li\s*:{1,2}before)?\s*$/i.exec(selector);
      const name = match?.[1];
      if (name === undefined) continue;
      if (counter && match?.[2] !== undefined) {
        const style = CSS_STYLES[(counter[1] ?? "decimal").toLowerCase()];
        if (style !== undefined) counters.set(name, style);
      } else if (type !== undefined && match?.[2] === undefined) types.set(name, type);
    }
  }
  return (classes) => {
    for (const name of classes) {
      const style = counters.get(name);
      if (style !== undefined) return style;
    }
    for (const name of classes) {
      const style = types.get(name);
      if (style !== undefined) return style;
    }
    return undefined;
  };
}
