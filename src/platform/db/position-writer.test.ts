import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from '../../../test/harness.ts';
import { PositionWriter, POSITIONS_STORED } from './position-writer.ts';
import type { PositionRecord, StoredPosition } from '../../devices/position.ts';

const rec = (device: number, serial: number): PositionRecord => ({
  deviceId: `dev_${device}`, terminalId: String(device), fixTime: Date.UTC(2026, 10, 28, 2, 0, 0) + serial * 1000, receivedAt: Date.UTC(2026, 10, 28, 2, 0, 0),
  serial, lat: 24.7, lon: 118.6, altitudeM: 0, speedKmh: 60, heading: 225, alarm: 0, status: 0, batteryPct: 90, lockEvents: [], items: {}, late: false, source: 'http', raw: '{}',
});

test('a backlog is committed in transactions of at most maxBatch records, and every write is answered once stored', async () => {
  const h = await harness('sqlite', { seed: false });
  try {
    const writer = new PositionWriter(h.p.ctx.store, h.p.ctx.bus, { maxBatch: 500, maxDelayMs: 2 });
    const batches: number[] = [];
    const unsub = h.p.ctx.bus.subscribe<StoredPosition[]>(POSITIONS_STORED, (b) => { if (b[0]?.deviceId.startsWith('dev_')) batches.push(b.length); });
    // 40 devices × 100 fixes queued in one tick, as a reconnect storm would; then one write larger than maxBatch.
    const writes = Array.from({ length: 40 }, (_, d) => writer.write(Array.from({ length: 100 }, (_, i) => rec(d, i))));
    const big = writer.write(Array.from({ length: 1200 }, (_, i) => rec(99, i)));
    const results = await Promise.all([...writes, big]);
    unsub();
    assert.deepEqual(results.map((r) => r.stored), [...Array(40).fill(100), 1200]);
    assert.equal(batches.reduce((a, b) => a + b, 0), 5200);
    // each transaction holds at most 500 records, except a single write that is larger on its own
    assert.ok(batches.length >= 9, `batches: ${batches}`);
    for (const b of batches) assert.ok(b <= 500 || b === 1200, `batch of ${b}`);
    const n = await h.p.ctx.store.db.selectFrom('positions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 5200);
  } finally {
    await h.close();
  }
});
