import { describe, expect, it } from "vitest";
import { configJsonSchema } from "../../src/config/index.js";

describe("config/schema.json", () => {
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
