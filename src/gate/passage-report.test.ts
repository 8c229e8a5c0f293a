import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nearestRank, passageReport, type ReportRow } from './passage-report.ts';

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

test('report: counts, auto-release rate (overridden releases are not automatic), percentiles in ms sorted numerically', () => {
  const rows: ReportRow[] = [
    { decision: 'release', override_decision: null, decision_us: 900 },
    { decision: 'release', override_decision: null, decision_us: 10_000 },
    { decision: 'release', override_decision: 'hold', decision_us: 2_000 },
    { decision: 'hold', override_decision: 'release', decision_us: 350 },
    { decision: 'inspect', override_decision: null, decision_us: 100_000 },
  ];
  const r = passageReport(rows);
  assert.deepEqual(r.byDecision, { release: 3, inspect: 1, hold: 1 });
  assert.equal(r.overridden, 2);
  assert.equal(r.autoReleaseRate, 2 / 5);
  // numeric order (as text, 10 ms would sort before 2 ms)
  assert.deepEqual(r.decisionMs, { p50: 2, p95: 100, p99: 100, max: 100 });
  assert.deepEqual(passageReport([]).decisionMs, { p50: null, p95: null, p99: null, max: null });
  assert.equal(passageReport([]).autoReleaseRate, null);
});
