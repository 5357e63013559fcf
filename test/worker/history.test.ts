import { describe, expect, it } from "vitest";
import type { SourceState } from "../../src/store/index.js";
import { classifyVersion } from "../../src/worker/history.js";

function stateWith(recent: string[], flapping?: string[]): SourceState {
  return {
    sourceId: "wire",
    consecutiveFailures: 0,
    health: "ok",
    recentClauseSetHashes: [],
    recentTexts: recent,
    ...(flapping ? { flapping: { hashes: flapping, since: "2025-11-20T10:00:00.000Z" } } : {}),
  };
}

/** Feeds texts one after another as the worker does, carrying the window and the flapping pair. */
function replay(texts: string[], window = 6): string[] {
  let state = stateWith([]);
  const histories: string[] = [];
  for (const text of texts) {
    const { history, recent } = classifyVersion(state, text, window);
    histories.push(history);
    state = {
      ...state,
      recentTexts: recent,
      ...(history === "flapping" ? { flapping: { hashes: [...new Set(recent.slice(-2))], since: "x" } } : {}),
    };
    if (history === "new" || history === "reversion") delete state.flapping;
  }
  return histories;
}

describe("classifyVersion", () => {
  it("calls a text never seen before new and appends it to the window", () => {
    const result = classifyVersion(stateWith(["a", "b"]), "c", 6);

    expect(result).toEqual({ history: "new", recent: ["a", "b", "c"] });
  });

  it("calls the first text of a source new", () => {
    const result = classifyVersion(stateWith([]), "a", 6);

    expect(result).toEqual({ history: "new", recent: ["a"] });
  });

  it("calls a return to an earlier text a reversion", () => {
    const result = classifyVersion(stateWith(["a", "b", "c"]), "a", 6);

    expect(result.history).toBe("reversion");
    expect(result.recent).toEqual(["a", "b", "c", "a"]);
  });

  it("calls v1 → v2 → v1 a reversion, not flapping yet", () => {
    expect(replay(["v1", "v2", "v1"])).toEqual(["new", "new", "reversion"]);
  });

  it("calls the fourth swing of A B A B flapping", () => {
    const result = classifyVersion(stateWith(["a", "b", "a"]), "b", 6);

    expect(result.history).toBe("flapping");
  });

  it("calls further swings between the same pair still-flapping", () => {
    const result = classifyVersion(stateWith(["a", "b", "a", "b"], ["a", "b"]), "a", 6);

    expect(result.history).toBe("still-flapping");
  });

  it("summarises A B A B A B as one flapping then still-flapping", () => {
    expect(replay(["a", "b", "a", "b", "a", "b"])).toEqual([
      "new",
      "new",
      "reversion",
      "flapping",
      "still-flapping",
      "still-flapping",
    ]);
  });

  it("calls swinging between a different pair flapping again, not still-flapping", () => {
    const result = classifyVersion(stateWith(["a", "b", "c", "d", "c"], ["a", "b"]), "d", 6);

    expect(result.history).toBe("flapping");
  });

  it("calls a new text after flapping new", () => {
    const result = classifyVersion(stateWith(["a", "b", "a", "b"], ["a", "b"]), "c", 6);

    expect(result.history).toBe("new");
  });

  it("does not call three distinct texts in turn flapping", () => {
    expect(replay(["a", "b", "c", "a", "b", "c"])).toEqual([
      "new",
      "new",
      "new",
      "reversion",
      "reversion",
      "reversion",
    ]);
  });

  it("recognises A B A B as flapping with the smallest window the config accepts (2)", () => {
    const histories = [2, 3].map((window) => replay(["a", "b", "a", "b", "a", "b"], window));

    expect(histories).toEqual([
      ["new", "new", "reversion", "flapping", "still-flapping", "still-flapping"],
      ["new", "new", "reversion", "flapping", "still-flapping", "still-flapping"],
    ]);
  });

  it("remembers the last `window` texts for reversions (four at least, for flapping) and forgets older ones", () => {
    const result = classifyVersion(stateWith(["a", "b", "c"]), "d", 3);

    expect(result.recent).toEqual(["a", "b", "c", "d"]);
    expect(classifyVersion({ ...stateWith(result.recent) }, "a", 3).history).toBe("new");
  });
});
