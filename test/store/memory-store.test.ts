import { describe, expect, it } from "vitest";
import { createMemoryStore, MEMORY_STORE_NAME } from "../../src/store/index.js";
import { runStoreConformance } from "./conformance.js";
import { makeInput } from "./helpers.js";

runStoreConformance(MEMORY_STORE_NAME, async () => {
  const store = createMemoryStore();
  return { store, cleanup: () => store.close() };
});

describe("memory store", () => {
  it("names itself after its driver", () => {
    const store = createMemoryStore();

    expect(store.name).toBe("memory");
  });

  it("keeps two stores fully separate", async () => {
    const a = createMemoryStore();
    const b = createMemoryStore();

    const hash = await a.putBody(new TextEncoder().encode("only in a"));
    await a.putSnapshot(makeInput("plan-a", hash, ["One."]));

    expect(await b.hasBody(hash)).toBe(false);
    expect(await b.listSnapshots("plan-a")).toEqual([]);
  });

  it("is not changed by mutating the bytes that were stored", async () => {
    const store = createMemoryStore();
    const bytes = new TextEncoder().encode("original");
    const hash = await store.putBody(bytes);

    bytes[0] = 0x58;

    expect((await store.getBody(hash)).toString()).toBe("original");
  });

  it("rejects unknown options with a message naming the driver", () => {
    const attempt = () => createMemoryStore({ dir: "/tmp" } as never);

    expect(attempt).toThrow(/^memory store: invalid options/);
  });
});
