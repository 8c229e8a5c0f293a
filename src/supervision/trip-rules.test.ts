import assert from 'node:assert/strict';
import { test } from 'node:test';
import { locate, pointAt } from './corridor.ts';
import { loadSeedRoute, seedTripContext } from './seed-route.ts';
import { syntheticTrack, type SyntheticTrackOptions } from './synthetic-track.ts';
import { checkOverdue, checkSignal, evaluate, evaluateBatch, initTripState, resolveAlert, sortFixes } from './trip-rules.ts';
import { defaultRuleConfig, ruleConfig, type Fix, type RuleConfig, type RuleOutput, type TripContext, type TripRuleState } from './types.ts';

const route = loadSeedRoute();
const { corridor } = route;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const MIN = 60_000;
const cfg = defaultRuleConfig;
const alongOf = (name: string) => {
  const f = route.fences[name];
  return locate(corridor, f.cx / f.kx, f.cy / f.ky).alongM;
};
const ZHANGPU = alongOf('Zhangpu service area');

function track(o: Partial<SyntheticTrackOptions> = {}) {
  return syntheticTrack({ corridor, startTime: T0, speedKmh: 80, intervalMs: 10_000, seed: 42, noiseM: 8, ...o });
}
function run(fixes: readonly Fix[], ctx: TripContext = seedTripContext(T0), config: RuleConfig = cfg, state?: TripRuleState) {
  const st = state ?? initTripState(ctx, config);
  const outs: RuleOutput[] = [];
  for (const f of fixes) outs.push(...evaluate(st, f, ctx, config).outputs);
  return { state: st, outs };
}
const ofType = (outs: RuleOutput[], type: string) => outs.filter((o) => o.type === type);
const kinds = (outs: RuleOutput[], type: string) => ofType(outs, type).map((o) => `${o.kind}:${o.severity}`);

test('a clean trip over the real route: four milestones in order, no alerts', () => {
  const { fixes } = track({ dwellAtEndMs: MIN });
  const { outs } = run(fixes);
  assert.deepEqual(outs.map((o) => `${o.kind}:${o.type}`), [
    'milestone:departed_origin',
    'milestone:arrived_boundary',
    'milestone:crossed_border',
    'milestone:arrived_destination',
  ]);
  assert.ok(outs.every((o) => o.late === false));
});

test('route_deviation: GPS drift near the corridor edge does not alert', () => {
  const { fixes } = track({ offsetM: 400, noiseM: 40, toM: 300_000 });
  const { outs } = run(fixes);
  assert.deepEqual(ofType(outs, 'route_deviation'), []);
});

test('route_deviation: a real 2 km deviation raises once (confirmed) and clears once on return', () => {
  const { fixes } = track({ deviations: [{ fromM: 200_000, toM: 210_000, offsetM: 2000 }], noiseM: 30 });
  const { outs } = run(fixes);
  const dev = ofType(outs, 'route_deviation');
  assert.deepEqual(dev.map((o) => o.kind), ['raise', 'clear']);
  const firstOff = fixes.find((f) => locate(corridor, f.lon, f.lat).distanceM > 500)!;
  assert.equal(dev[0].time - firstOff.time, 20_000, 'confirmed by the third consecutive fix');
  assert.equal(dev[0].severity, 'warning');
  assert.equal(dev[0].detail.since, firstOff.time);
});

test('route_deviation: confirmed by time when reports are sparse (2 fixes over ≥ 60 s)', () => {
  const { fixes } = track({ intervalMs: 90_000, deviations: [{ fromM: 200_000, toM: 215_000, offsetM: 3000 }], noiseM: 0 });
  const { outs } = run(fixes);
  const dev = ofType(outs, 'route_deviation');
  assert.equal(dev[0].kind, 'raise');
  assert.equal(dev[0].time - (dev[0].detail.since as number), 90_000);
});

test('route_deviation: corridor width comes from the route, config overrides by shallow merge', () => {
  const c = ruleConfig({ corridorWidthM: 3000, stopWarnMs: 5 * MIN }, undefined, { maxSpeedKmh: undefined });
  assert.equal(c.corridorWidthM, 3000);
  assert.equal(c.maxSpeedKmh, 180);
  assert.equal(defaultRuleConfig.corridorWidthM, 500, 'defaults untouched');
  const { fixes } = track({ deviations: [{ fromM: 200_000, toM: 210_000, offsetM: 2000 }], noiseM: 0 });
  const ctx = seedTripContext(T0, { corridorWidthM: undefined });
  assert.deepEqual(ofType(run(fixes, ctx, c).outs, 'route_deviation'), []);
  assert.equal(ofType(run(fixes, ctx, cfg).outs, 'route_deviation').length, 2);
});

