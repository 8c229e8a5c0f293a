/**
 * Smart-gate benchmark: 10,000 active trips, passages posted at 500/s over loopback HTTP to a
 * server in its own process. Reports the server-side decision time (measured by the server around
 * fact gathering + decision) and the client's HTTP round trip, p50/p99, as medians of runs.
 *   node --import tsx bench/gate.bench.ts [--trips 10000] [--rate 500] [--runs 3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import pino from 'pino';
import { startPlatform } from '../src/platform/server.ts';
import { seedDemo, demoGateKey } from '../src/demo/seed.ts';
import { newId } from '../src/platform/ids.ts';
import { percentile, median, machine, fmt } from './lib/stats.ts';

const arg = (k: string, d: number) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const TRIPS = arg('trips', 10_000), RATE = arg('rate', 500), RUNS = arg('runs', 3);
const PER_RUN = Math.floor(TRIPS / RUNS);
const secret = 'bench-secret';

async function prepare(dataDir: string) {
  const p = await startPlatform({ env: {}, log: pino({ level: 'silent' }), settings: { dataDir, tokenSecret: secret } });
  await seedDemo(p.ctx, { quick: true });
  const db = p.ctx.store.sqlite!;
  const ent = db.prepare(`select id from enterprises order by id limit 1`).pluck().get() as string;
  const route = db.prepare(`select id, place_ids from routes limit 1`).get() as { id: string; place_ids: string };
  const [origin, , , dest] = JSON.parse(route.place_ids);
  const drv = db.prepare(`select id from drivers limit 1`).pluck().get() as string;
  const now = new Date().toISOString();
  const deadline = new Date(Date.now() + 10 * 3600_000).toISOString();
  const goods = JSON.stringify([{ line: 1, hsCode: '85176299', description: 'parts', packages: 10, grossKg: 18000, netKg: 17000, value: 1000, currency: 'CNY' }]);
  const trips: Array<{ plate: string; lock: string }> = [];
  db.transaction(() => {
    for (let i = 0; i < TRIPS; i++) {
      const v = newId('veh'), d = newId('dev'), dec = newId('dec'), t = newId('trp');
      const plate = `粤Z${String(i).padStart(5, '0').slice(-5)}`.slice(0, 7) + (i >= 100000 ? '' : '');
      const plateCn = `粤B${String(i).padStart(5, '0')}`;
      const lock = `0177${String(i).padStart(8, '0')}`;
      db.prepare(`insert into vehicles values (?,?,?,?,?,1,?,?)`).run(v, ent, plateCn, null, 'tractor', now, now);
      db.prepare(`insert into devices (id, terminal_id, model, lock_profile, state, battery_pct, last_seen_at, auth_code, ingest_key_hash, version, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,1,?,?)`).run(d, lock, 'CEL', 'customs-elock', 'sealed', 90, null, 'x', null, now, now);
      db.prepare(`insert into declarations (id, enterprise_id, direction, vehicle_id, driver_id, container_no, origin_place_id, destination_place_id, route_id, time_limit_min, goods, state, reasons, trip_id, version, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`).run(dec, ent, 'export', v, drv, null, origin, dest, route.id, 840, goods, 'accepted', '[]', t, now, now);
      db.prepare(`insert into trips (id, declaration_id, enterprise_id, vehicle_id, driver_id, device_id, route_id, origin_place_id, destination_place_id, direction, state, resume_state, deadline_at, time_limit_min, active_vehicle_id, active_device_id, discharge, version, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`).run(t, dec, ent, v, drv, d, route.id, origin, dest, 'export', 'in_transit', null, deadline, 840, v, d, null, now, now);
      db.prepare(`insert into seal_sessions values (?,?,?,?,?,?,?,?,?)`).run(newId('ses'), t, d, 'CN', now, 'bench', null, null, null);
      trips.push({ plate: plateCn, lock });
      void plate;
    }
  })();
  const gate = db.prepare(`select id from gates limit 1`).pluck().get() as string;
  const key = demoGateKey(p.ctx);
  await p.close();
  return { trips, gate, key };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-gate-bench-'));
  const t0 = Date.now();
  const { trips, gate, key } = await prepare(dataDir);
  console.log(`prepared ${trips.length} active trips in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const port = 18000 + Math.floor(Math.random() * 1000);
  const server = spawn(process.execPath, ['bin/onelock.js', 'serve', '--port', String(port)], { env: { ...process.env, ONELOCK_DATA_DIR: dataDir, ONELOCK_TOKEN_SECRET: secret, ONELOCK_LOG_LEVEL: 'warn', ONELOCK_DEMO: 'false' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) { try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not up yet */ } await new Promise((r) => setTimeout(r, 100)); }
  const runs: Array<{ rttP50: number; rttP99: number; decP50: number; decP99: number; achieved: number; decisions: Record<string, number> }> = [];
  let next = 0;
  for (let run = 0; run < RUNS; run++) {
    const rtts: number[] = [];
    const since = new Date().toISOString();
    const start = performance.now();
    const inflight: Promise<void>[] = [];
    const decisions: Record<string, number> = {};
    for (let i = 0; i < PER_RUN; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const t = trips[next++];
      const sent = performance.now();
      inflight.push(fetch(`${base}/api/v1/gates/${gate}/lanes/E1/passages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify({ passageId: `b-${run}-${i}`, platesRead: [t.plate], lockIdRead: t.lock, grossKg: 18100 }) })
        .then(async (r) => { const b: any = await r.json(); rtts.push(performance.now() - sent); decisions[b.decision] = (decisions[b.decision] ?? 0) + 1; }));
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - start) / 1000;
    const report: any = await (await fetch(`${base}/api/v1/gates/report?since=${encodeURIComponent(since)}`, { headers: { authorization: `Bearer ${await token(base)}` } })).json();
    rtts.sort((a, b) => a - b);
    runs.push({ rttP50: percentile(rtts, 50), rttP99: percentile(rtts, 99), decP50: report.decisionMs.p50, decP99: report.decisionMs.p99, achieved: PER_RUN / elapsed, decisions });
    console.log(`run ${run + 1}: ${PER_RUN} passages at ${fmt(PER_RUN / elapsed, 0)}/s; decision p50 ${fmt(report.decisionMs.p50)} ms p99 ${fmt(report.decisionMs.p99)} ms; HTTP RTT p50 ${fmt(percentile(rtts, 50))} ms p99 ${fmt(percentile(rtts, 99))} ms; ${JSON.stringify(decisions)}`);
  }
  server.kill('SIGTERM');
  const out = {
    trips: TRIPS, rate: RATE, runs: RUNS,
    decisionP50: median(runs.map((r) => r.decP50)), decisionP99: median(runs.map((r) => r.decP99)),
    rttP50: median(runs.map((r) => r.rttP50)), rttP99: median(runs.map((r) => r.rttP99)), achievedRate: median(runs.map((r) => r.achieved)),
  };
  console.log(`\nmedian of ${RUNS} runs: decision p50 ${fmt(out.decisionP50)} ms, p99 ${fmt(out.decisionP99)} ms (target < 5); HTTP RTT p50 ${fmt(out.rttP50)} ms, p99 ${fmt(out.rttP99)} ms (target < 20); ${fmt(out.achievedRate, 0)} passages/s\nmachine: ${machine()}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

async function token(base: string) {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: process.env.ONELOCK_DEMO_PASSWORD || 'onelock-demo' }) });
  return ((await r.json()) as any).token;
}

await main();
