/**
 * The fs store's kill -9 test, for the postgres driver: a writer putting bodies, snapshots,
 * events, state and changes as fast as it can is killed with SIGKILL again and again; after each
 * kill the store verifies clean and holds every change the writer had confirmed.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { openPostgresStore } from "../../src/store/index.js";
import { describePg, dropSchema, freshSchemaName, pgUrl } from "../helpers/pg.js";

const writerScript = fileURLToPath(new URL("./fixtures/crash-writer.mjs", import.meta.url));
const compiledStore = fileURLToPath(new URL("../../dist/src/store/index.js", import.meta.url));
const ROUNDS = 10;
const schemas: string[] = [];

afterEach(async () => {
  for (const schema of schemas.splice(0)) await dropSchema(schema);
});

/** Runs the writer and SIGKILLs it `delayMs` after it opened the store; resolves with its confirmed keys. */
function runAndKill(schema: string, run: string, delayMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerScript, pgUrl, run, schema], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keys: string[] = [];
    let buffered = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("open ")) setTimeout(() => child.kill("SIGKILL"), delayMs);
        else if (line.startsWith("change ")) keys.push(line.slice("change ".length));
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(keys);
      else reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
    });
  });
}

describePg.skipIf(!existsSync(compiledStore))("postgres store under kill -9", () => {
  it("never leaves a damaged store and never loses a change it confirmed", { timeout: 120_000 }, async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    const confirmed: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const keys = await runAndKill(schema, `r${round}`, 100 + Math.floor(Math.random() * 400));
      const store = await openPostgresStore({ url: pgUrl, schema, poolSize: 2 });
      const problems = await store.verify();
      const present = new Set((await store.listChanges()).map((change) => change.key));
      const snapshots = await Promise.all((await store.listSources()).map((id) => store.listSnapshots(id)));
      await store.close();

      confirmed.push(...keys);
      expect(problems, `round ${round}`).toEqual([]);
      expect(
        confirmed.filter((key) => !present.has(key)),
        `round ${round}`,
      ).toEqual([]);
      // Every indexed snapshot resolves: the index never points at a snapshot that is not there.
      expect(snapshots.flat().every((record) => /^[0-9a-f]{16}$/.test(record.id))).toBe(true);
    }

    expect(confirmed.length).toBeGreaterThan(0);
  });
});
