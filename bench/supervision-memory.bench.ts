/**
 * Memory per active trip in the running pipeline (not just the pure rule state): the heap the
 * Supervisor holds for N supervised trips — rule state, trip context (the corridor, fences and
 * RuleConfig are shared per route), bookkeeping — plus the position writer's device → trip cache.
 * Measured on a forced-GC heap: after loading every trip (Supervisor.start), then after feeding
 * each trip `--fixes` positions through the real group-commit writer and the pipeline.
 *   node --expose-gc --import tsx bench/supervision-memory.bench.ts [--trips 10000] [--fixes 5] [--runs 3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pino from 'pino';
import { loadSettings } from '../src/platform/config.ts';
import { openStore } from '../src/platform/db/connect.ts';
import { migrateToLatest } from '../src/platform/db/migrations.ts';
import { createContext } from '../src/platform/context.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { ensureSimDevices } from '../src/sim/devices.ts';
import { Supervisor } from '../src/supervision/pipeline/supervisor.ts';
import { loadSeedRoute } from '../src/supervision/seed-route.ts';
import { pointAt } from '../src/supervision/corridor.ts';
import type { PositionRecord } from '../src/devices/position.ts';
import { seedSupervisedTrips } from './lib/supervised-trips.ts';
import { median, machine } from './lib/stats.ts';

if (typeof globalThis.gc !== 'function') {
  // Re-run with a GC we can force; the heap figures mean nothing without it.
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const gc = globalThis.gc as () => void;
const arg = (k: string, d: number) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const TRIPS = arg('trips', 10_000), FIXES = arg('fixes', 5), RUNS = arg('runs', 3);
const heap = async () => { for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setImmediate(r)); } return process.memoryUsage().heapUsed; };
const route = loadSeedRoute();

async function once(run: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-mem-bench-'));
  const settings = loadSettings({}, { dataDir, tokenSecret: 'bench' });
  const store = await openStore(settings);
  await migrateToLatest(store.db, store.dialect);
  const ctx = createContext(settings, store, { log: pino({ level: 'warn' }) });
  await seedDemo(ctx, { quick: true });
  const { terminalIds } = await ensureSimDevices(ctx, TRIPS, '0505');
  const trips = await seedSupervisedTrips(ctx, terminalIds);
  const t0 = ctx.clock.now() - FIXES * 10_000;
  // Built and dropped per batch, so they are garbage by the time the heap is measured.
  const fixes = (k: number, from: number, to: number): PositionRecord[] => trips.slice(from, to).map((t, j) => {
    const at = pointAt(route.corridor, 30_000 + (((from + j) * 0.618) % 1) * 500_000 + k * 250);
    return { deviceId: t.deviceId, terminalId: t.terminalId, fixTime: t0 + k * 10_000, receivedAt: t0 + k * 10_000, serial: k + 1, lat: at.lat, lon: at.lon, altitudeM: 10, speedKmh: 90, heading: Math.round(at.heading + 360) % 360, alarm: 0, status: 3, batteryPct: 80, lockEvents: [], items: {}, late: false, source: 'http', raw: '' };
  });
  const base = await heap();
  const sup = new Supervisor(ctx);
  await sup.start();
  const loaded = await heap();
  for (let k = 0; k < FIXES; k++) for (let i = 0; i < trips.length; i += 2000) await ctx.positions.write(fixes(k, i, i + 2000));
  await sup.idle();
  const fed = await heap();
  const cps = store.sqlite!.prepare('select count(*) n, avg(length(state)) bytes from rule_checkpoints').get() as { n: number; bytes: number };
  const out = { trips: sup.activeTrips, loadedBytesPerTrip: (loaded - base) / TRIPS, afterFixesBytesPerTrip: (fed - base) / TRIPS, checkpointBytes: cps.bytes, checkpoints: cps.n, evaluated: sup.stats.positions };
  console.log(`run ${run}: ${out.trips} trips in memory; heap per trip ${out.loadedBytesPerTrip.toFixed(0)} B loaded, ${out.afterFixesBytesPerTrip.toFixed(0)} B after ${FIXES} fixes each (${out.evaluated} evaluated); checkpoint ${out.checkpointBytes.toFixed(0)} B JSON`);
  await sup.close();
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return out;
}

const runs = [];
for (let r = 1; r <= RUNS; r++) runs.push(await once(r));
console.log(JSON.stringify({
  machine: machine(), trips: TRIPS, fixes: FIXES, runs: RUNS,
  loadedBytesPerTrip: Math.round(median(runs.map((r) => r.loadedBytesPerTrip))), afterFixesBytesPerTrip: Math.round(median(runs.map((r) => r.afterFixesBytesPerTrip))),
  checkpointBytes: Math.round(median(runs.map((r) => r.checkpointBytes))),
}));
