/**
 * Anchors derived from clause paths, so a link to "point 26 of v3" or to "the change of 26 in
 * v2 → v3" stays valid for as long as the texts exist: the same paths always give the same id.
 */
import type { DiffEntry } from "../diff/index.js";

/**
 * An id-safe form of a path: letters and digits of any script, `.`, `-`, `(` and `)` kept, every
 * other character as its UTF-8 bytes, each written `_` and two hex digits (`Privacy ¶2` →
 * `Privacy_20_c2_b62`), so two paths never share a slug and a slug never holds whitespace.
 */
export function pathSlug(path: string): string {
  return [...path]
    .map((char) =>
      /[\p{L}\p{N}.()-]/u.test(char)
        ? char
        : [...Buffer.from(char, "utf8")].map((byte) => `_${byte.toString(16).padStart(2, "0")}`).join(""),
    )
    .join("");
}

/** The anchor of a clause on its version's page: `clause-26`, `clause-5.1(a)`. */
export function clauseAnchor(path: string): string {
  return `clause-${pathSlug(path)}`;
}

/**
 * The anchor of a change on its comparison page, from its old and new paths: `change-26~26`,
 * `change-26~23` (renumbered), `change-3~` (removed), `change-~27` (added), `change-7+8~6` (merged).
 * Every clause is in exactly one entry of a diff, so no two entries share an anchor.
 */
export function changeAnchor(entry: Pick<DiffEntry, "old" | "new">): string {
  return `change-${entry.old.map(pathSlug).join("+")}~${entry.new.map(pathSlug).join("+")}`;
}

/** `#anchor` for an href (the anchor percent-encoded where a URL needs it). */
export function fragment(anchor: string): string {
  return `#${encodeURIComponent(anchor)}`;
}
