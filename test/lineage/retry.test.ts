/**
 * The lineage's crash-retry shortcut: the same text seen again by the same source gets its last
 * answer again only while the source never adopted that sighting (its state still points before
 * it). Once adopted, a same-text copy is a quiet witness, never the earlier change again.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readClauseSet } from "../../src/document.js";
import { createLineage, DEFAULT_LINEAGE_RULES, type Lineage } from "../../src/lineage/index.js";
import type { ClauseSet } from "../../src/types.js";

const fixture = async (name: string) =>
  readClauseSet(await readFile(new URL(`../fixtures/plan/${name}`, import.meta.url), "utf8"), {
    source: name,
  });

let dir: string;
let lineage: Lineage;
const texts = new Map<string, ClauseSet>();

async function see(snapshotId: string, name: string, previousSnapshotId?: string) {
  const clauseSet = await fixture(name);
  texts.set(snapshotId, clauseSet);
  return lineage.observe("peace-plan", {
    sourceId: "wire",
    snapshotId,
    clauseSet,
    at: "2025-11-20T10:00:00.000Z",
    ...(previousSnapshotId ? { previousSnapshotId } : {}),
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "clausewatch-lineage-retry-"));
  lineage = createLineage(dir, DEFAULT_LINEAGE_RULES, async (id) => texts.get(id) as ClauseSet);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a same-text copy from the source that created a version", () => {
  it("is a witness once the source's state has moved on to that version", async () => {
    await see("s1", "v1-draft.txt");
    const created = await see("s2", "v2-amnesty.txt", "s1");

    const retypeset = await see("s3", "v2-cosmetic.txt", "s2");

    expect([created.relation, created.version.id]).toEqual(["new-version", "v2"]);
    expect({
      relation: retypeset.relation,
      version: retypeset.version.id,
      repeated: retypeset.repeated,
    }).toEqual({ relation: "witness", version: "v2", repeated: false });
  });

  it("gets the earlier answer again when the source crashed before adopting it", async () => {
    await see("s1", "v1-draft.txt");
    await see("s2", "v2-amnesty.txt", "s1");

    const retry = await see("s2b", "v2-amnesty.txt", "s1");

    expect({ relation: retry.relation, version: retry.version.id, repeated: retry.repeated }).toEqual({
      relation: "new-version",
      version: "v2",
      repeated: true,
    });
    expect(retry.parent?.id).toBe("v1");
  });
});
