import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));
const IMPORT = /^(?:import|export)\s+(type\s+)?(?:(\{[^}]*\})|[^;]*?)\s*from\s+"([^"]+)"/gms;

/** Every module and package `entry` loads before any of its code runs: static value imports, transitively. */
function staticGraph(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const queue = [join(SRC, entry)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    const name = relative(SRC, file);
    if (modules.has(name)) continue;
    modules.add(name);
    for (const [, typeOnly, names, spec] of readFileSync(file, "utf8").matchAll(IMPORT)) {
      if (spec === undefined || typeOnly !== undefined) continue;
      // `import { type A, type B } from …` loads nothing either.
      if (
        names
          ?.slice(1, -1)
          .split(",")
          .every((part) => /^\s*(type\s|$)/.test(part))
      )
        continue;
      if (spec.startsWith(".")) queue.push(join(dirname(file), spec.replace(/\.js$/, ".ts")));
      else if (!spec.startsWith("node:")) packages.add(spec);
    }
  }
  return { modules, packages };
}

describe("what a check loads before its first body", () => {
  it("leaves the diff engine, the readers, the lineage and the parsing threads to the first fetched body", () => {
    const { modules, packages } = staticGraph("cli/worker-commands.ts");

    expect(modules.has("worker/check-source.ts")).toBe(true);
    for (const heavy of ["diff/index.ts", "clauses/index.ts", "lineage/index.ts", "worker/new-copy.ts"])
      expect(modules, heavy).not.toContain(heavy);
    expect(packages).not.toContain("piscina");
    expect(packages).not.toContain("diff");
  });

  it("fetches through undici's request alone, not its index (fetch, WebSocket, caches, mocks)", () => {
    const { modules, packages } = staticGraph("cli/worker-commands.ts");

    expect(modules.has("collect/undici-request.ts")).toBe(true);
    expect(packages).not.toContain("undici");
  });
});

describe("what a diff loads", () => {
  it("reads and compares without zod: the contract's schema is for tests and the schema file, not the run", () => {
    const { modules, packages } = staticGraph("cli/diff-command.ts");

    expect(modules.has("diff/index.ts")).toBe(true);
    expect(modules).not.toContain("diff/schema.ts");
    expect(packages).not.toContain("zod");
  });
});
