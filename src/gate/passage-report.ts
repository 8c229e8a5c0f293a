/**
 * The gate report, pure: passage counts (by decision, overridden or not) and the decision times
 * counted per distinct value in, counts by decision, auto-release rate and decision-time
 * percentiles out. The database aggregates (GROUP BY), so a month of a busy gate is a few thousand
 * rows here instead of one JS object per passage held in memory while the lanes wait. Percentiles
 * are nearest-rank (the smallest time at least p% of passages did not exceed), so p99 of 100
 * passages is the 99th fastest, not the slowest; counting per value keeps them exact.
 */
import type { Decision } from './gate-decision.ts';

/** One group of passages: a decision, whether it was overridden, how many. */
export interface DecisionCount { decision: Decision; overridden: number | boolean; n: number | string | bigint }
/** How many passages took exactly `decision_us` µs to decide. */
export interface TimeCount { decision_us: number; n: number | string | bigint }

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

export function passageReport(groups: DecisionCount[], timeCounts: TimeCount[]) {
  const byDecision: Record<Decision, number> = { release: 0, inspect: 0, hold: 0 };
  let overridden = 0, autoReleased = 0, passages = 0;
  for (const g of groups) {
    const n = Number(g.n);
    passages += n;
    byDecision[g.decision] += n;
    if (Number(g.overridden)) overridden += n;
    else if (g.decision === 'release') autoReleased += n;
  }
  // numeric order whatever the database returned (as text, 10 ms would sort before 2 ms)
  const times = timeCounts.map((t) => ({ value: Number(t.decision_us) / 1000, n: Number(t.n) })).sort((a, b) => a.value - b.value);
  const total = times.reduce((a, t) => a + t.n, 0);
  return {
    passages, byDecision, overridden,
    autoReleaseRate: passages ? autoReleased / passages : null,
    decisionMs: { p50: nearestRankCounted(times, total, 50), p95: nearestRankCounted(times, total, 95), p99: nearestRankCounted(times, total, 99), max: times.at(-1)?.value ?? null },
  };
}
