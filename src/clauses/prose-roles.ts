/**
 * The roles of prose at the top of a finished outline: an outlet's remarks between the points it
 * prints, a treaty's final formula after its last article, and the closing text after the last
 * structural clause.
 */
import type { OutlineNode } from "./tree.js";

/** Gives top-level prose its role once the outline is built; without structure, prose has none. */
export function settleTopLevelProse(root: OutlineNode, structuralSeen: boolean): void {
  separateRemarks(root);
  if (structuralSeen) {
    liftFinalFormula(root);
    markClosing(root);
  } else for (const node of root.children) delete node.role;
}

/** Shortest list of points whose lone extra paragraphs are read as remarks between them. */
const REMARKS_LIST = 10;

/**
 * A list of one-paragraph points that an outlet printed with its own remarks between some of them
 * ("Analysts say this point…"): when at most one point in ten has a further paragraph, such a
 * paragraph that opens a sentence of its own is prose beside the list, not the point's text. A
 * point whose text leads on (ending with a colon or comma) or a paragraph that carries on in
 * lower case keeps its paragraphs.
 */
function separateRemarks(root: OutlineNode): void {
  const chains = new Map<number, OutlineNode[]>();
  for (const node of root.children) {
    if (node.kind !== "numbered" || node.structured || node.heading !== undefined) continue;
    const chain = chains.get(node.chain) ?? [];
    chain.push(node);
    chains.set(node.chain, chain);
  }
  for (const chain of chains.values()) {
    const extended = chain.filter((node) => node.parts.length > 1);
    if (chain.length < REMARKS_LIST || extended.length === 0 || extended.length * 10 > chain.length) continue;
    for (const node of extended) {
      const [own = "", ...rest] = node.parts;
      if (/[:,;]$/.test(own) || rest.some((part) => !/^["“«(]?\p{Lu}/u.test(part))) continue;
      node.parts = [own];
      const after = root.children.indexOf(node) + 1;
      const remarks = rest.map(
        (part): OutlineNode => ({
          kind: "paragraph",
          chain: -1,
          parts: [part],
          parent: root,
          children: [],
          container: 0,
          titled: false,
          structured: false,
          at: node.at,
          role: "between",
          ...(node.page === undefined ? {} : { page: node.page }),
        }),
      );
      root.children.splice(after, 0, ...remarks);
    }
  }
}

/** How a treaty's or contract's final formula opens: where and when it was signed, and by whom. */
const FINAL_FORMULA =
  /^(?:(?:done|signed|made|executed) (?:at|in) |in witness whereof|fait à |geschehen (?:zu|in) |hecho en |fatto a |sporządzono w |вчинено в |совершено в )/iu;

/**
 * "Done at Lorvik on 3 June 2025, in two originals." after the last article, and the signature
 * lines after it, close the document: they are no paragraph of that article.
 */
function liftFinalFormula(root: OutlineNode): void {
  let parent = root.children[root.children.length - 1];
  while (parent && parent.children.length > 0) {
    const at = parent.children.findIndex(
      (child) => child.kind === "paragraph" && FINAL_FORMULA.test(child.parts[0] ?? ""),
    );
    // Not when the formula is all the clause holds ("Article 9 — Signature: Done at …").
    if (at > 0 && parent.children.slice(at).every((child) => child.kind === "paragraph")) {
      const lifted = parent.children.splice(at);
      for (const node of lifted) {
        node.parent = root;
        node.role = "between";
      }
      root.children.push(...lifted);
      return;
    }
    parent = parent.children[parent.children.length - 1];
  }
}

/** Top-level prose after the last structural clause is the closing text. */
function markClosing(root: OutlineNode): void {
  for (let i = root.children.length - 1; i >= 0; i--) {
    const child = root.children[i] as OutlineNode;
    if (child.role === "between") child.role = "closing";
    else if (child.role !== "closing" && child.kind !== "title" && child.kind !== "contents") break;
  }
}
