import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadSeedRoute } from '../supervision/seed-route.ts';
import { locate, pointAt } from '../supervision/corridor.ts';
import { defaultRuleConfig } from '../supervision/types.ts';
import {
  DEMO_REPORT_MS, clearOfStopZones, demoScripts, firstMotion, fixTimesBefore, inDeadZone, lateralAt, step, tripsToPrune,
  type Motion, type RouteMarks, type TruckScript,
} from './scenario.ts';

const route = loadSeedRoute();
const along = (f: { cx: number; cy: number; kx: number; ky: number }) => locate(route.corridor, f.cx / f.kx, f.cy / f.ky).alongM;
const marks: RouteMarks = {
  lengthM: route.corridor.lengthM,
  gateM: along(route.places.boundary!),
  stopZones: route.restAreas.map((z) => ({ fromM: along(z) - z.radiusM, toM: along(z) + z.radiusM })),
};
const scripts = demoScripts(marks);
const byRole = (r: TruckScript['role']) => scripts.find((s) => s.role === r)!;

/** Drives a script for n report intervals from `mo`, like the adapter does. */
function drive(s: TruckScript, mo: Motion, n: number, t0 = 0, holdAtM = marks.lengthM) {
  const steps = [];
  for (let k = 0; k < n; k++) {
    const r = step(s, mo, t0 + k * DEMO_REPORT_MS, DEMO_REPORT_MS, holdAtM);
    mo = r.motion;
    steps.push(r.step);
  }
  return { steps, motion: mo };
}

