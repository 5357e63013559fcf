/**
 * `npm run bench`: every benchmark in turn, each under a header. A bench that throws is reported
 * and the others still run; the exit status is then 1 so `npm run check` notices.
 */
import { pathToFileURL } from "node:url";
import { runCycleBench } from "./cycle.js";
import { runDiffBench } from "./diff.js";
import { runDocumentsBench } from "./documents.js";
import { runExtractBench } from "./extract.js";
import { runHistoryBench } from "./history.js";
import { runLineageBench } from "./lineage.js";
import { runPostgresBench } from "./postgres.js";
import { runUnattendedBench } from "./unattended.js";

interface Bench {
  title: string;
  run: () => Promise<unknown>;
}

const BENCHES: Bench[] = [
  { title: "clause engine: parse + diff", run: runDiffBench },
  { title: "extraction quality and speed", run: runExtractBench },
  { title: "worker cycle side by side with urlwatch, and history growth", run: runCycleBench },
  { title: "unattended: same-host politeness, hostile markup", run: runUnattendedBench },
  { title: "PDF, Word and feeds: speed and hostile inputs", run: runDocumentsBench },
  { title: "postgres: queue cycle with 1-3 workers, history pages fs vs postgres", run: runPostgresBench },
  { title: "history pages at 1,000 versions and at 3,000 clauses", run: runHistoryBench },
  {
    title: "lineage: one new copy against 1 version vs 50 versions and 100 witnesses",
    run: runLineageBench,
  },
];

function header(title: string, index: number): string {
  const line = `== [${index + 1}/${BENCHES.length}] ${title} `;
  return `\n${line.padEnd(100, "=")}`;
}

export async function runAllBenches(): Promise<boolean> {
  const failed: string[] = [];
  for (const [index, bench] of BENCHES.entries()) {
    console.log(header(bench.title, index));
    const started = performance.now();
    try {
      await bench.run();
    } catch (error) {
      failed.push(bench.title);
      console.error(`bench "${bench.title}" failed:`, error);
    }
    console.log(`-- ${bench.title}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  if (failed.length > 0) console.error(`\n${failed.length} bench(es) failed: ${failed.join("; ")}`);
  return failed.length === 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!(await runAllBenches())) process.exitCode = 1;
}
