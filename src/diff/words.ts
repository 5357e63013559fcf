/** Function words: never "key terms", never entities when they open a sentence. */
export const STOPWORDS = new Set(
  (
    "a an the and or but nor so yet if then than that this these those there here which who whom whose what when where why how " +
    "all any both each every few more most other some such no not only own same too very just also again further once " +
    "of in on at by for with about against between into through during before after above below to from up down out off over under " +
    "is are was were be been being am has have had having do does did doing will would shall should can could may might must " +
    "it its it's they them their theirs he him his she her hers we us our ours you your yours i me my mine " +
    "as until while because since although though unless whether either neither upon within without toward towards across along " +
    "among amongst around per via including include includes included following follows follow set such thus therefore hence " +
    "one first second third new old any whole full part parts " +
    "agree agrees agreed agreement party parties side sides"
  ).split(" "),
);

/** Light stemming so "guarantee" and "guarantees" count as one term. */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /[^s]s$/.test(word) && !word.endsWith("us") && !word.endsWith("is"))
    return word.slice(0, -1);
  return word;
}
