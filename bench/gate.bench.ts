/**
 * Smart-gate benchmark: 10,000 active trips, passages offered at a fixed 500/s over keep-alive
 * loopback HTTP by an open-loop client in its own process (bench/lib/gate-load.ts) to the real
 * server (`onelock serve`) in another. Reports the server-side decision time (measured by the
 * server around fact gathering + decision, read back from /api/v1/gates/report) and the client's
 * HTTP round trip counted from each request's due time, p50/p99, as medians of runs.
 *   node --import tsx bench/gate.bench.ts [--trips 10000] [--rate 500] [--runs 3] [--warmup 2000] [--profile dir] [--samples file]
 */
import { runtimeFlags } from '../src/platform/runtime-flags.ts';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { prepareGateTrips } from './lib/gate-data.ts';
import { percentile, median, machine, fmt } from './lib/stats.ts';
import type { LoadJob, LoadResult } from './lib/gate-load.ts';

const argOf = (k: string) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? process.argv[i + 1] : undefined; };
const arg = (k: string, d: number) => Number(argOf(k) ?? d);
const TRIPS = arg('trips', 10_000), RATE = arg('rate', 500), RUNS = arg('runs', 3), WARMUP = arg('warmup', 2000);
const PROFILE = argOf('profile');
const SAMPLES = argOf('samples'); // append every request's RTT (ms, one per line) to this file, to pool invocations
const PER_RUN = Math.floor(TRIPS / RUNS);
const secret = 'bench-secret';

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => { const port = (s.address() as net.AddressInfo).port; s.close(() => resolve(port)); });
});

/** CPU time (user + system) a process has used so far, ms; Linux /proc, else NaN. */
function cpuMsOf(pid: number | undefined) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch { return NaN; }
}

