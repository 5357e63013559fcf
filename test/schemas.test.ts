import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { alertJsonSchema } from "../src/alert/schema.js";
import { outlineJsonSchema } from "../src/clauses/schema.js";
import { configJsonSchema } from "../src/config/index.js";
import { diffJsonSchema } from "../src/diff/schema.js";
import { extractJsonSchema } from "../src/extract/schema.js";

describe.each([
  ["config/schema.json", configJsonSchema],
  ["config/diff.schema.json", diffJsonSchema],
  ["config/alert.schema.json", alertJsonSchema],
  ["config/outline.schema.json", outlineJsonSchema],
  ["config/extract.schema.json", extractJsonSchema],
])("%s", (file, generate) => {
  it("matches the JSON Schema generated from its zod schema", async () => {
    const path = fileURLToPath(new URL(`../${file}`, import.meta.url));
    const expected = `${JSON.stringify(generate(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === "1") await writeFile(path, expected);

    const committed = await readFile(path, "utf8").catch(() => "(missing)");

    expect(
      committed === expected,
      `${file} is out of date; refresh it with: UPDATE_SCHEMA=1 npx vitest run test/schemas.test.ts`,
    ).toBe(true);
  });
});
