import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { defaultThreads } from "../../src/config/normalize.js";
import { CONFIG_FILE, MINIMAL_YAML, problemsOf } from "./helpers.js";

describe("parseConfig", () => {
  it("applies defaults to every setting the user left out", () => {
    const config = parseConfig(MINIMAL_YAML, { file: CONFIG_FILE, env: {} });

    expect(config.schedule).toBe("*/10 * * * *");
    expect(config.timezone).toBeUndefined();
    expect(config.jitterSeconds).toBe(30);
    expect(config.concurrency).toBe(16);
    expect(config.lockLeaseMs).toBe(30_000);
    expect(config.threads).toBe(defaultThreads(availableParallelism()));
    expect(config.http).toEqual({
      timeoutMs: 30_000,
      maxBytes: 5_242_880,
      maxRedirects: 5,
      userAgent: "clausewatch/0.1",
      headers: {},
      retries: { attempts: 3, baseDelayMs: 500, maxDelayMs: 30_000 },
      perHost: 2,
      politenessMs: 1000,
    });
    expect(config.health).toEqual({ failureThreshold: 3 });
    expect(config.flapping).toEqual({ window: 6 });
    expect(config.log).toEqual({ level: "info", format: "json" });
    expect(config.notify).toEqual([
      {
        type: "log",
        id: "log",
        minSeverity: "minor",
        enabled: true,
        timeoutMs: 10_000,
        retry: { baseDelayMs: 5_000, maxDelayMs: 600_000, giveUpAfterMinutes: 1_440 },
      },
    ]);
    expect(config.sources[0]).toEqual({
      id: "wire",
      plan: "peace-plan",
      role: "draft",
      url: "https://example.org/full-text",
      kind: "http",
      ignore: [],
      schedule: "*/10 * * * *",
      jitterSeconds: 30,
      format: "auto",
      enabled: true,
      deadlineMs: 120_000,
      http: config.http,
    });
  });

  it("reads the same settings from JSON as from YAML", () => {
    const json = JSON.stringify({
      plans: [{ id: "peace-plan", title: "Peace plan" }],
      sources: [{ id: "wire", plan: "peace-plan", url: "https://example.org/full-text" }],
    });

    const fromJson = parseConfig(json, { file: "/srv/clausewatch/clausewatch.json", env: {} });
    const fromYaml = parseConfig(MINIMAL_YAML, { file: CONFIG_FILE, env: {} });

    expect({ ...fromJson, file: "" }).toEqual({ ...fromYaml, file: "" });
  });

  it("resolves the storage directory and relative file URLs against the config file's directory", () => {
    const text = `
storage: { dir: ./data/snapshots }
plans: [{ id: p, title: P }]
sources:
  - { id: local, plan: p, url: "file:inbox/copy.md" }
  - { id: absolute, plan: p, url: "file:///var/lib/copy.html" }
  - { id: spaced, plan: p, url: "file:../shared/my copy.txt" }
`;

    const config = parseConfig(text, { file: CONFIG_FILE, env: {} });

    expect(config.dir).toBe("/srv/clausewatch");
    expect(config.storageDir).toBe("/srv/clausewatch/data/snapshots");
    expect(config.sources.map((source) => [source.kind, source.url])).toEqual([
      ["file", "file:///srv/clausewatch/inbox/copy.md"],
      ["file", "file:///var/lib/copy.html"],
      ["file", "file:///srv/shared/my%20copy.txt"],
    ]);
  });

  it("gives each source its effective schedule, time zone and HTTP settings", () => {
    const text = `
schedule: "0 * * * *"
timezone: UTC
http:
  headers: { Accept-Language: en, authorization: global }
  retries: { attempts: 2 }
hosts:
  slow.example.org: { politenessMs: 9000 }
plans: [{ id: p, title: P }]
sources:
  - id: fast
    plan: p
    url: https://SLOW.example.org/a
    schedule: "*/5 * * * *"
    timezone: Europe/Kyiv
    headers: { Authorization: "Bearer per-source" }
    http: { timeoutMs: 1000, headers: { X-Extra: "1" }, retries: { maxDelayMs: 2000 } }
  - { id: plain, plan: p, url: "https://other.example.org/b" }
`;

    const config = parseConfig(text, { file: CONFIG_FILE, env: {} });

    const [fast, plain] = config.sources;
    expect(fast).toMatchObject({
      schedule: "*/5 * * * *",
      timezone: "Europe/Kyiv",
      url: "https://slow.example.org/a",
    });
    expect(fast?.http).toMatchObject({
      timeoutMs: 1000,
      maxBytes: 5_242_880,
      headers: { "Accept-Language": "en", Authorization: "Bearer per-source", "X-Extra": "1" },
      retries: { attempts: 2, baseDelayMs: 500, maxDelayMs: 2000 },
      perHost: 2,
      politenessMs: 9000,
    });
    expect(plain).toMatchObject({ schedule: "0 * * * *", timezone: "UTC" });
    expect(plain?.http).toMatchObject({
      timeoutMs: 30_000,
      politenessMs: 1000,
      headers: { authorization: "global" },
    });
    expect(config.hosts).toEqual({ "slow.example.org": { perHost: 2, politenessMs: 9000 } });
  });

  it("keeps the public base URL for alert links and refuses one that is not http(s)", () => {
    const config = parseConfig(`publicBaseUrl: https://desk.example.org/clausewatch\n${MINIMAL_YAML}`, {
      file: CONFIG_FILE,
      env: {},
    });
    const problems = problemsOf(() =>
      parseConfig(`publicBaseUrl: ftp://desk.example.org\n${MINIMAL_YAML}`, { file: CONFIG_FILE, env: {} }),
    );

    expect(config.publicBaseUrl).toBe("https://desk.example.org/clausewatch");
    expect(problems.map((problem) => problem.split(": ")[0])).toEqual(["publicBaseUrl"]);
  });

  it("accepts six-field cron expressions with seconds", () => {
    const config = parseConfig(`schedule: "30 */10 * * * *"\n${MINIMAL_YAML}`, {
      file: CONFIG_FILE,
      env: {},
    });

    expect(config.sources[0]?.schedule).toBe("30 */10 * * * *");
  });

  it("lets YAML anchors and merge keys share settings between sources", () => {
    const text = `
plans: [{ id: p, title: P }]
sources:
  - &common { id: a, plan: p, url: "https://example.org/a", ignore: [".ad"], role: coverage }
  - { <<: *common, id: b, url: "https://example.org/b" }
`;

    const config = parseConfig(text, { file: CONFIG_FILE, env: {} });

    expect(config.sources[1]).toMatchObject({ id: "b", role: "coverage", ignore: [".ad"] });
  });
});