test('unauthorised_stop: 40 min in the Zhangpu service area is allowed', () => {
  const { fixes } = track({ toM: 200_000, stops: [{ atM: ZHANGPU, durationMs: 40 * MIN }] });
  assert.deepEqual(ofType(run(fixes).outs, 'unauthorised_stop'), []);
});

test('unauthorised_stop: 40 min on the hard shoulder is tiered warning → critical, cleared on moving', () => {
  const { fixes } = track({ toM: 200_000, stops: [{ atM: 150_000, durationMs: 40 * MIN }] });
  const stop = ofType(run(fixes).outs, 'unauthorised_stop');
  assert.deepEqual(stop.map((o) => `${o.kind}:${o.severity}`), ['raise:warning', 'update:critical', 'clear:critical']);
  assert.equal(stop[0].time - (stop[0].detail.since as number), 15 * MIN);
  assert.equal(stop[1].time - (stop[1].detail.since as number), 30 * MIN);
});

test('unauthorised_stop: a 10 min stop outside zones does not alert', () => {
  const { fixes } = track({ toM: 200_000, stops: [{ atM: 150_000, durationMs: 10 * MIN }] });
  assert.deepEqual(ofType(run(fixes).outs, 'unauthorised_stop'), []);
});

test('milestones: drift at a fence edge does not flap', () => {
  const ctx = seedTripContext(T0);
  // Parked 560 m from the origin centre (radius 600) with 40 m noise: some fixes are outside, none by the 100 m margin.
  const o = route.places.origin!;
  const parked: Fix[] = [];
  const r = syntheticTrack({ corridor, startTime: T0, speedKmh: 0.001, intervalMs: 10_000, fromM: 560, toM: 561, seed: 5, noiseM: 40, dwellAtEndMs: 60 * MIN });
  parked.push(...r.fixes);
  assert.ok(parked.some((f) => Math.hypot((f.lon * o.kx - o.cx), (f.lat * o.ky - o.cy)) > 600), 'some fixes are outside');
  assert.deepEqual(run(parked, ctx).outs.filter((x) => x.kind === 'milestone'), []);
  // Hovering at the destination edge (radius 900): arrival at most once.
  const d = route.places.destination!;
  const along = corridor.lengthM - 900;
  const edge = syntheticTrack({ corridor, startTime: T0, speedKmh: 0.001, intervalMs: 10_000, fromM: along, toM: along + 1, seed: 9, noiseM: 30, dwellAtEndMs: 60 * MIN });
  assert.ok(edge.fixes.some((f) => Math.hypot(f.lon * d.kx - d.cx, f.lat * d.ky - d.cy) < 900));
  const outs = run(edge.fixes, ctx).outs.filter((x) => x.type === 'arrived_destination');
  assert.ok(outs.length <= 1);
});

function withEvents(fixes: Fix[], at: number, patch: Partial<Fix>): Fix[] {
  const out = fixes.slice();
  out[at] = { ...out[at], ...patch };
  return out;
}

test('seal_opened: unsealed inside the destination zone is authorised, no alert', () => {
  const { fixes } = track({ fromM: 590_000, dwellAtEndMs: 5 * MIN });
  const f = withEvents(fixes, fixes.length - 3, { lockEvents: ['unsealed'], lockOpen: true });
  const { outs } = run(f);
  assert.deepEqual(ofType(outs, 'seal_opened'), []);
  assert.equal(ofType(outs, 'unsealed_authorised').length, 1);
});

test('seal_opened: opened on the road is critical; repeats update, a re-seal re-arms', () => {
  const { fixes } = track({ fromM: 100_000, toM: 150_000 });
  let f = withEvents(fixes, 50, { lockEvents: ['opened_while_sealed'] });
  f = withEvents(f, 51, { lockOpen: true }); // still open: no repeat
  f = withEvents(f, 60, { lockEvents: ['opened_while_sealed'] });
  f = withEvents(f, 70, { lockEvents: ['sealed'] });
  f = withEvents(f, 80, { lockOpen: true });
  const { outs } = run(f);
  assert.deepEqual(kinds(outs, 'seal_opened'), ['raise:critical', 'update:critical', 'update:critical']);
  assert.equal(ofType(outs, 'seal_opened')[0].time, f[50].time);
});