describe('live demo script', () => {
  it('twelve trucks on vehicles 2–13, each incident once, the stop outside every rest area', () => {
    assert.deepEqual(scripts.map((s) => s.vehicle), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    for (const r of ['deviation', 'long_stop', 'dead_zone', 'tamper', 'at_lane', 'gate_approach', 'arrival'] as const) assert.equal(scripts.filter((s) => s.role === r).length, 1, r);
    const stop = byRole('long_stop').incidents[0]!;
    assert.equal(stop.kind, 'stop');
    for (const z of marks.stopZones) assert.ok(stop.kind === 'stop' && (stop.atM < z.fromM - 500 || stop.atM > z.toM + 500));
    assert.ok(byRole('tamper').startM > marks.gateM && byRole('arrival').startM > marks.gateM, 'these two start on the HK leg');
    for (const s of scripts) assert.ok(s.startM >= 0 && s.startM <= marks.lengthM);
  });

  it('clearOfStopZones moves a point past every zone it falls in, also into a following one', () => {
    const zones = [{ fromM: 100, toM: 200 }, { fromM: 1_300, toM: 1_400 }];
    assert.equal(clearOfStopZones(50_000, zones), 50_000);
    assert.equal(clearOfStopZones(150, zones), 2_400);
  });

  it('a deviation ramps out and back at 45°, so no fix is an impossible jump', () => {
    const s = byRole('deviation');
    const d = s.incidents[0]!;
    assert.equal(d.kind, 'deviation');
    if (d.kind !== 'deviation') return;
    assert.equal(lateralAt(s.incidents, d.fromM - 1), 0);
    assert.equal(lateralAt(s.incidents, (d.fromM + d.toM) / 2), d.offsetM);
    assert.equal(lateralAt(s.incidents, d.toM + 1), 0);
    const { steps } = drive(s, { alongM: s.startM, stoppedUntil: -1, stopOffsetM: 0 }, 40);
    const pts = steps.map((x) => pointAt(route.corridor, x.alongM, x.offsetM));
    const kmh = pts.slice(1).map((p, i) => (Math.hypot((p.lon - pts[i]!.lon) * route.corridor.kx, (p.lat - pts[i]!.lat) * route.corridor.ky) / (DEMO_REPORT_MS / 1000)) * 3.6);
    assert.ok(Math.max(...kmh) < defaultRuleConfig.maxSpeedKmh, `max implied ${Math.max(...kmh)} km/h`);
    assert.ok(steps.filter((x) => Math.abs(x.offsetM) > 500).length >= 3, 'off the corridor long enough to be confirmed');
  });

  it('a stop holds the truck for its duration, then it drives on and does not meet the same stop again', () => {
    const s = byRole('long_stop');
    const stop = s.incidents[0]!;
    if (stop.kind !== 'stop') throw new Error('stop');
    const r = drive(s, { alongM: stop.atM - 50, stoppedUntil: -1, stopOffsetM: 0 }, 3);
    assert.equal(r.motion.alongM, stop.atM);
    assert.deepEqual(r.steps.slice(1).map((x) => x.speedKmh), [0, 0]);
    assert.equal(r.steps[2]!.offsetM, stop.offsetM, 'on the hard shoulder');
    const later = drive(s, r.motion, 3, stop.durationMs + 1);
    assert.ok(later.motion.alongM > stop.atM + 200);
    assert.ok(later.steps.every((x) => x.speedKmh > 0));
  });

  it('at the very first start the long-stop truck has stood 14 minutes already; its kept fixes come one per parked interval', () => {
    const s = byRole('long_stop');
    const now = 1_000_000_000;
    const m = firstMotion(s, now);
    assert.equal(m.alongM, s.startM);
    const stop = s.incidents[0]!;
    if (stop.kind !== 'stop') throw new Error('stop');
    assert.equal(m.stoppedUntil, now + stop.durationMs - s.stoppedForMs!);
    assert.ok(stop.durationMs - s.stoppedForMs! < 3 * 60_000 && stop.durationMs >= defaultRuleConfig.stopWarnMs + 60_000, 'warns in the second minute, stands a minute past the threshold');
    const times = fixTimesBefore(now, s.stoppedForMs!);
    assert.equal(times[0], now - s.stoppedForMs!);
    assert.ok(times.at(-1)! < now);
    assert.equal(times.length, 28);
    assert.equal(firstMotion(byRole('deviation'), now).stoppedUntil, -1);
  });

  it('the dead zone is offline over its stretch and hides the detour; the tamper event is reported once, where it is', () => {
    const z = byRole('dead_zone');
    const r = drive(z, { alongM: z.startM, stoppedUntil: -1, stopOffsetM: 0 }, 40);
    const off = r.steps.filter((x) => !x.online);
    assert.ok(off.length >= 10 && off.length < 60, `${off.length} reports in the gap`);
    assert.ok(r.steps.filter((x) => Math.abs(x.offsetM) > 500).every((x) => !x.online), 'every fix off the corridor is inside the gap');
    assert.equal(inDeadZone(z.incidents, z.startM), false);
    const t = byRole('tamper');
    const tr = drive(t, { alongM: t.startM, stoppedUntil: -1, stopOffsetM: 0 }, 20);
    assert.deepEqual(tr.steps.flatMap((x) => x.events), ['shell_tamper']);
  });

  it('a truck waits at its hold point (the lane) and reports standing still', () => {
    const g = byRole('gate_approach');
    const r = drive(g, { alongM: g.startM, stoppedUntil: -1, stopOffsetM: 0 }, 30, 0, marks.gateM);
    assert.equal(r.motion.alongM, marks.gateM);
    assert.equal(r.steps.at(-1)!.speedKmh, 0);
    const reach = r.steps.findIndex((x) => x.alongM === marks.gateM);
    assert.ok(reach > 10 && reach < 24, `at the lane after ${reach} reports`);
  });

  it('tripsToPrune keeps the newest closed trip and every inspected one', () => {
    const t = (id: string, createdAt: string, inspected = false) => ({ id, createdAt, inspected });
    assert.deepEqual(tripsToPrune([t('a', '2026-01-01'), t('c', '2026-01-03'), t('b', '2026-01-02')]).sort(), ['a', 'b']);
    assert.deepEqual(tripsToPrune([t('a', '2026-01-01', true), t('b', '2026-01-02')]), []);
    assert.deepEqual(tripsToPrune([t('a', '2026-01-01')]), []);
  });
});