describe("parsing threads by default", () => {
  it("leaves a core to the main thread, which fetches, stores and diffs: one fewer than the cores, from 1 to 4", () => {
    expect([1, 2, 3, 4, 5, 8, 64].map(defaultThreads)).toEqual([1, 1, 2, 3, 4, 4, 4]);
  });
});

describe("parseConfig rules", () => {
  function sourcesYaml(...sources: string[]): string {
    return `plans:\n  - { id: peace-plan, title: Peace plan }\nsources:\n${sources.map((source) => `  - ${source}`).join("\n")}\n`;
  }

  it("reports a duplicate plan id at the second occurrence", () => {
    const text =
      "plans:\n  - { id: p, title: One }\n  - { id: q, title: Two }\n  - { id: p, title: Three }\n";

    expect(problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }))).toEqual([
      'plans[2].id: duplicate plan id "p" (already used by plans[0])',
    ]);
  });

  it("reports duplicate source ids, also when they differ only in case", () => {
    const text = sourcesYaml(
      "{ id: wire, plan: peace-plan, url: 'https://example.org/a' }",
      "{ id: wire, plan: peace-plan, url: 'https://example.org/b' }",
      "{ id: WIRE, plan: peace-plan, url: 'https://example.org/c' }",
    );

    const problems = problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }));

    expect(problems).toEqual([
      'sources[1].id: duplicate source id "wire" (already used by sources[0])',
      'sources[2].id: duplicate source id "WIRE" (already used by sources[0], "wire"; ids are compared ignoring case)',
    ]);
  });

  it("reports a source that names an unknown plan, listing the known ones", () => {
    const text = sourcesYaml("{ id: wire, plan: peace-plna, url: 'https://example.org/a' }");

    expect(problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }))).toEqual([
      'sources[0].plan: unknown plan "peace-plna"; known plans: peace-plan',
    ]);
  });

  it("reports invalid cron expressions globally and per source", () => {
    const text = `schedule: "every ten minutes"\n${sourcesYaml("{ id: wire, plan: peace-plan, url: 'https://example.org/a', schedule: '61 * * * *' }")}`;

    const problems = problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }));

    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^schedule: invalid cron expression "every ten minutes" \(expected 5 or 6 fields/,
    );
    expect(problems[1]).toMatch(
      /^sources\[0\]\.schedule: invalid cron expression "61 \* \* \* \*" \(61 .*minute/,
    );
  });

  it("reports URLs that are neither http(s) nor file", () => {
    const text = sourcesYaml(
      "{ id: a, plan: peace-plan, url: 'ftp://example.org/a' }",
      "{ id: b, plan: peace-plan, url: 'example.org/b' }",
      "{ id: c, plan: peace-plan, url: 'https://' }",
      "{ id: d, plan: peace-plan, url: 'file://fileserver/share/x.html' }",
    );

    const problems = problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }));

    expect(problems.map((problem) => problem.split(": ")[0])).toEqual([
      "sources[0].url",
      "sources[1].url",
      "sources[2].url",
      "sources[3].url",
    ]);
    expect(problems[0]).toBe('sources[0].url: expected an http(s) or file URL, got "ftp://example.org/a"');
  });

  it("reports invalid CSS selectors in select and ignore", () => {
    const text = sourcesYaml(
      "{ id: a, plan: peace-plan, url: 'https://example.org/a', select: 'div[', ignore: ['.ok', ':nonsense'] }",
    );

    const problems = problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }));

    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^sources\[0\]\.select: invalid CSS selector "div\["/);
    expect(problems[1]).toMatch(/^sources\[0\]\.ignore\[1\]: invalid CSS selector ":nonsense"/);
  });

  it("reports source ids outside the allowed characters", () => {
    const text = sourcesYaml(
      "{ id: 'wire service', plan: peace-plan, url: 'https://example.org/a' }",
      "{ id: '-dash-first', plan: peace-plan, url: 'https://example.org/b' }",
      `{ id: '${"x".repeat(65)}', plan: peace-plan, url: 'https://example.org/c' }`,
      "{ id: 'Wire_2.v-1', plan: peace-plan, url: 'https://example.org/d' }",
    );

    const problems = problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }));

    expect(problems.map((problem) => problem.split(": ")[0])).toEqual([
      "sources[0].id",
      "sources[1].id",
      "sources[2].id",
    ]);
    expect(problems[0]).toContain('invalid source id "wire service"');
  });

  it("reports unknown time zones and charsets", () => {
    const text = `timezone: Mars/Olympus\n${sourcesYaml("{ id: a, plan: peace-plan, url: 'https://example.org/a', charset: klingon-8 }")}`;

    const problems = problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }));

    expect(problems).toEqual([
      'timezone: unknown time zone "Mars/Olympus"; expected an IANA name such as "UTC" or "Europe/Kyiv"',
      'sources[0].charset: unknown charset "klingon-8"; expected a WHATWG encoding label such as "utf-8" or "windows-1251"',
    ]);
  });

  it("reports notifiers with duplicate ids, unknown plans or an unknown type", () => {
    const text = `${sourcesYaml("{ id: a, plan: peace-plan, url: 'https://example.org/a' }")}notify:
  - { type: log }
  - { type: log, plans: [peace-plan, other-plan] }
  - { type: carrier-pigeon }
`;

    const problems = problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }));

    expect(problems).toEqual([
      'notify[2].type: unknown type "carrier-pigeon"; expected one of "log", "webhook", "slack", "email", "atom"',
      'notify[1].id: duplicate notifier id "log" (already used by notify[0]); give each notifier of the same type its own id',
      'notify[1].plans[1]: unknown plan "other-plan"; known plans: peace-plan',
    ]);
  });

  it("reports misspelt settings and wrong types with their paths", () => {
    const text = `jitterSecs: 5\nhttp: { timeoutMs: "fast" }\n${sourcesYaml("{ id: a, plan: peace-plan, url: 'https://example.org/a', rol: draft }")}`;

    const problems = problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }));

    expect(problems.map((problem) => problem.split(": ")[0]).sort()).toEqual([
      "http.timeoutMs",
      "jitterSecs",
      "sources[0].rol",
    ]);
  });

  it("reports an empty value once", () => {
    const text = `schedule: ""\n${sourcesYaml("{ id: a, plan: peace-plan, url: '' }")}`;

    const problems = problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }));

    expect(problems.map((problem) => problem.split(": ")[0])).toEqual(["schedule", "sources[0].url"]);
  });

  it("reports a retry base delay above the maximum delay", () => {
    const text = sourcesYaml(
      "{ id: a, plan: peace-plan, url: 'https://example.org/a', http: { retries: { baseDelayMs: 60000 } } }",
    );

    expect(problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }))).toEqual([
      "sources[0].http.retries: effective baseDelayMs 60000 exceeds maxDelayMs 30000; expected baseDelayMs <= maxDelayMs",
    ]);
  });

  it("reports shape problems and cross-field problems of one file together", () => {
    const text = `schedule: "* * *"
plans:
  - { id: p, title: P }
  - { id: p, title: Again }
sources:
  - { id: a, plan: p, url: "gopher://example.org" }
  - { id: a, plan: missing, url: "https://example.org/b", select: "a[" }
  - { plan: p, url: "https://example.org/c" }
`;

    const problems = problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }));

    expect(problems.map((problem) => problem.split(": ")[0]).sort()).toEqual([
      "plans[1].id",
      "schedule",
      "sources[0].url",
      "sources[1].id",
      "sources[1].plan",
      "sources[1].select",
      "sources[2].id",
    ]);
    expect(problems).toContain("sources[2].id: required (expected string)");
  });

  it("puts every problem into the error message too", () => {
    const text = sourcesYaml("{ id: a, plan: nope, url: 'ftp://x' }");

    let message = "";
    try {
      parseConfig(text, { file: "watch.yaml", env: {} });
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toMatch(
      /^invalid configuration in watch\.yaml \(2 problems\):\n {2}- sources\[0\]\.url: .*\n {2}- sources\[0\]\.plan: /,
    );
  });
});

