/**
 * Supervision rules throughput: 10,000 active trips on the seed G15 route, positions
 * interleaved across trips (as a partitioned worker sees them), corridor + geofence + stop
 * rules (+ deviation, milestones, battery, jump filter) together through `evaluate`.
 *
 *   node --import tsx bench/supervision-rules.bench.ts [trips] [fixesPerTrip]
 *
 * Reports positions/second on one core (median of 5 runs) and heap per active trip.
 */
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadSeedRoute, seedTripContext } from '../src/supervision/seed-route.ts';
import { rng, syntheticTrack } from '../src/supervision/synthetic-track.ts';
import { evaluate, initTripState } from '../src/supervision/trip-rules.ts';
import { defaultRuleConfig, type Fix, type TripContext, type TripRuleState } from '../src/supervision/types.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const TRIPS = Number(process.argv[2] ?? 10_000);
const PER_TRIP = Number(process.argv[3] ?? 60);
const RUNS = 5;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const route = loadSeedRoute();
const cfg = defaultRuleConfig;

// Memory per active trip, measured first on a quiet heap: the rule state plus the trip's context
// (the corridor and fences are shared by all trips on the route), after 5 fixes each.
const settle = async () => {
  for (let k = 0; k < 3; k++) {
    gc();
    await new Promise((res) => setTimeout(res, 20));
  }
  return process.memoryUsage().heapUsed;
};
const warmFixes = Array.from({ length: TRIPS }, (_, i) =>
  syntheticTrack({ corridor: route.corridor, startTime: T0 + i * 1000, speedKmh: 80, intervalMs: 10_000, fromM: (i * 61) % 600_000, toM: ((i * 61) % 600_000) + 1200, seed: i }).fixes.slice(0, 5),
);
const before = await settle();
const held: { state: TripRuleState; ctx: TripContext }[] = [];
for (let i = 0; i < TRIPS; i++) {
  const ctx = seedTripContext(T0 + i * 1000);
  const state = initTripState(ctx, cfg);
  for (const f of warmFixes[i]) evaluate(state, f, ctx, cfg);
  held.push({ state, ctx });
}
const after = await settle();
const perTripBytes = (after - before) / TRIPS;
const jsonBytes = held.reduce((a, h) => a + JSON.stringify(h.state).length, 0) / TRIPS;

// Workload: trips spread along the route; 5 % deviate, 5 % stop on the shoulder, 5 % stop in a rest area,
// 10 % report every 30 s instead of 10 s; all with 10 m GPS noise and a draining battery.
const r = rng(2026);
const restAlong = [127_884, 274_165, 407_169];
const perTrip: Fix[][] = [];
const ctxs: TripContext[] = [];
for (let i = 0; i < TRIPS; i++) {
  const start = T0 + Math.floor(r() * 3_600_000);
  const interval = r() < 0.1 ? 30_000 : 10_000;
  const speed = 60 + r() * 40;
  const span = (speed * interval * PER_TRIP) / 3600;
  const kind = r();
  let fromM = r() * (route.corridor.lengthM - span - 5000);
  const opts: Parameters<typeof syntheticTrack>[0] = { corridor: route.corridor, startTime: start, speedKmh: speed, intervalMs: interval, seed: i + 1, noiseM: 10, fromM, toM: fromM + span, batteryPct: 15 + r() * 80, batteryDrainPctPerHour: 2 };
  if (kind < 0.05) opts.deviations = [{ fromM: fromM + span * 0.3, toM: fromM + span * 0.7, offsetM: 1500 }];
  else if (kind < 0.1) opts.stops = [{ atM: fromM + span * 0.2, durationMs: interval * PER_TRIP }];
  else if (kind < 0.15) {
    fromM = restAlong[i % 3] - 1000;
    Object.assign(opts, { fromM, toM: fromM + span, stops: [{ atM: restAlong[i % 3], durationMs: interval * PER_TRIP }] });
  }
  perTrip.push(syntheticTrack(opts).fixes.slice(0, PER_TRIP));
  ctxs.push(seedTripContext(start));
}
// Interleave: fix k of every trip, then fix k+1 …
const order: Fix[] = [];
const tripOf: number[] = [];
for (let k = 0; k < PER_TRIP; k++) {
  for (let i = 0; i < TRIPS; i++) {
    const f = perTrip[i][k];
    if (f) {
      order.push(f);
      tripOf.push(i);
    }
  }
}
const N = order.length;
const tripIdx = Int32Array.from(tripOf);

function freshStates(): TripRuleState[] {
  const s = new Array<TripRuleState>(TRIPS);
  for (let i = 0; i < TRIPS; i++) s[i] = initTripState(ctxs[i], cfg);
  return s;
}

function once(states: TripRuleState[]): { ms: number; outputs: number } {
  let outputs = 0;
  const t = process.hrtime.bigint();
  for (let j = 0; j < N; j++) {
    const i = tripIdx[j];
    outputs += evaluate(states[i], order[j], ctxs[i], cfg).outputs.length;
  }
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, outputs };
}

// Warm-up (JIT) that also tallies what the rules said, then 5 measured runs on fresh states.
const tally = new Map<string, number>();
{
  const states = freshStates();
  for (let j = 0; j < N; j++) {
    const i = tripIdx[j];
    for (const o of evaluate(states[i], order[j], ctxs[i], cfg).outputs) tally.set(`${o.kind}:${o.type}`, (tally.get(`${o.kind}:${o.type}`) ?? 0) + 1);
  }
}
once(freshStates());
const rates: number[] = [];
let outputs = 0;
for (let k = 0; k < RUNS; k++) {
  const states = freshStates();
  gc();
  const res = once(states);
  outputs = res.outputs;
  rates.push(N / (res.ms / 1000));
}
rates.sort((a, b) => a - b);
const median = rates[Math.floor(RUNS / 2)];

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`supervision rules: ${fmt(TRIPS)} trips × ${PER_TRIP} fixes = ${fmt(N)} positions interleaved, ${outputs} outputs per run`);
console.log(`outputs: ${[...tally].sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`runs (positions/s, sorted): ${rates.map(fmt).join(', ')}`);
console.log(`median: ${fmt(median)} positions/s on one core (${(1e6 / median).toFixed(2)} µs/position)`);
console.log(`memory per active trip: ${fmt(perTripBytes)} B heap, ${fmt(jsonBytes)} B checkpoint JSON`);
console.log(`machine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}, ${os.platform()} ${os.release()}`);
if (held.length !== TRIPS) throw new Error('unreachable'); // keeps the measured states alive to here
