import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createNotifiers } from "../../src/alert/index.js";
import { notifierDrivers } from "../../src/alert/notifiers/index.js";
import type { NotifierConfig } from "../../src/config/index.js";
import { NotifyError } from "../../src/errors.js";
import { silentLogger } from "./delivery-support.js";

const NOTIFIERS_DIR = fileURLToPath(new URL("../../src/alert/notifiers/", import.meta.url));

/** Driver names as the folder holds them: one kebab-case file per driver. */
function driverFiles(): string[] {
  return readdirSync(NOTIFIERS_DIR)
    .filter((file) => file.endsWith(".ts") && file !== "index.ts" && file !== "common.ts")
    .map((file) => file.replace(/\.ts$/, ""))
    .sort();
}

describe("the notifier registry", () => {
  it("has an entry for every driver file in src/alert/notifiers", () => {
    const files = driverFiles();

    const missing = files.filter((name) => notifierDrivers[name] === undefined);

    expect(files).toContain("log");
    expect(missing, `driver files without a registry entry: ${missing.join(", ")}`).toEqual([]);
  });

  it("has no entry without a driver file", () => {
    expect(Object.keys(notifierDrivers).sort()).toEqual(driverFiles());
  });

  it("accepts each driver's type in its options schema", () => {
    for (const [name, driver] of Object.entries(notifierDrivers)) {
      const result = driver.options.safeParse({ type: "something-else" });
      expect(result.success, `${name} accepted another type`).toBe(false);
    }
  });
});

describe("creating notifiers from the config", () => {
  const context = { storageDir: "/nonexistent", logger: silentLogger };

  it("creates the enabled ones with their config ids", () => {
    const notify = [
      { type: "log", id: "dry-run", enabled: true, minSeverity: "minor" },
      { type: "log", id: "off", enabled: false, minSeverity: "minor" },
    ] as NotifierConfig[];

    const notifiers = createNotifiers({ notify }, context);

    expect(notifiers.map((notifier) => `${notifier.type}/${notifier.id}`)).toEqual(["log/dry-run"]);
  });

  it("refuses to start with every unusable notifier named", () => {
    const notify = [
      { type: "carrier-pigeon", id: "bird", enabled: true, minSeverity: "minor" },
      { type: "webhook", id: "hook", enabled: true, minSeverity: "minor" },
    ] as unknown as NotifierConfig[];

    const attempt = () => createNotifiers({ notify }, context);

    expect(attempt).toThrow(NotifyError);
    expect(attempt).toThrow(
      /notifier "bird": unknown type "carrier-pigeon".*notifier "hook": webhook notifier: invalid options/,
    );
  });
});
