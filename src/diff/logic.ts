/**
 * Small words that decide how a clause's conditions combine, order or bound each other: "and"
 * turned "or", "before" turned "after", "with" turned "without", "minimum" turned "maximum". They
 * are function words, so the content-term comparison never sees them; a swap between two of them
 * still changes what the clause requires.
 */
import { wordTokens } from "../clauses/normalize.js";

/** Two sides of one opposition, in the languages the plan, its coverage and terms appear in. */
interface Opposition {
  one: ReadonlySet<string>;
  other: ReadonlySet<string>;
}

function opposition(one: string, other: string): Opposition {
  return { one: new Set(one.split(" ")), other: new Set(other.split(" ")) };
}

/*
 * Words that also mean something else in another language of the list are left out ("en" is
 * Dutch "and" and French "in"; "of" is Dutch "or"; Polish "po" and "na" are mostly "on").
 */
const OPPOSITIONS: Opposition[] = [
  // and ↔ or: English, German, French, Spanish, Italian, Portuguese, Polish, Russian, Ukrainian.
  opposition("and und et y e ed i oraz и і й та", "or oder ou o u oppure lub albo или або чи"),
  // before ↔ after.
  opposition(
    "before prior vor avant antes prima przed перед до",
    "after nach après después dopo после після",
  ),
  // with ↔ without.
  opposition("with mit avec con com с з", "without ohne sans sin senza sem bez без"),
  // at least ↔ at most; earliest ↔ latest ("no later than" ↔ "no earlier than").
  opposition("minimum mindestens minimal", "maximum höchstens maximal"),
  opposition("earlier earliest frühestens", "later latest spätestens"),
  // more ↔ less; above ↔ below.
  opposition(
    "more mehr plus más più mais więcej больше більше",
    "less fewer weniger moins menos meno mniej меньше менше",
  ),
  opposition("above exceeding oberhalb powyżej", "below unterhalb poniżej"),
  // including ↔ excluding.
  opposition("including inclusive einschließlich", "excluding exclusive ausschließlich"),
  // all ↔ some: a quantifier narrowed or widened ("All fees" → "Some fees", "Any employee" →
  // "Certain employees").
  opposition(
    "all every each any alle jeder jede tous toutes chaque todos todas cada tutti tutte ogni wszystkie każdy все всі",
    "some certain einige manche certains certaines quelques algunos algunas alcuni alcune niektóre некоторые деякі",
  ),
];

/** The parties a consumer contract names by pronoun: the customer ("you") and the provider ("we"). */
const PARTY: Record<string, "you" | "we"> = {
  you: "you",
  your: "you",
  yours: "you",
  yourself: "you",
  we: "we",
  us: "we",
  our: "we",
  ours: "we",
  ourselves: "we",
};

/**
 * The parties turned round, every other word kept: "You will indemnify us" → "We will indemnify
 * you", "your data" → "our data". Who owes what to whom changed, though no content word did.
 */
function partiesTurned(oldText: string, newText: string): { removed: string[]; added: string[] } | undefined {
  // "US" is the country, unless the clause is set in capitals throughout.
  const words = (text: string) => {
    const capitals = text === text.toUpperCase();
    return wordTokens(text).map((word) => (word === "US" && !capitals ? word : word.toLowerCase()));
  };
  const before = words(oldText);
  const after = words(newText);
  const parties = (words: string[]) => words.filter((word) => PARTY[word] !== undefined);
  const others = (words: string[]) => words.filter((word) => PARTY[word] === undefined).join(" ");
  const [was, now] = [parties(before), parties(after)];
  if (was.length === 0 || now.length === 0 || others(before) !== others(after)) return undefined;
  const roles = (words: string[]) => words.map((word) => PARTY[word]).join(" ");
  return roles(was) === roles(now) ? undefined : { removed: was, added: now };
}

/** Words that join the items of a list: items on either side of them may trade places freely. */
const JOINERS = new Set(["and", "or", "nor", "plus", "&", "as", "well", "then", "also"]);