test('tamper: immediate events, wrong-password burst vs spread attempts', () => {
  const { fixes } = track({ fromM: 100_000, toM: 200_000 });
  let f = withEvents(fixes, 10, { lockEvents: ['wrong_password'] });
  f = withEvents(f, 40, { lockEvents: ['wrong_password'] }); // 5 min later
  f = withEvents(f, 80, { lockEvents: ['wrong_password'] }); // spread over > 5 min: no burst
  assert.deepEqual(ofType(run(f).outs, 'tamper'), []);
  f = withEvents(f, 81, { lockEvents: ['wrong_password', 'wrong_password'] }); // 3 within 5 min
  f = withEvents(f, 200, { lockEvents: ['wire_cut'] });
  const t = ofType(run(f).outs, 'tamper');
  assert.deepEqual(t.map((o) => `${o.kind}:${o.detail.event}`), ['raise:wrong_password', 'update:wire_cut']);
  const alone = ofType(run(withEvents(fixes, 5, { lockEvents: ['shell_tamper'] })).outs, 'tamper');
  assert.deepEqual(alone.map((o) => `${o.kind}:${o.severity}:${o.detail.event}`), ['raise:critical:shell_tamper']);
});

test('low_battery: 20 % warning then 10 % critical, once each; above 20 % nothing', () => {
  const { fixes } = track({ batteryPct: 30, batteryDrainPctPerHour: 3 });
  assert.deepEqual(kinds(run(fixes).outs, 'low_battery'), ['raise:warning', 'update:critical']);
  const healthy = track({ batteryPct: 45, batteryDrainPctPerHour: 3 });
  assert.deepEqual(ofType(run(healthy.fixes).outs, 'low_battery'), []);
});

test('signal_lost: raised by checkSignal after 5 min of silence, once; cleared by the next fix', () => {
  const ctx = seedTripContext(T0);
  const { fixes } = track({ toM: 50_000 });
  const { state } = run(fixes.slice(0, 100), ctx);
  const last = fixes[99].time;
  assert.deepEqual(checkSignal(state, last + 4 * MIN, cfg).outputs, []);
  const r = checkSignal(state, last + 5 * MIN, cfg);
  assert.deepEqual(r.outputs.map((o) => `${o.kind}:${o.type}:${o.severity}`), ['raise:signal_lost:warning']);
  assert.deepEqual(checkSignal(state, last + 9 * MIN, cfg).outputs, []);
  const next = evaluate(state, { ...fixes[100], time: last + 10 * MIN }, ctx, cfg).outputs;
  assert.deepEqual(next.map((o) => `${o.kind}:${o.type}`), ['clear:signal_lost']);
});

test('dead zone with backfill before the next live fix: evaluated in time order, alerts late', () => {
  const ctx = seedTripContext(T0);
  const tr = track({ fromM: 290_000, toM: 330_000, gaps: [{ fromM: 300_000, toM: 315_000 }], deviations: [{ fromM: 303_000, toM: 308_000, offsetM: 2500 }] });
  const before = tr.fixes.filter((f) => f.time < tr.gapFixes[0].time);
  const after = tr.fixes.filter((f) => f.time > tr.gapFixes[0].time);
  const st = initTripState(ctx, cfg);
  run(before, ctx, cfg, st);
  const sig = checkSignal(st, before.at(-1)!.time + 6 * MIN, cfg).outputs;
  assert.equal(sig[0].type, 'signal_lost');
  // The blind-area batch comes scrambled; the caller evaluates it sorted.
  const batch = [...tr.gapFixes].reverse();
  batch[5] = { ...batch[5], lockEvents: ['opened_while_sealed'] };
  const r = evaluateBatch(st, batch, ctx, cfg);
  assert.equal(r.outputs[0].type, 'signal_lost');
  assert.equal(r.outputs[0].kind, 'clear');
  assert.ok(r.outputs.every((o) => o.late === true), 'every output of the backfill is late');
  const times = r.outputs.map((o) => o.time);
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'outputs in time order');
  assert.deepEqual(r.outputs.filter((o) => o.type === 'route_deviation').map((o) => `${o.kind}:${o.late}`), ['raise:true', 'clear:true']);
  assert.deepEqual(r.outputs.filter((o) => o.type === 'seal_opened').map((o) => `${o.kind}:${o.late}`), ['raise:true']);
  assert.deepEqual(run(after, ctx, cfg, st).outs, [], 'live data after the backfill: nothing new');
});