describe("parseConfig environment variables", () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax
  it("replaces ${VAR}, ${VAR:-default} and ${VAR-default} in string values after parsing", () => {
    const text = `
storage: { dir: "\${DATA_DIR:-./snapshots}" }
http:
  userAgent: "\${AGENT-clausewatch}"
  headers: { X-Empty: "[\${EMPTY:-fallback}]", X-Empty-Kept: "[\${EMPTY-fallback}]", X-Literal: "$\${NOT_A_VAR}" }
plans: [{ id: p, title: P }]
sources:
  - id: wire
    plan: p
    url: https://\${WIRE_HOST}/text
    headers: { Authorization: "Bearer \${WIRE_TOKEN}" }
`;
    const env = { WIRE_HOST: "wire.example.org", WIRE_TOKEN: 'tok"en: {x} #', EMPTY: "" };

    const config = parseConfig(text, { file: CONFIG_FILE, env });

    expect(config.storageDir).toBe("/srv/clausewatch/snapshots");
    expect(config.http.userAgent).toBe("clausewatch");
    expect(config.http.headers).toEqual({
      "X-Empty": "[fallback]",
      "X-Empty-Kept": "[]",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax
      "X-Literal": "${NOT_A_VAR}",
    });
    expect(config.sources[0]?.url).toBe("https://wire.example.org/text");
    expect(config.sources[0]?.http.headers.Authorization).toBe('Bearer tok"en: {x} #');
  });

  it("keeps YAML structure intact whatever a variable contains", () => {
    const text = `plans: [{ id: p, title: "\${TITLE}" }]\n`;

    const config = parseConfig(text, {
      file: CONFIG_FILE,
      env: { TITLE: "a\n  - id: injected\n  title: x" },
    });

    expect(config.plans).toHaveLength(1);
    expect(config.plans[0]?.title).toBe("a\n  - id: injected\n  title: x");
  });

  it("reports a missing variable at the value's path, once", () => {
    const text = `
plans: [{ id: p, title: P }]
sources:
  - id: wire
    plan: p
    url: "\${WIRE_URL}"
    headers: { Authorization: "Bearer \${WIRE_TOKEN}" }
`;

    const problems = problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: { UNRELATED: "1" } }));

    expect(problems).toEqual([
      "sources[0].url: environment variable WIRE_URL is not set",
      "sources[0].headers.Authorization: environment variable WIRE_TOKEN is not set",
    ]);
  });

  it("reads process.env when no environment is passed", () => {
    const name = `CLAUSEWATCH_TEST_${process.pid}`;
    process.env[name] = "from-process";

    try {
      const config = parseConfig(`http: { userAgent: "\${${name}}" }\n`, { file: CONFIG_FILE });

      expect(config.http.userAgent).toBe("from-process");
    } finally {
      delete process.env[name];
    }
  });

  it("reports malformed references", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax
    const text = 'http: { userAgent: "${1BAD}", headers: { X-A: "${OPEN" } }\n';

    const problems = problemsOf(() => parseConfig(text, { file: CONFIG_FILE, env: {} }));

    expect(problems).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${VAR} syntax
      'http.userAgent: invalid environment variable reference "${1BAD}"',
      'http.headers.X-A: unterminated "${" (write "$${" for a literal "${")',
    ]);
  });
});

