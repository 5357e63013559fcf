import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePair } from "../../bench/generate.js";
import { DiffResult as DiffResultSchema } from "../../src/diff/schema.js";
import { CLI, runCli } from "../helpers/cli.js";
import { startServer } from "../helpers/http-server.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/plan/${name}`, import.meta.url));

describe("clausewatch diff", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "clausewatch-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints headlines and a plain redline, exiting 1 when clauses changed", async () => {
    const result = await runCli(["diff", fixture("v1-draft.txt"), fixture("v2-amnesty.txt")]);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain("Point 26 rewritten");
    expect(result.stdout).toMatch(/\[-[^\]]*audit[^\]]*-\]/);
    expect(result.stdout).toMatch(/\{\+[^}]*amnesty[^}]*\+\}/);
    expect(result.stdout).not.toContain("\u001b[");
  });

  it("names figure changes and removals in the counter-proposal's headlines", async () => {
    const result = await runCli(["diff", fixture("v2-amnesty.txt"), fixture("counter.txt")]);

    expect(result.stdout).toContain("Point 6 (now 5): 600,000 → 800,000 people");
    expect(result.stdout).toContain("Point 3 removed");
    expect(result.stdout).toContain("Point 26 (now 23): will → may");
  });

  it("writes JSON that satisfies the published contract", async () => {
    const result = await runCli([
      "diff",
      fixture("v2-amnesty.txt"),
      fixture("revision.txt"),
      "--format",
      "json",
    ]);
    const parsed = DiffResultSchema.parse(JSON.parse(result.stdout));

    expect(result.status).toBe(1);
    expect(parsed.schema).toBe("clausewatch.diff/2");
    expect(parsed.summary).toMatchObject({ split: 0, merged: 2, moved: 1 });
    expect(parsed.entries.find((entry) => entry.kind === "moved")).toMatchObject({ old: ["25"], new: ["3"] });
  });

  it("exits 0 for a copy that differs only in typography and page furniture", async () => {
    const text = await runCli(["diff", fixture("v2-amnesty.txt"), fixture("v2-cosmetic.txt")]);
    const html = await runCli([
      "diff",
      fixture("article.html"),
      fixture("article-noise.html"),
      "--format",
      "json",
    ]);

    expect(text.status).toBe(0);
    expect(text.stdout).toContain("No change above cosmetic.");
    expect(html.status).toBe(0);
    expect(JSON.parse(html.stdout).severity).toBe("none");
  });

  it("reads the new version from standard input", async () => {
    const input = await readFile(fixture("v2-amnesty.txt"), "utf8");

    const result = await runCli(["diff", fixture("v1-draft.txt"), "-", "--format", "json"], { input });

    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).new.source).toBe("-");
  });

  it("fetches a version from a URL", async () => {
    const body = await readFile(fixture("article.html"));
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(body);
    });
    try {
      const result = await runCli([
        "diff",
        fixture("v1-draft.txt"),
        `${server.url}/plan`,
        "--format",
        "json",
      ]);

      const parsed = JSON.parse(result.stdout);
      expect(result.status).toBe(1);
      const changed = parsed.entries.filter(
        (entry: { kind: string; context?: boolean }) => entry.kind === "modified" && !entry.context,
      );
      expect(changed.map((entry: { old: string[] }) => entry.old)).toEqual([["26"]]);
    } finally {
      await server.close();
    }
  });

  it("renders Markdown and escaped HTML", async () => {
    const hostile = join(dir, "hostile.txt");
    await writeFile(
      hostile,
      "1. First clause <script>alert(1)</script> stays.\n2. Second <img src=x onerror=alert(2)> clause.\n",
    );
    const edited = join(dir, "edited.txt");
    await writeFile(
      edited,
      "1. First clause <script>alert(1)</script> goes.\n2. Second <img src=x onerror=alert(2)> clause.\n",
    );

    const markdown = await runCli(["diff", hostile, edited, "--format", "markdown"]);
    const html = await runCli(["diff", hostile, edited, "--format", "html"]);

    expect(markdown.stdout).toMatch(/~~stays~~/);
    expect(markdown.stdout).toMatch(/\*\*goes\*\*/);
    expect(html.stdout).toContain("<del>stays</del>");
    expect(html.stdout).not.toContain("<script>alert(1)</script>");
    expect(html.stdout).toContain("&lt;script&gt;");
  });

  it("colours the redline when asked", async () => {
    const result = await runCli(["diff", fixture("v1-draft.txt"), fixture("v2-amnesty.txt"), "--color"]);

    expect(result.stdout).toContain("\u001b[32m");
  });

  it("exits 2 with a message naming the input when a file is missing or holds no text", async () => {
    const prose = join(dir, "prose.txt");
    await writeFile(prose, "   \n\n");

    const missing = await runCli(["diff", join(dir, "nope.txt"), fixture("v1-draft.txt")]);
    const noList = await runCli(["diff", prose, fixture("v1-draft.txt")]);
    const badFormat = await runCli(["diff", prose, prose, "--format", "yaml"]);

    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.txt: cannot read input \(no such file\)/);
    expect(noList.status).toBe(2);
    expect(noList.stderr).toMatch(/prose\.txt: no text to read/);
    expect(badFormat.status).toBe(2);
  });

  it("stops quietly when the reader closes the pipe early (diff | head)", async () => {
    // Far more output than a pipe holds, so the writes go on after the reader has gone.
    const pair = generatePair({ clauses: 1_000, seed: 5 });
    await writeFile(join(dir, "long-old.txt"), pair.oldText);
    await writeFile(join(dir, "long-new.txt"), pair.newText);
    const script = `"${process.execPath}" "${CLI}" diff --all long-old.txt long-new.txt | head -c 10 >/dev/null; echo "status \${PIPESTATUS[0]}" >&2`;

    const run = spawnSync("bash", ["-c", script], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });

    expect(run.stderr).toBe("status 1\n");
  });
});
