/**
 * Server CPU per gate passage, in process: the same route and transaction chain as over HTTP
 * (Fastify inject, no socket), passages one after another for different trips, so each release
 * runs arrive at boundary → hand over. CPU time (user + system) is counted by the process, which
 * makes the figure far less sensitive to other work sharing the cores than wall-clock rates are.
 *   node --import tsx bench/gate-cpu.bench.ts [--trips 10000] [--passages 3000] [--runs 3]
 */
import './lib/runtime.ts'; // first: the runtime flags onelock serve runs with
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startPlatform } from '../src/platform/server.ts';
import { prepareGateTrips } from './lib/gate-data.ts';
import { median, machine, fmt } from './lib/stats.ts';

const arg = (k: string, d: number) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const TRIPS = arg('trips', 10_000), PASSAGES = arg('passages', 3000), RUNS = arg('runs', 3), WARMUP = 500;
const secret = 'bench-secret';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-gate-cpu-'));
const { trips, gate, key } = await prepareGateTrips(dataDir, secret, Math.max(TRIPS, WARMUP + PASSAGES * RUNS));
const p = await startPlatform({ env: {}, log: pino({ level: 'silent' }), settings: { dataDir, tokenSecret: secret, supervisionTickS: 0 } });
let next = 0;
const pass = async (run: string, i: number) => {
  const t = trips[next++];
  const r = await p.app.inject({ method: 'POST', url: `/api/v1/gates/${gate}/lanes/E1/passages`, headers: { 'x-api-key': key }, payload: { passageId: `c-${run}-${i}`, platesRead: [t.plate], lockIdRead: t.lock, grossKg: 18100 } });
  if (r.statusCode !== 200) throw new Error(`passage answered ${r.statusCode}: ${r.body}`);
};
for (let i = 0; i < WARMUP; i++) await pass('w', i);
const cpu: number[] = [], wall: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const c0 = process.cpuUsage(), w0 = performance.now();
  for (let i = 0; i < PASSAGES; i++) await pass(String(run), i);
  const c = process.cpuUsage(c0), w = performance.now() - w0;
  cpu.push((c.user + c.system) / 1000 / PASSAGES);
  wall.push(w / PASSAGES);
  console.log(`run ${run + 1}: ${PASSAGES} passages, CPU ${fmt(cpu.at(-1)!, 3)} ms/passage (user ${fmt(c.user / 1000 / PASSAGES, 3)}, system ${fmt(c.system / 1000 / PASSAGES, 3)}), wall ${fmt(wall.at(-1)!, 3)} ms/passage`);
}
console.log(`\nmedian of ${RUNS} runs: ${fmt(median(cpu), 3)} ms CPU per passage (→ at most ${fmt(1000 / median(cpu), 0)} passages/s per fully free core), wall ${fmt(median(wall), 3)} ms\nmachine: ${machine()}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
await p.close();
fs.rmSync(dataDir, { recursive: true, force: true });
