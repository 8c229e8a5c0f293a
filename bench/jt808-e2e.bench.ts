/**
 * JT/T 808 end to end over loopback TCP on SQLite: emulated terminals (a child process) keep a
 * window of 0x0200 reports in flight; the server decodes, stores through the group-commit writer
 * and answers 0x8001 only after the commit. Reports positions/s acknowledged (every acknowledged
 * one is checked to be stored), and p50/p99 acknowledgment latency, medians of runs.
 *   node --import tsx bench/jt808-e2e.bench.ts [--terminals 200] [--window 32] [--seconds 8] [--runs 3]
 */
import './lib/runtime.ts'; // first: the runtime flags onelock serve runs with
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import pino from 'pino';
import { startPlatform } from '../src/platform/server.ts';
import { ensureSimDevices } from '../src/sim/devices.ts';
import { median, machine, fmt } from './lib/stats.ts';

const arg = (k: string, d: number) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const N = arg('terminals', 200), WINDOW = arg('window', 32), SECONDS = arg('seconds', 8), RUNS = arg('runs', 3);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-e2e-'));
const p = await startPlatform({ env: {}, log: pino({ level: 'silent' }), settings: { dataDir, tokenSecret: 'bench' } });
const { terminalIds } = await ensureSimDevices(p.ctx, N, '0606');
const codes = await p.ctx.store.db.selectFrom('devices').select(['terminal_id', 'auth_code']).where('terminal_id', 'in', terminalIds).execute();
const port = await p.jt808.listen(0, '127.0.0.1');
const count = () => Number((p.ctx.store.sqlite!.prepare('select count(*) from positions').pluck().get()));

const runs: Array<{ acksPerS: number; p50: number; p99: number; stored: number; acked: number }> = [];
for (let r = 0; r < RUNS; r++) {
  const before = count();
  const child = fork(new URL('./lib/jt808-load.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] });
  child.send({ port, terminals: codes.map((c) => ({ tid: c.terminal_id, authCode: c.auth_code })), mode: 'flood', window: WINDOW, warmupMs: 2000, durationMs: SECONDS * 1000, baseTime: Date.parse('2026-01-01T00:00:00Z') + r * 10 ** 9 });
  const res: any = await new Promise((resolve) => child.on('message', (m: any) => m.result && resolve(m.result)));
  await new Promise((r2) => child.on('exit', r2));
  await p.ctx.positions.drain();
  const stored = count() - before;
  if (stored < res.totalAcked) throw new Error(`acknowledged ${res.totalAcked} but stored ${stored}`);
  runs.push({ acksPerS: res.acksPerS, p50: res.p50, p99: res.p99, stored, acked: res.totalAcked });
  console.log(`run ${r + 1}: ${fmt(res.acksPerS, 0)} positions/s acknowledged, p50 ${fmt(res.p50)} ms, p99 ${fmt(res.p99)} ms; acked ${res.totalAcked}, stored ${stored}, writer batches ${p.ctx.positions.stats.batches}`);
}
const out = {
  machine: machine(), terminals: N, window: WINDOW, seconds: SECONDS, runs: RUNS,
  positionsPerS: median(runs.map((x) => x.acksPerS)), p50Ms: median(runs.map((x) => x.p50)), p99Ms: median(runs.map((x) => x.p99)),
  everyAckStored: runs.every((x) => x.stored >= x.acked),
};
console.log(JSON.stringify(out));
await p.close();
fs.rmSync(dataDir, { recursive: true, force: true });
