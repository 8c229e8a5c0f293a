import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nearestRank, nearestRankCounted, passageReport, type PassageCount } from './passage-report.ts';

test('nearest-rank percentiles: p99 of 100 values is the 99th, p50 of an even count the lower middle', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(nearestRank(hundred, 99), 99);
  assert.equal(nearestRank(hundred, 50), 50);
  assert.equal(nearestRank(hundred, 100), 100);
  assert.equal(nearestRank([1, 2], 50), 1);
  assert.equal(nearestRank([7], 99), 7);
  assert.equal(nearestRank([], 50), null);
  // (7 / 100) × 100 is 7.000000000000001: a floating-point rank would round up to the 8th value
  assert.equal(nearestRank(hundred, 7), 7);
  assert.equal(nearestRank(Array.from({ length: 1000 }, (_, i) => i + 1), 99), 990);
});

test('counted nearest rank equals nearest rank over the expanded values', () => {
  const values = [5, 5, 5, 7, 9, 9, 12, 12, 12, 12, 40];
  const counted = [...new Set(values)].map((v) => ({ value: v, n: values.filter((x) => x === v).length }));
  for (const p of [1, 7, 25, 50, 90, 95, 99, 100]) assert.equal(nearestRankCounted(counted, values.length, p), nearestRank(values, p), `p${p}`);
  assert.equal(nearestRankCounted([], 0, 50), null);
});

test('report: counts, auto-release rate (overridden releases are not automatic), percentiles in ms sorted numerically', () => {
  // what the GROUP BY returns for five passages; counts may come back as strings (PostgreSQL) or bigint
  const counts: PassageCount[] = [
    { decision: 'release', overridden: 0, decision_us: 900, n: 1 },
    { decision: 'release', overridden: 0, decision_us: 10_000, n: 1 },
    { decision: 'release', overridden: '1', decision_us: 2_000, n: '1' },
    { decision: 'hold', overridden: true, decision_us: 350, n: 1n },
    { decision: 'inspect', overridden: 0, decision_us: 100_000, n: 1 },
  ];
  const r = passageReport(counts);
  assert.equal(r.passages, 5);
  assert.deepEqual(r.byDecision, { release: 3, inspect: 1, hold: 1 });
  assert.equal(r.overridden, 2);
  assert.equal(r.autoReleaseRate, 2 / 5);
  // numeric order (as text, 10 ms would sort before 2 ms)
  assert.deepEqual(r.decisionMs, { p50: 2, p95: 100, p99: 100, max: 100 });
  assert.deepEqual(passageReport([]).decisionMs, { p50: null, p95: null, p99: null, max: null });
  assert.equal(passageReport([]).autoReleaseRate, null);
  // one decision time under several decisions counts once per passage, wherever it came from
  const merged = passageReport([{ decision: 'release', overridden: 0, decision_us: 500, n: 3 }, { decision: 'hold', overridden: 0, decision_us: 500, n: 1 }, { decision: 'inspect', overridden: 0, decision_us: 9_000, n: 1 }]);
  assert.deepEqual([merged.passages, merged.decisionMs.p50, merged.decisionMs.p95, merged.decisionMs.max], [5, 0.5, 9, 9]);
});