/**
 * Two named parties traded places, every other word kept: "The translator will indemnify the
 * client" → "The client will indemnify the translator", "from Kyiv to Moscow" → "from Moscow to
 * Kyiv". Two items of a list trading places ("Ukraine and Russia", "in euros or in dollars") are
 * no such change: between them stand only the words that join a list and repeat its pattern.
 */
function namesTraded(oldText: string, newText: string): { removed: string[]; added: string[] } | undefined {
  const printed = wordTokens(oldText);
  const before = printed.map((word) => word.toLowerCase());
  const after = wordTokens(newText).map((word) => word.toLowerCase());
  if (before.length !== after.length) return undefined;
  const differing: number[] = [];
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) differing.push(i);
  const first = differing[0];
  if (first === undefined) return undefined;
  const one = before[first] as string;
  const other = after[first] as string;
  if (!/^\p{L}+$/u.test(one) || !/^\p{L}+$/u.test(other)) return undefined;
  let ones = 0;
  for (const at of differing) {
    const [was, now] = [before[at], after[at]];
    if (!((was === one && now === other) || (was === other && now === one))) return undefined;
    if (was === one) ones++;
  }
  if (ones * 2 !== differing.length) return undefined;
  // What stands between the first two places that traded, less the list's joiners and the words
  // that repeat what stood before the first ("in euros or in dollars").
  const second = differing[1] as number;
  const between = before.slice(first + 1, second).filter((word) => !JOINERS.has(word));
  const lead = before.slice(0, first);
  while (between.length > 0 && lead.length > 0 && between[between.length - 1] === lead[lead.length - 1]) {
    between.pop();
    lead.pop();
  }
  if (between.length === 0) return undefined;
  const [oneAsPrinted, otherAsPrinted] = [printed[first] as string, printed[second] as string];
  return { removed: [oneAsPrinted, otherAsPrinted], added: [otherAsPrinted, oneAsPrinted] };
}

function counts(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const word of wordTokens(text.toLowerCase())) out.set(word, (out.get(word) ?? 0) + 1);
  return out;
}

/** The occurrences of `words` the new side lost, and those it gained. */
function shift(
  words: ReadonlySet<string>,
  before: Map<string, number>,
  after: Map<string, number>,
): [gone: string[], come: string[]] {
  const gone: string[] = [];
  const come: string[] = [];
  for (const word of words) {
    const delta = (after.get(word) ?? 0) - (before.get(word) ?? 0);
    for (let i = 0; i < -delta; i++) gone.push(word);
    for (let i = 0; i < delta; i++) come.push(word);
  }
  return [gone, come];
}

/**
 * The opposition words a pair of texts swapped: one side of an opposition lost where the other
 * gained ("and" → "or"). Words only added or only removed are no swap: a list that grew an item
 * gained an "and" of its own.
 */
export function logicSwap(oldText: string, newText: string): { removed: string[]; added: string[] } {
  const before = counts(oldText);
  const after = counts(newText);
  const removed: string[] = [];
  const added: string[] = [];
  for (const { one, other } of OPPOSITIONS) {
    const [oneGone, oneCome] = shift(one, before, after);
    const [otherGone, otherCome] = shift(other, before, after);
    const forward = Math.min(oneGone.length - oneCome.length, otherCome.length - otherGone.length);
    const backward = Math.min(otherGone.length - otherCome.length, oneCome.length - oneGone.length);
    if (forward > 0) {
      removed.push(...oneGone.slice(0, forward));
      added.push(...otherCome.slice(0, forward));
    } else if (backward > 0) {
      removed.push(...otherGone.slice(0, backward));
      added.push(...oneCome.slice(0, backward));
    }
  }
  if (removed.length === 0) {
    const turned = partiesTurned(oldText, newText) ?? namesTraded(oldText, newText);
    if (turned) return turned;
  }
  return { removed, added };
}
