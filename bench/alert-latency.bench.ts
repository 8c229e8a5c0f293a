/**
 * Alert latency under load: frame sent by an e-lock → alert event received on the live WebSocket,
 * while the platform ingests ~10,000 positions/s over JT/T 808 from supervised trips.
 *
 * This process is the platform (startPlatform on SQLite in a temp dir, JT/T 808 and HTTP on free
 * loopback ports, the supervision timer running). Two child processes drive it over real TCP:
 * "load" (most terminals, paced at one report per interval each, every trip in transit on the seed
 * route so the rules run on every position) and "probe" (a few terminals whose frames are timed,
 * injecting tamper lock events and corridor deviations, plus the WebSocket clients and a
 * "dashboard" subscribed to everything). Latencies are taken in the probe process with one clock.
 * After a warm-up (every trip loaded into the pipeline), several measurement windows; figures are
 * medians over windows.
 *   node --import tsx bench/alert-latency.bench.ts [--trips 10000] [--probes 100] [--interval-ms 1000]
 *        [--seconds 30] [--runs 3] [--warmup 25] [--alert-every-s 10] [--deviators 25] [--dashboards 1] [--checkpoint-s 30]
 * Profile the server side with: node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/alert-latency.bench.ts …
 */
import './lib/runtime.ts'; // first: the runtime flags onelock serve runs with
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pino from 'pino';
import { startPlatform } from '../src/platform/server.ts';
import { seedDemo, DEMO_PASSWORD } from '../src/demo/seed.ts';
import { ensureSimDevices } from '../src/sim/devices.ts';
import { loadSeedRoute } from '../src/supervision/seed-route.ts';
import { seedSupervisedTrips } from './lib/supervised-trips.ts';
import type { LoadJob, LoadTerminal } from './lib/supervised-load.ts';
import { median, machine } from './lib/stats.ts';

/** Fixed decimals; NaN (no samples, sent as null over IPC) prints as n/a. */
const fmt = (n: number | null, d = 2) => (n == null || Number.isNaN(n) ? 'n/a' : n.toFixed(d));

const arg = (k: string, d: number) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const TRIPS = arg('trips', 10_000), PROBES = arg('probes', 100), INTERVAL = arg('interval-ms', 1000), SECONDS = arg('seconds', 30), RUNS = arg('runs', 3);
// --writer-delay-ms: experiment only, changes the group-commit window of the position writer (default 2 ms) for this run.
const WRITER_DELAY = arg('writer-delay-ms', 0);
const WARMUP = arg('warmup', 25), ALERT_EVERY = arg('alert-every-s', 10), DEVIATORS = arg('deviators', 25), DASHBOARDS = arg('dashboards', 1), CHECKPOINT_S = arg('checkpoint-s', 30);

