/**
 * The gate report, pure: passages counted per (decision, overridden or not, decision time) in,
 * counts by decision, auto-release rate and decision-time percentiles out. The database aggregates
 * in one GROUP BY (one statement, so one snapshot), so a month of a busy gate is a few thousand
 * rows here instead of one JS object per passage held in memory while the lanes wait. Percentiles
 * are nearest-rank (the smallest time at least p% of passages did not exceed), so p99 of 100
 * passages is the 99th fastest, not the slowest; counting per value keeps them exact.
 */
import type { Decision } from './gate-decision.ts';

/** How many passages had this decision, were overridden or not, and took exactly `decision_us` µs to decide. */
export interface PassageCount { decision: Decision; overridden: number | boolean | string; decision_us: number; n: number | string | bigint }

/** Nearest-rank rank (1-based) of percentile p among `total` values. */
const rankOf = (total: number, p: number) => Math.min(total, Math.max(1, Math.ceil((p * total) / 100))); // whole numbers first: (7 / 100) × 100 is 7.000000000000001

/** Nearest-rank percentile of ascending values; null when there are none. */
export function nearestRank(sorted: number[], p: number): number | null {
  return sorted.length ? sorted[rankOf(sorted.length, p) - 1] : null;
}

/** Nearest-rank percentile of values given as ascending (value, count) pairs. */
export function nearestRankCounted(times: Array<{ value: number; n: number }>, total: number, p: number): number | null {
  if (!total) return null;
  const rank = rankOf(total, p);
  let seen = 0;
  for (const t of times) if ((seen += t.n) >= rank) return t.value;
  return times.at(-1)?.value ?? null;
}

export function passageReport(counts: PassageCount[]) {
  const byDecision: Record<Decision, number> = { release: 0, inspect: 0, hold: 0 };
  let overridden = 0, autoReleased = 0, passages = 0;
  const perValue = new Map<number, number>();
  for (const c of counts) {
    const n = Number(c.n);
    passages += n;
    byDecision[c.decision] += n;
    if (Number(c.overridden)) overridden += n;
    else if (c.decision === 'release') autoReleased += n;
    const ms = Number(c.decision_us) / 1000;
    perValue.set(ms, (perValue.get(ms) ?? 0) + n);
  }
  // numeric order whatever the database returned (as text, 10 ms would sort before 2 ms)
  const times = [...perValue].map(([value, n]) => ({ value, n })).sort((a, b) => a.value - b.value);
  return {
    passages, byDecision, overridden,
    autoReleaseRate: passages ? autoReleased / passages : null,
    decisionMs: { p50: nearestRankCounted(times, passages, 50), p95: nearestRankCounted(times, passages, 95), p99: nearestRankCounted(times, passages, 99), max: times.at(-1)?.value ?? null },
  };
}
