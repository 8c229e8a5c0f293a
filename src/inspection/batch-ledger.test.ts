import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newBatch, assessBatch, writeOff, writeOffOrThrow, toGrams, effectiveState, type InspectionBatch } from './batch-ledger.ts';

const T0 = Date.parse('2026-01-20T02:00:00Z');
const DAY = 86_400_000;
const passed = (kg: number, expiresAt = T0 + 14 * DAY) => assessBatch(newBatch('B1', kg, expiresAt), true);

test('batch ledger: a sequence of shipments draws down to zero and never beyond', () => {
  let b = passed(26000);
  const seq: Array<[number, string]> = [
    [10000, 'ok'],
    [10000, 'ok'],
    [6000.5, 'over_draw'],
    [6000, 'ok'],
    [0.001, 'batch_exhausted'],
  ];
  for (const [q, want] of seq) {
    const r = writeOff(b, q, T0 + 1000);
    assert.equal(r.ok ? 'ok' : r.code, want, `draw ${q}`);
    if (r.ok) b = r.batch;
  }
  assert.equal(b.remainingKg, 0);
  assert.equal(b.state, 'exhausted');
  assert.throws(() => writeOffOrThrow(b, 1, T0), (e) => (e as { code: string; status: number }).code === 'batch_exhausted' && (e as { status: number }).status === 409);
});

test('batch ledger: not passed, expired, invalid quantities; inputs are not mutated', () => {
  const pending = newBatch('B2', 100, T0 + DAY);
  assert.equal((writeOff(pending, 1, T0) as { code: string }).code, 'batch_not_passed');
  assert.equal((writeOff(assessBatch(pending, false), 1, T0) as { code: string }).code, 'batch_not_passed');
  const b = passed(100, T0 + DAY);
  assert.equal((writeOff(b, 1, T0 + DAY) as { code: string }).code, 'batch_expired', 'expiry instant is exclusive');
  assert.equal(writeOff(b, 1, T0 + DAY - 1).ok, true);
  assert.equal(effectiveState(b, T0 + DAY), 'expired');
  for (const q of [0, -1, Number.NaN, Infinity, 0.0001]) assert.equal((writeOff(b, q, T0) as { code: string }).code, 'invalid_quantity', `q=${q}`);
  assert.equal(b.remainingKg, 100);
  assert.throws(() => assessBatch(b, true), (e) => (e as { code: string }).code === 'invalid_transition');
});

test('batch ledger property: random shipments never over-draw; drawn + remaining = quantity exactly', () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let run = 0; run < 300; run++) {
    const qty = Math.round(rnd() * 50_000_000) / 1000 + 0.001;
    let b: InspectionBatch = passed(qty);
    let drawnG = 0;
    for (let i = 0; i < 40; i++) {
      const q = Math.round(rnd() * qty * 0.4 * 1000) / 1000;
      const before = toGrams(b.remainingKg);
      const r = writeOff(b, q, T0 + i);
      if (r.ok) {
        drawnG += toGrams(q);
        b = r.batch;
        assert.ok(toGrams(q) <= before);
      } else {
        assert.ok(['over_draw', 'batch_exhausted', 'invalid_quantity'].includes(r.code), r.code);
        if (r.code === 'over_draw') assert.ok(toGrams(q) > before);
      }
      assert.ok(b.remainingKg >= 0);
      assert.equal(drawnG + toGrams(b.remainingKg), toGrams(qty));
    }
    // Drawing exactly what is left always succeeds and exhausts the batch.
    if (b.state === 'passed') {
      const r = writeOff(b, b.remainingKg, T0 + 100);
      assert.ok(r.ok);
      assert.equal(r.batch.state, 'exhausted');
    }
  }
});