describe("parseConfig syntax errors", () => {
  it("reports a YAML syntax error with file, line and column", () => {
    const text = "plans:\n  - id: p\n    title: [unclosed\nsources: []\n";

    const problems = problemsOf(() => parseConfig(text, { file: "watch.yaml", env: {} }));

    expect(problems[0]).toMatch(/^watch\.yaml:\d+:\d+: YAML syntax error: /);
    expect(Number(problems[0]?.split(":")[1])).toBeGreaterThanOrEqual(3);
  });

  it("explains that a cron expression starting with * needs quotes", () => {
    const problems = problemsOf(() =>
      parseConfig("schedule: */10 * * * *\n", { file: "watch.yaml", env: {} }),
    );

    expect(problems[0]).toMatch(/^watch\.yaml:1:\d+: YAML syntax error: .*quote values that start with "\*"/);
  });

  it("reports duplicate YAML keys with their line", () => {
    const problems = problemsOf(() =>
      parseConfig("schedule: '0 * * * *'\nschedule: '5 * * * *'\n", { file: "w.yml", env: {} }),
    );

    expect(problems).toEqual([
      expect.stringMatching(/^w\.yml:2:1: YAML syntax error: duplicated mapping key/),
    ]);
  });

  it("refuses a few lines of aliases that expand to billions of values, without expanding them", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level <= 8; level++) {
      const name = String.fromCharCode(97 + level);
      const previous = String.fromCharCode(96 + level);
      levels.push(`${name}: &${name} [${Array.from({ length: 10 }, () => `*${previous}`).join(", ")}]`);
    }
    const problems = problemsOf(() => parseConfig(`${levels.join("\n")}\n`, { file: "bomb.yaml", env: {} }));

    expect(problems).toEqual([
      expect.stringMatching(
        /^bomb\.yaml: YAML holds more than 2,000,000 values once its aliases are expanded/,
      ),
    ]);
  });

  it("keeps an unquoted date as the text it was written as", () => {
    const config = parseConfig(
      'plans:\n  - { id: p, title: Plan, description: 2026-12-01 }\nsources:\n  - { id: s, plan: p, url: "https://example.org/a" }\n',
      { file: "w.yaml", env: {} },
    );
    expect(config.plans[0]?.description).toBe("2026-12-01");
  });

  it("reports a JSON syntax error with line and column", () => {
    const unexpected = '{\n  "plans": [],\n  "sources": [,]\n}\n';
    const trailingComma = '{\n  "plans": [],\n}\n';

    const first = problemsOf(() => parseConfig(unexpected, { file: "watch.json", env: {} }));
    const second = problemsOf(() => parseConfig(trailingComma, { file: "watch.json", env: {} }));

    expect(first).toEqual([expect.stringMatching(/^watch\.json:3:15: JSON syntax error: /)]);
    expect(second).toEqual([expect.stringMatching(/^watch\.json:3:1: JSON syntax error: /)]);
  });

  it("refuses an empty file and a file whose top level is not a mapping", () => {
    expect(problemsOf(() => parseConfig("# nothing yet\n", { file: "w.yaml", env: {} }))[0]).toMatch(
      /^\(root\): the file is empty/,
    );
    expect(problemsOf(() => parseConfig("- a\n- b\n", { file: "w.yaml", env: {} }))[0]).toMatch(
      /^\(root\): /,
    );
  });
});
