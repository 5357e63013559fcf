import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { v8FlagsFor } from "../../src/v8-tuning.js";

const TUNING = fileURLToPath(new URL("../../dist/src/v8-tuning.js", import.meta.url));

/**
 * A child Node that applies the program's tuning, then runs a small WebAssembly function hot, as
 * undici's parser runs at every response, and says which of V8's tiers its code is in.
 */
function tierAfterHotLoop(tune: boolean): { liftoff: boolean; turbofan: boolean } {
  const script = `
    ${tune ? `const { tuneV8 } = await import(${JSON.stringify(TUNING)}); tuneV8();` : ""}
    // (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,7,1,96,2,127,127,1,127,3,2,1,0,7,7,1,3,97,100,100,0,0,10,9,1,7,0,32,0,32,1,106,11]);
    const { add } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
    let sum = 0;
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 1e6; i++) sum = add(sum, 1) | 0;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.log(JSON.stringify({ liftoff: %IsLiftoffFunction(add), turbofan: %IsTurboFanFunction(add) }));
  `;
  const out = execFileSync(
    process.execPath,
    ["--allow-natives-syntax", "--input-type=module", "-e", script],
    {
      encoding: "utf8",
    },
  );
  return JSON.parse(out) as { liftoff: boolean; turbofan: boolean };
}

describe("V8 tuning at start", () => {
  it("keeps WebAssembly on baseline code on Node 20 and 21 only: later Nodes compile lazily and freeze their flags", () => {
    expect(v8FlagsFor("20.18.1")).toEqual(["--liftoff-only"]);
    expect(v8FlagsFor("21.7.3")).toEqual(["--liftoff-only"]);
    expect(v8FlagsFor("22.1.0")).toEqual([]);
    expect(v8FlagsFor("24.11.0")).toEqual([]);
  });

  it.runIf(v8FlagsFor(process.versions.node).length > 0)(
    "takes effect in a running process: a hot WebAssembly function is never recompiled by the optimising tier",
    () => {
      // Without the tuning the same loop ends on optimised code, so this is what the flag changes.
      expect(tierAfterHotLoop(false)).toEqual({ liftoff: false, turbofan: true });
      expect(tierAfterHotLoop(true)).toEqual({ liftoff: true, turbofan: false });
    },
  );
});
