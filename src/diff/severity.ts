/**
 * The order of severities, apart from the diff engine: alerts and the worker's quiet paths
 * compare severities without loading it.
 */
/** Every severity, lowest first: the diff contract's enum is built from this list. */
export const severities = ["none", "cosmetic", "minor", "substantive"] as const;
export type Severity = (typeof severities)[number];

export const SEVERITY_RANK: Record<Severity, number> = { none: 0, cosmetic: 1, minor: 2, substantive: 3 };

export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

export function maxSeverity(...values: Severity[]): Severity {
  return values.reduce((top, value) => (SEVERITY_RANK[value] > SEVERITY_RANK[top] ? value : top), "none");
}
