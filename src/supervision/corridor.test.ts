import assert from 'node:assert/strict';
import { test } from 'node:test';
import CheapRuler from 'cheap-ruler';
import { locate, pointAt } from './corridor.ts';
import { circleFence, polygonFence, inFence, fenceSignedDistance, fenceFromPlace } from './geofence.ts';
import { loadSeedRoute } from './seed-route.ts';
import { rng } from './synthetic-track.ts';

const { corridor } = loadSeedRoute();

// Independent oracle: cheap-ruler's own pointOnLine at the same latitude.
const lats = corridor.coordinates.map((c) => c[1]);
const oracle = new CheapRuler((Math.min(...lats) + Math.max(...lats)) / 2, 'meters');
const line = corridor.coordinates.map((c) => [c[0], c[1]] as [number, number]);
function brute(lon: number, lat: number) {
  const on = oracle.pointOnLine(line, [lon, lat]);
  return oracle.distance(on.point, [lon, lat]);
}

test('locate: the route length and the seed places on the route', () => {
  assert.ok(Math.abs(corridor.lengthM - 610_410) < 1000, `length ${corridor.lengthM}`);
  const p = locate(corridor, 113.946, 22.504);
  assert.ok(p.distanceM < 1);
  assert.equal(p.segment, 17);
});

test('locate: with or without a hint gives the global nearest distance', () => {
  const r = rng(7);
  for (let i = 0; i < 2000; i++) {
    const along = r() * corridor.lengthM;
    const off = (r() - 0.5) * 40_000;
    const p = pointAt(corridor, along, off);
    const exact = brute(p.lon, p.lat);
    const noHint = locate(corridor, p.lon, p.lat);
    assert.ok(Math.abs(noHint.distanceM - exact) < 0.01, `no hint ${noHint.distanceM} vs ${exact}`);
    const hinted = locate(corridor, p.lon, p.lat, Math.floor(r() * corridor.segments));
    // A hinted match is final only within acceptM (1 km); beyond it the global answer is exact.
    if (hinted.distanceM > 1000) assert.ok(Math.abs(hinted.distanceM - exact) < 0.01);
    else assert.ok(hinted.distanceM <= 1000);
  }
});

test('pointAt: offset point is offset metres from the route and along is preserved', () => {
  for (const along of [1000, 100_000, 300_000, 500_000, 600_000]) {
    const p = pointAt(corridor, along, 300);
    const l = locate(corridor, p.lon, p.lat, -1);
    assert.ok(Math.abs(l.distanceM - 300) < 1, `${along}: ${l.distanceM}`);
    assert.ok(Math.abs(l.alongM - along) < 5);
  }
});

test('geofence: circle with cheap-ruler distance, margins', () => {
  const f = circleFence('zp', 117.62, 24.12, 300);
  assert.ok(inFence(f, 117.62, 24.12));
  const east = 117.62 + 290 / f.kx, eastOut = 117.62 + 310 / f.kx;
  assert.ok(inFence(f, east, 24.12));
  assert.ok(!inFence(f, eastOut, 24.12));
  assert.ok(inFence(f, eastOut, 24.12, 20));
  assert.ok(Math.abs(fenceSignedDistance(f, eastOut, 24.12) - 10) < 0.01);
});

test('geofence: polygon with a hole, signed distance', () => {
  const outer = [[114, 22], [114.01, 22], [114.01, 22.01], [114, 22.01], [114, 22]];
  const hole = [[114.004, 22.004], [114.006, 22.004], [114.006, 22.006], [114.004, 22.006], [114.004, 22.004]];
  const f = fenceFromPlace({ id: 'p', geometry: { type: 'Polygon', coordinates: [outer, hole] } });
  assert.equal(f.kind, 'polygon');
  assert.ok(inFence(f, 114.002, 22.002));
  assert.ok(!inFence(f, 114.005, 22.005), 'hole');
  assert.ok(!inFence(f, 114.02, 22.005));
  assert.ok(fenceSignedDistance(f, 114.002, 22.002) < 0);
  const justOut = 114.01 + 50 / f.kx;
  assert.ok(Math.abs(fenceSignedDistance(f, justOut, 22.005) - 50) < 0.5);
  assert.ok(inFence(f, justOut, 22.005, 60));
  assert.ok(!inFence(f, justOut, 22.005, 40));
  assert.throws(() => polygonFence('bad', [[[0, 0], [1, 1]]]));
});