test('dead zone with backfill after the live fix (older than state): evaluated late against current state', () => {
  const ctx = seedTripContext(T0);
  const tr = track({ fromM: 290_000, toM: 330_000, gaps: [{ fromM: 300_000, toM: 315_000 }], deviations: [{ fromM: 303_000, toM: 308_000, offsetM: 2500 }] });
  const gapStart = tr.gapFixes[0].time;
  const before = tr.fixes.filter((f) => f.time < gapStart);
  const after = tr.fixes.filter((f) => f.time > gapStart);
  const st = initTripState(ctx, cfg);
  run(before, ctx, cfg, st);
  const live = run(after.slice(0, 3), ctx, cfg, st).outs;
  assert.deepEqual(live, []);
  const batch = tr.gapFixes.map((f) => ({ ...f, late: false })); // even unflagged, older than state → late
  const r = evaluateBatch(st, batch, ctx, cfg);
  assert.deepEqual(r.outputs.map((o) => `${o.kind}:${o.type}:${o.late}`), ['raise:route_deviation:true', 'clear:route_deviation:true']);
  assert.deepEqual(run(after.slice(3), ctx, cfg, st).outs, []);
});

test('a late deviation still open when live data resumes is cleared by the live track', () => {
  const ctx = seedTripContext(T0);
  const tr = track({ fromM: 290_000, toM: 330_000, gaps: [{ fromM: 300_000, toM: 315_000 }], deviations: [{ fromM: 310_000, toM: 316_000, offsetM: 2500 }] });
  const gapStart = tr.gapFixes[0].time;
  const st = initTripState(ctx, cfg);
  run(tr.fixes.filter((f) => f.time < gapStart), ctx, cfg, st);
  const after = tr.fixes.filter((f) => f.time > gapStart);
  const firstLive = run(after.slice(0, 1), ctx, cfg, st).outs; // 1 live fix, still off-route: not yet confirmed
  assert.deepEqual(firstLive, []);
  const late = evaluateBatch(st, tr.gapFixes, ctx, cfg).outputs;
  assert.deepEqual(late.map((o) => `${o.kind}:${o.type}:${o.late}`), ['raise:route_deviation:true']);
  const rest = run(after.slice(1), ctx, cfg, st).outs;
  assert.deepEqual(rest.map((o) => `${o.kind}:${o.type}:${o.late}`), ['clear:route_deviation:false']);
});

test('sortFixes returns a time-ordered copy', () => {
  const fx = [3, 1, 2].map((t) => ({ time: t, lon: 0, lat: 0, speedKmh: 0, heading: 0 }));
  assert.deepEqual(sortFixes(fx).map((f) => f.time), [1, 2, 3]);
  assert.deepEqual(fx.map((f) => f.time), [3, 1, 2]);
});

test('overdue: ETA warning on a slow trip, critical past the deadline (update, one alert)', () => {
  const ctx = seedTripContext(T0);
  const { fixes } = track({ speedKmh: 38 });
  const st = initTripState(ctx, cfg);
  const outs: RuleOutput[] = [];
  let next = T0;
  for (const f of fixes) {
    outs.push(...evaluate(st, f, ctx, cfg).outputs);
    if (f.time >= next) {
      outs.push(...checkOverdue(st, f.time, ctx, cfg).outputs);
      next += 5 * MIN;
    }
  }
  const od = ofType(outs, 'overdue');
  assert.deepEqual(od.map((o) => `${o.kind}:${o.severity}`), ['raise:warning', 'update:critical']);
  assert.ok(od[0].time < ctx.deadline && od[0].time - T0 < 5 * 3_600_000, 'warned early from the projection');
  assert.ok(od[1].time > ctx.deadline);
});

