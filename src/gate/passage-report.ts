/**
 * The gate report, pure: passages in, counts by decision, auto-release rate and decision-time
 * percentiles out. Percentiles are nearest-rank (the smallest time at least p% of passages did
 * not exceed), so p99 of 100 passages is the 99th fastest, not the slowest.
 */
import type { Decision } from './gate-decision.ts';

export interface ReportRow { decision: Decision; override_decision: string | null; decision_us: number }

/** Nearest-rank percentile of ascending values; null when there are none. */
export function nearestRank(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.ceil((p * sorted.length) / 100); // whole numbers first: (7 / 100) × 100 is 7.000000000000001
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function passageReport(rows: ReportRow[]) {
  const byDecision: Record<Decision, number> = { release: 0, inspect: 0, hold: 0 };
  let overridden = 0, autoReleased = 0;
  const ms = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    byDecision[r.decision]++;
    if (r.override_decision) overridden++;
    else if (r.decision === 'release') autoReleased++;
    ms[i] = r.decision_us / 1000;
  });
  const sorted = Array.from(ms.sort());
  return {
    passages: rows.length, byDecision, overridden,
    autoReleaseRate: rows.length ? autoReleased / rows.length : null,
    decisionMs: { p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95), p99: nearestRank(sorted, 99), max: sorted.at(-1) ?? null },
  };
}
