import { expect } from "vitest";
import { ConfigError } from "../../src/errors.js";

/** Runs `act`, expects a ConfigError and returns its problem lines. */
export function problemsOf(act: () => unknown): string[] {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError, but the config was accepted");
}

export const CONFIG_FILE = "/srv/clausewatch/clausewatch.yaml";

/** A small valid config in YAML; tests append to or edit it. */
export const MINIMAL_YAML = `
plans:
  - id: peace-plan
    title: Peace plan
sources:
  - id: wire
    plan: peace-plan
    url: https://example.org/full-text
`;
