import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { configJsonSchema } from "../../src/config/index.js";

const SCHEMA_FILE = fileURLToPath(new URL("../../config/schema.json", import.meta.url));

describe("config/schema.json", () => {
  it("matches the JSON Schema generated from the config's zod schema", async () => {
    const expected = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === "1") await writeFile(SCHEMA_FILE, expected);

    const committed = await readFile(SCHEMA_FILE, "utf8").catch(() => "(missing)");

    expect(
      committed === expected,
      "config/schema.json is out of date; refresh it with: UPDATE_SCHEMA=1 npx vitest run test/config/schema.test.ts",
    ).toBe(true);
  });

  it("describes every setting a user can write", () => {
    const undocumented: string[] = [];
    function visit(node: unknown, at: string): void {
      if (node === null || typeof node !== "object") return;
      const record = node as Record<string, unknown>;
      if (record.properties !== undefined) {
        for (const [key, child] of Object.entries(record.properties as Record<string, unknown>)) {
          if (typeof (child as { description?: unknown }).description !== "string")
            undocumented.push(`${at}.${key}`);
          visit(child, `${at}.${key}`);
        }
      }
      for (const key of ["items", "additionalProperties"]) visit(record[key], at);
      for (const option of (record.oneOf as unknown[] | undefined) ?? []) visit(option, at);
    }

    visit(configJsonSchema(), "(root)");

    expect(undocumented).toEqual([]);
  });
});