test('overdue: a trip on schedule never warns; arrival stops the checks', () => {
  const ctx = seedTripContext(T0);
  const { fixes } = track({ speedKmh: 75, dwellAtEndMs: 5 * MIN, stops: [{ atM: ZHANGPU, durationMs: 30 * MIN }] });
  const st = initTripState(ctx, cfg);
  const outs: RuleOutput[] = [];
  let next = T0;
  for (const f of fixes) {
    outs.push(...evaluate(st, f, ctx, cfg).outputs);
    if (f.time >= next) {
      outs.push(...checkOverdue(st, f.time, ctx, cfg).outputs);
      next += 5 * MIN;
    }
  }
  assert.deepEqual(ofType(outs, 'overdue'), []);
  assert.ok(st.milestones.includes('arrived_destination'));
  assert.deepEqual(checkOverdue(st, ctx.deadline + 3_600_000, ctx, cfg).outputs, []);
});

test('impossible jump: filtered marker, not used for rules, the track goes on', () => {
  const ctx = seedTripContext(T0);
  const { fixes } = track({ fromM: 100_000, toM: 150_000 });
  const far = pointAt(corridor, 120_000, 20_000);
  const f = fixes.slice();
  f[60] = { ...f[60], lon: far.lon, lat: far.lat };
  const { outs: all, state } = run(f, ctx);
  const outs = all.filter((o) => o.kind !== 'milestone'); // departed_origin: this track starts mid-route
  assert.deepEqual(outs.map((o) => `${o.kind}:${o.type}`), ['filtered:impossible_jump']);
  assert.equal(outs[0].time, f[60].time);
  assert.ok((outs[0].detail.impliedKmh as number) > 180);
  assert.equal(state.jumps, 0);
  // A truck that really is elsewhere (a bad previous anchor) is accepted after jumpResetFixes.
  const g = fixes.slice(0, 10).concat(fixes.slice(10, 20).map((x) => ({ ...x, lon: x.lon + 0.5 })));
  const r = run(g, ctx).outs;
  assert.equal(r.filter((o) => o.kind === 'filtered').length, 3);
  assert.deepEqual(ofType(r, 'route_deviation').map((o) => o.kind), ['raise']);
});

test('late-flagged fixes in order carry late=true on their alerts', () => {
  const { fixes } = track({ fromM: 100_000, toM: 150_000 });
  const f = withEvents(fixes, 20, { lockEvents: ['power_cut'], late: true });
  const t = ofType(run(f).outs, 'tamper');
  assert.equal(t.length, 1);
  assert.equal(t[0].late, true);
});

test('resolveAlert: after an officer resolves, the next occurrence raises again', () => {
  const ctx = seedTripContext(T0);
  const { fixes } = track({ fromM: 100_000, toM: 120_000 });
  const st = initTripState(ctx, cfg);
  run(withEvents(fixes.slice(0, 10), 5, { lockEvents: ['wire_cut'] }), ctx, cfg, st);
  resolveAlert(st, 'tamper');
  const again = run(withEvents(fixes.slice(10, 20), 2, { lockEvents: ['wire_cut'] }), ctx, cfg, st).outs;
  assert.deepEqual(again.map((o) => o.kind), ['raise']);
});

test('overdue resolved by an officer: not raised again against the same deadline, raised against a new one', () => {
  const ctx = seedTripContext(T0);
  const st = initTripState(ctx, cfg);
  const kinds = (at: number, c = ctx) => checkOverdue(st, at, c, cfg).outputs.map((o) => `${o.kind}:${o.severity}`);
  assert.deepEqual(kinds(ctx.deadline + MIN), ['raise:critical']);
  resolveAlert(st, 'overdue');
  assert.deepEqual(kinds(ctx.deadline + 2 * MIN), [], 'the next tick after the resolve');
  assert.deepEqual(kinds(ctx.deadline + 5 * 3_600_000), []);
  const extended = { ...ctx, deadline: ctx.deadline + 6 * 3_600_000 };
  assert.deepEqual(kinds(extended.deadline + MIN, extended), ['raise:critical'], 'a new deadline passed is a new occurrence');
});

