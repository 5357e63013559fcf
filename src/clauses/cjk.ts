/** Numbers as Chinese numerals write them, and the prefixes Japanese, Chinese and Korean law number units with. */

/** Digits, with the colloquial 两 for two, and the units they multiply. */
const CJK_DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CJK_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** `二十四` → 24, `百五` → 105, `12` → 12: numbers as Chinese numerals write them, up to 9,999. */
export function cjkNumber(raw: string): number | undefined {
  if (/^[0-9]+$/.test(raw)) return Number(raw);
  let total = 0;
  let digit: number | undefined;
  for (const ch of raw) {
    const unit = CJK_UNITS[ch];
    if (unit !== undefined) {
      total += (digit ?? 1) * unit;
      digit = undefined;
      continue;
    }
    const value = CJK_DIGITS[ch];
    if (value === undefined) return undefined;
    // Digits set one after another (`二〇二五`) read positionally.
    digit = digit === undefined ? value : digit * 10 + value;
  }
  return total + (digit ?? 0);
}

/** The prefix a unit word takes before its number (`条` → `第`), for paths. */
export function circumfixPrefix(word: string): string | undefined {
  return /^[조항장절편]$/u.test(word) ? "제" : /^\p{sc=Han}$/u.test(word) ? "第" : undefined;
}