// --data-root: where the temp data dir (the SQLite file) goes; default the OS temp dir (disk here).
const ri = process.argv.indexOf('--data-root');
const dataDir = fs.mkdtempSync(path.join(ri > 0 ? process.argv[ri + 1] : os.tmpdir(), 'onelock-alert-bench-'));
const p = await startPlatform({ env: {}, log: pino({ level: 'warn' }), settings: { dataDir, tokenSecret: 'bench', supervisionCheckpointS: CHECKPOINT_S } });
if (WRITER_DELAY) (p.ctx.positions as unknown as { opts: { maxDelayMs: number } }).opts.maxDelayMs = WRITER_DELAY;
const t0 = Date.now();
await seedDemo(p.ctx, { quick: true });
const { terminalIds } = await ensureSimDevices(p.ctx, TRIPS, '0707');
const trips = await seedSupervisedTrips(p.ctx, terminalIds);
console.log(`prepared ${trips.length} trips in transit in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const jt808Port = await p.jt808.listen(0, '127.0.0.1');
await p.app.listen({ port: 0, host: '127.0.0.1' });
const httpPort = (p.app.server.address() as { port: number }).port;
const login = await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'supervisor', password: DEMO_PASSWORD } });
const token = login.json().token as string;

// Spread the trucks over the route between 30 km and 530 km (clear of the origin and the boundary), 60–100 km/h.
const route = loadSeedRoute();
const span = Math.min(500_000, route.corridor.lengthM - 80_000);
const terminals: LoadTerminal[] = trips.map((t, i) => ({ tid: t.terminalId, authCode: t.authCode, tripId: t.tripId, startM: 30_000 + ((i * 0.6180339887) % 1) * span, speedKmh: 60 + (i % 41) }));
const probeTerms = terminals.slice(0, PROBES), loadTerms = terminals.slice(PROBES);

function child(job: LoadJob): Promise<{ c: ChildProcess; ready: number }> {
  const c = fork(new URL('./lib/supervised-load.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] });
  c.send({ job });
  return new Promise((resolve, reject) => { c.once('message', (m: any) => resolve({ c, ready: m.ready })); c.once('exit', (code) => reject(new Error(`child exited ${code}`))); });
}
const result = (c: ChildProcess) => new Promise<any>((resolve) => { const on = (m: any) => { if (m.result) { c.off('message', on); resolve(m.result); } }; c.on('message', on); });

const load = await child({ mode: 'load', port: jt808Port, terminals: loadTerms, intervalMs: INTERVAL });
const probe = await child({ mode: 'probe', port: jt808Port, terminals: probeTerms, intervalMs: INTERVAL, httpPort, token, alertEveryS: ALERT_EVERY, deviators: DEVIATORS, dashboards: DASHBOARDS, followMax: 100 });
console.log(`terminals authenticated: load ${load.ready}/${loadTerms.length}, probe ${probe.ready}/${probeTerms.length}; offered ${fmt((TRIPS * 1000) / INTERVAL, 0)} positions/s`);
load.c.send({ go: true }); probe.c.send({ go: true });
// Warm-up: every trip loaded into the pipeline (first positions, departed_origin milestones) and the
// pipeline caught up with ingest (stored but not yet evaluated below 0.2 s worth) for 5 s in a row.
const warmStart = Date.now();
const lag = () => p.ctx.positions.stats.stored - p.supervisor.stats.positions;
for (let calm = 0; Date.now() - warmStart < WARMUP * 1000 || p.supervisor.activeTrips < TRIPS * 0.99 || calm < 5;) {
  await new Promise((r) => setTimeout(r, 1000));
  calm = lag() < (TRIPS * 200) / INTERVAL ? calm + 1 : 0;
  if (Date.now() - warmStart > 240_000) throw new Error(`warm-up: ${p.supervisor.activeTrips} trips loaded, ${lag()} positions behind after 4 minutes`);
}
console.log(`warm-up ${((Date.now() - warmStart) / 1000).toFixed(0)} s: ${p.supervisor.activeTrips} trips in the pipeline, ${lag()} positions not yet evaluated`);

interface Run { alertP50: number; alertP99: number; alertMax: number; alerts: number; posP50: number; posP99: number; positions: number; storedPerS: number; evaluatedPerS: number; ackP99: number; loopP99: number; loopMax: number; elu: number; cpuPerS: number; cpuUsPerPosition: number; checkpointsPerS: number; txPerS: number; injected: number; unmatched: number; load: string; byType: Record<string, any> }
const runs: Run[] = [];
for (let r = 0; r < RUNS; r++) {
  const before = { stored: p.ctx.positions.stats.stored, ...p.supervisor.stats };
  const loop = monitorEventLoopDelay({ resolution: 5 }); loop.enable();
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  load.c.send({ measure: true }); probe.c.send({ measure: true });
  await new Promise((res) => setTimeout(res, SECONDS * 1000));
  const secs = (performance.now() - w0) / 1000;
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const cpu = process.cpuUsage(cpu0);
  const cpuPerS = (cpu.user + cpu.system) / 1e6 / secs;
  loop.disable();
  const la = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const after = { stored: p.ctx.positions.stats.stored, ...p.supervisor.stats };
  const [lr, pr] = await Promise.all([result(load.c), result(probe.c), (load.c.send({ measure: false, seconds: secs }), probe.c.send({ measure: false, seconds: secs }))]);
  const run: Run = {
    alertP50: pr.alerts.p50, alertP99: pr.alerts.p99, alertMax: pr.alerts.max, alerts: pr.alerts.n, posP50: pr.positions.p50, posP99: pr.positions.p99, positions: pr.positions.n,
    storedPerS: (after.stored - before.stored) / secs, evaluatedPerS: (after.positions - before.positions) / secs, ackP99: lr.ack.p99,
    loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6, elu, cpuPerS, cpuUsPerPosition: (cpuPerS * 1e6 * secs) / Math.max(1, after.stored - before.stored), checkpointsPerS: (after.checkpoints - before.checkpoints) / secs, txPerS: (after.transactions - before.transactions) / secs,
    injected: pr.injectedTamper, unmatched: pr.unmatchedAlerts, load: la, byType: pr.alertsByType,
  };
  runs.push(run);
  console.log(`run ${r + 1}: stored ${fmt(run.storedPerS, 0)}/s, evaluated ${fmt(run.evaluatedPerS, 0)}/s; alerts n=${run.alerts} (tamper frames ${run.injected}) p50 ${fmt(run.alertP50)} ms p99 ${fmt(run.alertP99)} ms max ${fmt(run.alertMax)} ms; `
    + `positions n=${run.positions} p50 ${fmt(run.posP50)} ms p99 ${fmt(run.posP99)} ms; ack p99 ${fmt(run.ackP99)} ms; server loop delay p99 ${fmt(run.loopP99)} ms, ELU ${fmt(run.elu)}, CPU ${fmt(run.cpuPerS)} s/s = ${fmt(run.cpuUsPerPosition, 0)} µs per position; `
    + `probe process loop p99 ${fmt(pr.own.loopP99)} max ${fmt(pr.own.loopMax)} ms ELU ${fmt(pr.own.elu)}, load process ELU ${fmt(lr.own.elu)}; server loop max ${fmt(run.loopMax)} ms; `
    + `checkpoints ${fmt(run.checkpointsPerS, 0)}/s in ${fmt(run.txPerS, 0)} tx/s; dashboard ${fmt(pr.dashboardEventsPerS, 0)} events/s; load avg ${la}`);
  console.log(`  by type: ${Object.entries(run.byType).map(([k, v]: any) => `${k} n=${v.n} p50 ${fmt(v.p50)} p99 ${fmt(v.p99)}`).join('; ')}`);
}
const med = (f: (r: Run) => number) => median(runs.map(f));
const out = {
  machine: machine(), trips: TRIPS, probes: PROBES, intervalMs: INTERVAL, seconds: SECONDS, runs: RUNS, checkpointS: CHECKPOINT_S, dashboards: DASHBOARDS,
  storedPerS: med((r) => r.storedPerS), evaluatedPerS: med((r) => r.evaluatedPerS),
  alertP50Ms: med((r) => r.alertP50), alertP99Ms: med((r) => r.alertP99), positionP50Ms: med((r) => r.posP50), positionP99Ms: med((r) => r.posP99),
  ackP99Ms: med((r) => r.ackP99), serverCpuPerS: med((r) => r.cpuPerS), serverCpuUsPerPosition: med((r) => r.cpuUsPerPosition), serverLoopDelayP99Ms: med((r) => r.loopP99), checkpointsPerS: med((r) => r.checkpointsPerS), loadAverage: runs.map((r) => r.load),
};
console.log(JSON.stringify(out));
for (const c of [load.c, probe.c]) c.send({ stop: true });
await new Promise((r) => setTimeout(r, 500));
await p.close();
fs.rmSync(dataDir, { recursive: true, force: true });