test('overdue warning resolved: not re-warned, still escalates past the deadline; forgotten once the projection is back inside', () => {
  const ctx = seedTripContext(T0);
  const st = initTripState(ctx, cfg); // not moved: the ETA projects past the deadline
  const kinds = (at: number) => checkOverdue(st, at, ctx, cfg).outputs.map((o) => `${o.kind}:${o.severity}`);
  st.avgSpeedKmh = 1;
  assert.deepEqual(kinds(T0 + MIN), ['raise:warning']);
  resolveAlert(st, 'overdue');
  assert.deepEqual(kinds(T0 + 2 * MIN), []);
  st.avgSpeedKmh = 80;
  assert.deepEqual(kinds(T0 + 3 * MIN), [], 'back on schedule');
  st.avgSpeedKmh = 1;
  assert.deepEqual(kinds(T0 + 4 * MIN), ['raise:warning'], 'slipping again is a new occurrence');
  resolveAlert(st, 'overdue');
  assert.deepEqual(kinds(ctx.deadline + MIN), ['raise:critical']);
  resolveAlert(st, 'overdue');
  const restored = JSON.parse(JSON.stringify(st));
  assert.deepEqual(checkOverdue(restored, ctx.deadline + 2 * MIN, ctx, cfg).outputs, [], 'what was resolved survives a checkpoint');
});

test('restart: a JSON round trip of the state mid-trip continues with identical outputs', () => {
  const ctx = seedTripContext(T0);
  const tr = track({
    noiseM: 25,
    batteryPct: 27,
    batteryDrainPctPerHour: 2,
    deviations: [{ fromM: 200_000, toM: 215_000, offsetM: 2000 }],
    stops: [{ atM: 150_000, durationMs: 35 * MIN }, { atM: ZHANGPU, durationMs: 20 * MIN }],
    dwellAtEndMs: 5 * MIN,
  });
  let fixes = withEvents(tr.fixes, 300, { lockEvents: ['wrong_password', 'wrong_password'] });
  fixes = withEvents(fixes, 302, { lockEvents: ['wrong_password'] });
  fixes = withEvents(fixes, 900, { lockEvents: ['opened_while_sealed'] });
  fixes = withEvents(fixes, 950, { lockEvents: ['sealed'] });
  fixes = withEvents(fixes, fixes.length - 2, { lockEvents: ['unsealed'] });
  const tick = (st: TripRuleState, f: Fix, i: number) => {
    const o = [...evaluate(st, f, ctx, cfg).outputs];
    if (i % 30 === 0) o.push(...checkOverdue(st, f.time, ctx, cfg).outputs, ...checkSignal(st, f.time + 6 * MIN * (i % 600 === 0 ? 1 : 0), cfg).outputs);
    return o;
  };
  const straight: RuleOutput[] = [];
  let st = initTripState(ctx, cfg);
  fixes.forEach((f, i) => straight.push(...tick(st, f, i)));
  for (const type of ['route_deviation', 'unauthorised_stop', 'tamper', 'seal_opened', 'low_battery', 'signal_lost']) {
    assert.ok(ofType(straight, type).length > 0, `scenario covers ${type}`);
  }
  // Restart at many points, including in the middle of the deviation and of the stops.
  const restarted: RuleOutput[] = [];
  st = initTripState(ctx, cfg);
  fixes.forEach((f, i) => {
    if (i % 137 === 0) st = JSON.parse(JSON.stringify(st)) as TripRuleState;
    restarted.push(...tick(st, f, i));
  });
  assert.deepEqual(restarted, straight);
  const raises = straight.filter((o) => o.kind === 'raise').map((o) => o.type);
  assert.equal(new Set(raises.filter((t) => t !== 'signal_lost' && t !== 'route_deviation')).size, raises.filter((t) => t !== 'signal_lost' && t !== 'route_deviation').length, 'no duplicate raise');
});

test('state is plain JSON', () => {
  const ctx = seedTripContext(T0);
  const { state } = run(track({ toM: 20_000 }).fixes, ctx);
  assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
});

test('a re-sent report is evaluated once (does not count twice towards confirmation)', () => {
  const { fixes } = track({ deviations: [{ fromM: 200_000, toM: 210_000, offsetM: 2000 }], noiseM: 0, fromM: 190_000, toM: 220_000 });
  const doubled = fixes.flatMap((f) => [f, { ...f }]);
  const a = run(fixes).outs.filter((o) => o.type === 'route_deviation');
  const b = run(doubled).outs.filter((o) => o.type === 'route_deviation');
  assert.deepEqual(b, a);
});
