import v8 from "node:v8";

/**
 * V8 flags for this program's runs on the Node it runs on.
 *
 * Node 20's V8 compiles undici's HTTP parser, a WebAssembly module, a second time with its
 * optimising tier once requests begin: about 90 ms and 35 MB of a one-source `check`. That is a
 * quarter of the run, spent on a parser that reads a few headers per response, and the process
 * waits for the compile to finish before it exits. With baseline code alone (`--liftoff-only`)
 * the same checks take the same CPU. Node 22 and later freeze V8's flags once running, and
 * compile the module lazily anyway, so they get none.
 */
export function v8FlagsFor(nodeVersion: string): string[] {
  const major = Number(nodeVersion.split(".")[0]);
  return major < 22 ? ["--liftoff-only"] : [];
}

/** Sets the flags `v8FlagsFor` gives for this process's Node; call before the first request. */
export function tuneV8(): void {
  for (const flag of v8FlagsFor(process.versions.node)) v8.setFlagsFromString(flag);
}