function loadOnce(client: ChildProcess, job: LoadJob) {
  return new Promise<LoadResult>((resolve) => { client.once('message', (m) => resolve(m as LoadResult)); client.send(job); });
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-gate-bench-'));
  const t0 = Date.now();
  const { trips, gate, key } = await prepareGateTrips(dataDir, secret, TRIPS + WARMUP);
  console.log(`prepared ${trips.length} active trips (${WARMUP} for warm-up) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const port = await freePort();
  const nodeArgs = [...runtimeFlags(), '--import', path.resolve('bench/lib/server-timing.mjs'), ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(PROFILE)}`] : [])];
  const timingFile = path.join(dataDir, 'server-timing.json');
  const server = spawn(process.execPath, [...nodeArgs, 'bin/onelock.js', 'serve', '--port', String(port)], {
    env: { ...process.env, BENCH_TIMING_FILE: timingFile, ONELOCK_DATA_DIR: dataDir, ONELOCK_TOKEN_SECRET: secret, ONELOCK_LOG_LEVEL: 'warn', ONELOCK_DEMO: 'false', ONELOCK_HTTP_HOST: '127.0.0.1', ONELOCK_JT808_PORT: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((r) => server.once('exit', r));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) { try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not up yet */ } await new Promise((r) => setTimeout(r, 100)); }
  const client = fork(path.resolve('bench/lib/gate-load.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise((r) => client.once('message', r));
  const auth = { headers: { authorization: `Bearer ${await token(base)}` } };
  let next = 0;
  const job = (run: string, n: number, rate: number): LoadJob => ({
    host: '127.0.0.1', port, path: `/api/v1/gates/${gate}/lanes/E1/passages`, key, rate,
    bodies: Array.from({ length: n }, (_, i) => { const t = trips[next++]; return JSON.stringify({ passageId: `b-${run}-${i}`, platesRead: [t.plate], lockIdRead: t.lock, grossKg: 18100 }); }),
  });
  if (WARMUP) {
    const w = await loadOnce(client, job('warmup', WARMUP, Math.min(RATE, 250)));
    console.log(`warm-up: ${w.ok}/${w.sent} ok, RTT p99 ${fmt(percentile(w.fromDue, 99))} ms`);
    await new Promise((r) => setTimeout(r, 2000)); // let the server settle (JIT, GC) before measuring
  }
  await serverTiming(server, timingFile); // drop what the warm-up collected
  const pooled: number[] = []; // every request of every run: the p99 of all of them, not a median of per-run p99s
  const runs: Array<{ handlerP99: number; rttP50: number; rttP99: number; sendP99: number; decP50: number; decP99: number; achieved: number; serverCpu: number; clientCpu: number }> = [];
  for (let run = 0; run < RUNS; run++) {
    const since = new Date().toISOString();
    const jobRun = job(String(run), PER_RUN, RATE);
    const cpu0 = cpuMsOf(server.pid);
    const r = await loadOnce(client, jobRun);
    const serverCpu = (cpuMsOf(server.pid) - cpu0) / PER_RUN;
    for (const x of r.fromDue) pooled.push(x);
    if (SAMPLES) fs.appendFileSync(SAMPLES, r.fromDue.map((x) => x.toFixed(3)).join('\n') + '\n');
    const timing = await serverTiming(server, timingFile);
    const handler = timing.handlerMs.sort((a, b) => a - b);
    const report: any = await (await fetch(`${base}/api/v1/gates/report?since=${encodeURIComponent(since)}`, auth)).json();
    const row = { handlerP99: percentile(handler, 99), rttP50: percentile(r.fromDue, 50), rttP99: percentile(r.fromDue, 99), sendP99: percentile(r.fromSend, 99), decP50: report.decisionMs.p50, decP99: report.decisionMs.p99, achieved: r.ok / r.elapsedS, serverCpu, clientCpu: r.clientCpuMs };
    runs.push(row);
    console.log(`run ${run + 1}: ${r.ok}/${r.sent} ok (${JSON.stringify(r.statuses)}) offered ${fmt(r.offeredRate, 0)}/s, answered ${fmt(row.achieved, 0)}/s, client send lag max ${fmt(r.maxSendLagMs)} ms, ${r.connections} connections; ` +
      `decision p50 ${fmt(row.decP50)} ms p99 ${fmt(row.decP99)} ms (server counted ${report.passages}); in the server (request → finish) p50 ${fmt(percentile(handler, 50))} ms p99 ${fmt(row.handlerP99)} ms max ${fmt(handler.at(-1) ?? NaN)} ms, server loop delay max ${fmt(timing.loopDelayMaxMs)} ms; HTTP RTT from due p50 ${fmt(row.rttP50)} ms p99 ${fmt(row.rttP99)} ms max ${fmt(r.fromDue.at(-1)!)} ms; from send p99 ${fmt(row.sendP99)} ms; ` +
      `CPU per passage: server ${fmt(serverCpu, 3)} ms, client ${fmt(r.clientCpuMs, 3)} ms; load ${os.loadavg()[0].toFixed(2)}; ${JSON.stringify(r.decisions)}`);
  }
  client.send('exit');
  server.kill('SIGTERM');
  await exited;
  const out = {
    decisionP50: median(runs.map((r) => r.decP50)), decisionP99: median(runs.map((r) => r.decP99)),
    handlerP99: median(runs.map((r) => r.handlerP99)), rttP50: median(runs.map((r) => r.rttP50)), rttP99: median(runs.map((r) => r.rttP99)), achievedRate: median(runs.map((r) => r.achieved)),
    serverCpu: median(runs.map((r) => r.serverCpu)), clientCpu: median(runs.map((r) => r.clientCpu)),
    rttP99Pooled: percentile(pooled.sort((a, b) => a - b), 99),
  };
  console.log(`\nmedian of ${RUNS} runs: decision p50 ${fmt(out.decisionP50)} ms, p99 ${fmt(out.decisionP99)} ms (target < 5); HTTP RTT p50 ${fmt(out.rttP50)} ms, p99 ${fmt(out.rttP99)} ms (target < 20; over all ${pooled.length} requests ${fmt(out.rttP99Pooled)} ms; in the server p99 ${fmt(out.handlerP99)} ms); ${fmt(out.achievedRate, 0)} passages/s answered; CPU per passage server ${fmt(out.serverCpu, 3)} ms, client ${fmt(out.clientCpu, 3)} ms\nmachine: ${machine()}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** What bench/lib/server-timing.mjs collected in the server since the last call. */
async function serverTiming(server: ChildProcess, file: string): Promise<{ handlerMs: number[]; loopDelayMaxMs: number }> {
  fs.rmSync(file, { force: true });
  server.kill('SIGUSR2');
  for (let i = 0; i < 200; i++) {
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the server wrote no timing (bench/lib/server-timing.mjs not loaded?)');
}

async function token(base: string) {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: process.env.ONELOCK_DEMO_PASSWORD || 'onelock-demo' }) });
  return ((await r.json()) as any).token;
}

await main();
