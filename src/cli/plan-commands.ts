import { readCoverage } from "../coverage/index.js";
import { InputError } from "../errors.js";
import { readLineage, type VersionRecord, type WitnessRecord } from "../lineage/index.js";
import { openConfiguredStore, type SnapshotStore } from "../store/index.js";
import { requireConfig } from "./context.js";
import { pad } from "./format.js";

function requirePlan(config: Awaited<ReturnType<typeof requireConfig>>, planId: string) {
  const plan = config.plans.find((candidate) => candidate.id === planId);
  if (!plan) {
    const known = config.plans.map((candidate) => candidate.id).join(", ");
    throw new InputError(`unknown plan "${planId}" (known: ${known || "none"})`);
  }
  return plan;
}

/** Reads from the configured store without taking its lock (safe beside a worker). */
async function readOnly<T>(
  config: Awaited<ReturnType<typeof requireConfig>>,
  read: (store: SnapshotStore) => Promise<T>,
): Promise<T> {
  const store = await openConfiguredStore(config.storage, { readOnly: true });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

/** `clausewatch versions PLAN`: the plan's versions with their witnesses and divergent copies. */
export async function runVersionsCommand(
  planId: string,
  options: { config?: string; json: boolean },
): Promise<number> {
  const config = await requireConfig(options.config, { readOnly: true });
  const plan = requirePlan(config, planId);
  const records = await readOnly(config, (store) => readLineage(store, plan.id));
  const versions = records.filter((record): record is VersionRecord => record.type === "version");
  const witnesses = records.filter((record): record is WitnessRecord => record.type === "witness");
  // The kept clause fingerprints are the lineage's ranking data, not something to read.
  const rows = versions.map(({ clauseFingerprints: _ranking, ...version }) => {
    const seen = witnesses.filter((witness) => witness.version === version.id);
    const sources = (relation: WitnessRecord["relation"][]) => [
      ...new Set(
        seen.filter((witness) => relation.includes(witness.relation)).map((witness) => witness.sourceId),
      ),
    ];
    return {
      ...version,
      witnesses: sources(["new-version", "witness"]),
      divergent: seen
        .filter((witness) => witness.relation === "divergent")
        .map((witness) => ({
          source: witness.sourceId,
          reason: witness.reason,
          departures: witness.departures ?? [],
        })),
    };
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ plan, versions: rows }, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    process.stdout.write(`${plan.title}: no versions yet (run a check first)\n`);
    return 0;
  }
  const lines = [
    `${plan.title}`,
    `${pad("VERSION", 8)} ${pad("FIRST SEEN", 20)} ${pad("PARENT", 7)} ${pad("CLAUSES", 8)} CHANGES FROM PARENT / WITNESSES`,
  ];
  for (const row of rows) {
    const changes = row.summary
      ? Object.entries(row.summary)
          .filter(([kind, count]) => count > 0 && kind !== "unchanged" && kind !== "renumbered")
          .map(([kind, count]) => `${count} ${kind}`)
          .join(", ")
      : "";
    lines.push(
      `${pad(row.id, 8)} ${pad(row.firstSeen.slice(0, 19).replace("T", " "), 20)} ${pad(row.parent ?? "-", 7)} ${pad(String(row.clauses), 8)} ${changes}`.trimEnd(),
      `${" ".repeat(46)}seen at ${row.witnesses.join(", ")}`,
    );
    for (const divergent of row.divergent) {
      lines.push(
        `${" ".repeat(46)}divergent: ${divergent.source} (${divergent.reason}; ${divergent.departures.join(", ")})`,
      );
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

/** `clausewatch coverage PLAN [--clause KEY]`: mentions of clauses in coverage, reported variants, figure mismatches. */
export async function runCoverageCommand(
  planId: string,
  options: { config?: string; clause?: string; json: boolean },
): Promise<number> {
  const config = await requireConfig(options.config, { readOnly: true });
  const plan = requirePlan(config, planId);
  const records = (await readOnly(config, (store) => readCoverage(store, plan.id))).filter(
    (record) => options.clause === undefined || record.clauseKey === options.clause,
  );
  const mentions = records.filter((record) => record.type === "mention");
  const variants = records.filter((record) => record.type === "variant");
  const mismatches = records.filter((record) => record.type === "mismatch");
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ plan, mentions, variants, mismatches }, null, 2)}\n`);
    return 0;
  }
  const short = (text: string, max = 110) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
  const lines = [`${plan.title}${options.clause ? ` — point ${options.clause}` : ""}`];
  lines.push("", `Reported variants (${variants.length})`);
  for (const variant of variants) {
    lines.push(
      `  point ${variant.clauseKey} [${variant.sourceId}, ${variant.at.slice(0, 10)}] "${variant.cue}"`,
      ...(variant.earlier ? [`    earlier: ${short(variant.earlier)}`] : []),
      ...(variant.later ? [`    later:   ${short(variant.later)}`] : []),
    );
  }
  lines.push("", `Figure mismatches (${mismatches.length})`);
  for (const mismatch of mismatches) {
    lines.push(
      `  point ${mismatch.clauseKey} [${mismatch.sourceId}]: ${mismatch.reported} vs ${mismatch.version} ${mismatch.tracked}`,
    );
  }
  lines.push("", `Mentions (${mentions.length})`);
  for (const mention of mentions) {
    lines.push(
      `  point ${pad(mention.clauseKey, 4)} ${pad(mention.via.join("+"), 16)} [${mention.sourceId}] ${short(mention.passage, 90)}`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
