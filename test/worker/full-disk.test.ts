/**
 * A full disk, for real: the store lives on an 8 MiB tmpfs (root only), filled up between cycles.
 * The source whose write does not fit fails with one readable error naming the file and ENOSPC;
 * the other sources' outcomes stand; nothing is half-written; freeing space lets the next check
 * record what was missed.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm, statfs, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openFsStore } from "../../src/store/index.js";
import { CLI, runCli } from "../helpers/cli.js";
import { configYaml, fixturePage, makeWorkspace, type Site, startSite, type Workspace } from "./support.js";

/** Root that may mount a tmpfs (a container without CAP_SYS_ADMIN may not). */
function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = join("/tmp", `clausewatch-tmpfs-probe-${process.pid}`);
  spawnSync("mkdir", ["-p", probe]);
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe]).status === 0;
  if (mounted) spawnSync("umount", [probe]);
  spawnSync("rmdir", [probe]);
  return mounted;
}

let site: Site;
let ws: Workspace;
let mounted = false;

beforeEach(async () => {
  site = await startSite();
  ws = await makeWorkspace();
});

afterEach(async () => {
  await site.close();
  if (mounted) execFileSync("umount", ["-l", ws.storeDir]);
  mounted = false;
  await ws.cleanup();
});

/** A plain-text plan whose second clause is incompressible: `kib` KiB that brotli cannot shrink. */
function bulkyPlan(kib: number): string {
  return `1. The parties will publish every annex.\n2. Annex text: ${randomBytes(kib * 768).toString("base64")}\n`;
}

describe.skipIf(!existsSync(CLI) || !canMountTmpfs())("check --once on a full disk", () => {
  it("fails only the source whose write does not fit, names the file and ENOSPC once, and loses nothing", async () => {
    await mkdir(ws.storeDir);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", ws.storeDir]);
    mounted = true;
    site.set("/annex.txt", { body: bulkyPlan(4), type: "text/plain; charset=utf-8" });
    site.set("/wire.txt", await fixturePage("v1-draft.txt"));
    await writeFile(
      ws.configFile,
      configYaml({
        sources: [
          { id: "annex", url: `${site.url}/annex.txt` },
          { id: "wire", url: `${site.url}/wire.txt` },
        ],
      }),
    );
    const first = await runCli(["check", "--once", "--config", ws.configFile]);
    expect(first.status, first.stderr).toBe(0);
    // Leave about 96 KiB: enough for log lines and state, not for a 600 KiB body.
    const { bavail, bsize } = await statfs(ws.storeDir);
    const filler = join(ws.storeDir, "filler");
    await writeFile(filler, Buffer.alloc(Math.max(0, bavail * bsize - 96 * 1024)));
    site.set("/annex.txt", { body: bulkyPlan(600), type: "text/plain; charset=utf-8" });

    const full = await runCli(["check", "--once", "--config", ws.configFile]);
    await rm(filler);
    const freed = await runCli(["check", "--once", "--config", ws.configFile]);

    const line = (output: string, id: string) => output.split("\n").find((text) => text.startsWith(`${id} `));
    expect(full.status).toBe(1);
    expect(line(full.stdout, "annex")).toMatch(
      new RegExp(
        `^annex\\s+failed .*could not write ${ws.storeDir}/\\S+: no space left on device \\(ENOSPC\\)$`,
      ),
    );
    expect(line(full.stdout, "annex")?.match(/ENOSPC/g)).toHaveLength(1);
    expect(line(full.stdout, "wire")).toMatch(/^wire\s+unchanged/);
    expect(`${full.stdout}\n${full.stderr}`).not.toMatch(/^\s+at /m);
    expect(freed.status, `${freed.stdout}\n${freed.stderr}`).toBe(0);
    expect(line(freed.stdout, "annex")).toMatch(/^annex\s+changed/);
    const store = await openFsStore(ws.storeDir, { lock: false });
    try {
      expect(await store.verify()).toEqual([]);
      expect((await store.getSourceState("annex"))?.consecutiveFailures).toBe(0);
    } finally {
      await store.close();
    }
  });
});
