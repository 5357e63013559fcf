import { createHash } from "node:crypto";
import { promises as fsp } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SnapshotInput } from "../../src/store/index.js";
import type { ClauseSet } from "../../src/types.js";

/** A small clause set; `texts[i]` becomes clause i+1. */
export function makeClauseSet(texts: string[], source = "test"): ClauseSet {
  return {
    source,
    style: "decimal",
    clauses: texts.map((text, index) => ({
      key: String(index + 1),
      label: String(index + 1),
      printed: `${index + 1}.`,
      kind: "numbered" as const,
      depth: 0,
      index,
      text,
      norm: text.toLowerCase(),
      fingerprint: createHash("sha256").update(text.toLowerCase()).digest("hex").slice(0, 16),
    })),
    coverage: {
      words: texts.join(" ").split(/\s+/).filter(Boolean).length,
      placed: texts.join(" ").split(/\s+/).filter(Boolean).length,
    },
    warnings: [],
  };
}

export function makeInput(
  sourceId: string,
  bodyHash: string,
  texts: string[],
  overrides: Partial<SnapshotInput> = {},
): SnapshotInput {
  return {
    sourceId,
    url: `https://example.test/${sourceId}`,
    finalUrl: `https://example.test/${sourceId}?final`,
    status: 200,
    fetchedAt: "2025-11-20T10:00:00.000Z",
    contentType: "text/html",
    etag: '"v1"',
    bodyHash,
    extractorVersion: "1",
    clauseSet: makeClauseSet(texts),
    ...overrides,
  };
}

export async function makeTempDir(prefix = "clausewatch-store-"): Promise<string> {
  return fsp.mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await fsp.rm(dir, { recursive: true, force: true });
}
