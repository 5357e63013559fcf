import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import type { ConfigError } from "../../src/errors.js";

const base = `
plans: [{ id: peace-plan, title: Peace plan }]
notify: []
`;

function problems(sources: string): string[] {
  try {
    parseConfig(`${base}sources:\n${sources}`, { file: "/tmp/clausewatch.yaml", env: {} });
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe("document, render and discover settings", () => {
  it("fills their defaults into the runtime config", () => {
    const config = parseConfig(
      `${base}sources:\n  - { id: feed, plan: peace-plan, role: coverage, url: "https://x.example/rss", discover: {} }\n  - { id: app, plan: peace-plan, url: "https://x.example/app", render: browser }\n`,
      { file: "/tmp/clausewatch.yaml", env: {} },
    );

    expect(config.documents).toEqual({ maxPages: 2000, timeoutMs: 60000, maxMemoryMb: 512 });
    expect(config.sources[0]?.discover).toEqual({
      keywords: [],
      planVocabulary: true,
      maxEntriesPerCycle: 20,
      maxAgeHours: 72,
      recheckHours: 48,
      maxArticles: 200,
    });
    expect(config.sources[1]?.render).toEqual({
      executablePath: "/usr/bin/chromium",
      timeoutMs: 30000,
      args: [],
    });
    expect(config.sources[0]?.render).toBeUndefined();
  });

  it("refuses discover on a draft source and render on a PDF source, naming each path", () => {
    expect(
      problems(
        `  - { id: feed, plan: peace-plan, url: "https://x.example/rss", discover: {} }\n  - { id: pdf, plan: peace-plan, url: "https://x.example/a.pdf", format: pdf, render: browser }\n`,
      ),
    ).toEqual([
      "sources[0].discover: discover finds coverage articles; set role: coverage (this source is role: draft)",
      "sources[1].render: render: browser renders web pages; a pdf source is read as served (drop render)",
    ]);
  });

  it("refuses an unknown render mode and an invalid waitFor selector", () => {
    const found = problems(
      `  - { id: app, plan: peace-plan, url: "https://x.example/", render: chrome, waitFor: "li[" }\n`,
    );

    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^sources\[0\]\.render: /);
    expect(found[1]).toMatch(/^sources\[0\]\.waitFor: /);
  });
});
