/**
 * Public verification over real HTTP: GET /api/v1/verify/:number against certificates issued through
 * the API, served by `onelock serve` in its own process and loaded by wrk from another (a Node client
 * in a child process when wrk is not installed), so the load generator never shares the server's
 * event loop. Two certificates: one without a trip, one naming a sealed e-lock trip (seal chain read).
 *   node --import tsx bench/verify-http.bench.ts [--runs 5] [--seconds 5] [--conc 32] [--log warn] [--pg postgres://…]
 * With --pg the server stores in PostgreSQL (a schema of its own, dropped afterwards) instead of SQLite.
 */
import './lib/runtime.ts'; // first: the runtime flags onelock serve runs with
import { runtimeFlags } from '../src/platform/runtime-flags.ts';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import pino from 'pino';
import { startPlatform } from '../src/platform/server.ts';
import { seedDemo, DEMO_PASSWORD } from '../src/demo/seed.ts';
import { median, machine } from './lib/stats.ts';

const arg = (k: string, d: string) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? process.argv[i + 1] : d; };
const RUNS = Number(arg('runs', '5')), SECONDS = Number(arg('seconds', '5')), CONC = Number(arg('conc', '32')), LOG = arg('log', 'warn');
const PG = arg('pg', '');
const schema = PG ? `bench_verify_${process.pid}` : 'public';
const secret = 'bench-secret';

async function prepare(dataDir: string) {
  const p = await startPlatform({ env: {}, log: pino({ level: 'silent' }), settings: { dataDir, tokenSecret: secret, supervisionTickS: 0, databaseUrl: PG, databaseSchema: schema } });
  await seedDemo(p.ctx, { quick: true });
  const call = async (method: string, url: string, token?: string, body?: unknown) => {
    const r = await p.app.inject({ method: method as any, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body ? { payload: body as any } : {}) });
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  const login = async (u: string) => (await call('POST', '/api/v1/auth/login', undefined, { username: u, password: DEMO_PASSWORD })).token;
  const [officer, exporter] = [await login('officer.cn'), await login('yongchun.fruit')];
  const a = await call('POST', '/api/v1/inspection-applications', exporter, { commodity: 'ponkan', quantityKg: 26000, packages: { count: 2600, typeCode: 'BX' }, destination: 'MY', consignee: { name: 'Importer Sdn Bhd' }, conveyance: { modeCode: 3 }, importPermitNo: 'MAQIS-1', pointOfEntry: { name: 'Bukit Kayu Hitam' } });
  const b = await call('POST', '/api/v1/inspection-batches', officer, { applicationId: a.id });
  await call('POST', `/api/v1/inspection-batches/${b.id}/inspection`, officer, { conform: true });
  await call('POST', `/api/v1/inspection-batches/${b.id}/lab-results`, officer, { lab: 'bench', residues: [{ pesticide: 'imidacloprid', mgPerKg: 0.1 }] });
  const plain = await call('POST', '/api/v1/certificates', officer, { batchId: b.id, quantityKg: 1000 });
  const trip = await p.ctx.store.db.selectFrom('trips').innerJoin('seal_sessions', 'seal_sessions.trip_id', 'trips.id').select('trips.id').orderBy('trips.id').executeTakeFirstOrThrow();
  const sealed = await call('POST', '/api/v1/certificates', officer, { batchId: b.id, quantityKg: 1000, tripId: trip.id });
  await p.close();
  return { plain: plain.number as string, sealed: sealed.number as string };
}

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => { const port = (s.address() as net.AddressInfo).port; s.close(() => resolve(port)); });
});

async function startServer(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...runtimeFlags(), 'bin/onelock.js', 'serve', '--port', String(port)], {
    env: { ...process.env, ONELOCK_DATA_DIR: dataDir, ONELOCK_TOKEN_SECRET: secret, ONELOCK_LOG_LEVEL: LOG, ONELOCK_DEMO: 'false', ONELOCK_JT808_PORT: '0', ONELOCK_HTTP_HOST: '127.0.0.1', ONELOCK_DATABASE_URL: PG, ONELOCK_DATABASE_SCHEMA: schema },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) return { child, base }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('server did not come up');
}

interface Run { rps: number; p50ms: number; p99ms: number; cpuUsPerReq?: number }

/**
 * The server's own CPU time (user + system, from /proc) per answered request: on a shared machine this
 * moves far less with other people's load than requests/s does, and 1e6 / it is the rate one free core
 * would sustain for the server's part of the work.
 */
const TICK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
function cpuMs(pid: number): number | null {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / TICK;
  } catch { return null; }
}
const hasWrk = spawnSync('wrk', ['--version']).error === undefined;

/** Parses wrk's summary; refuses a run with socket errors or non-2xx answers. */
function wrk(url: string, seconds: number): Run {
  const r = spawnSync('wrk', ['-t1', `-c${CONC}`, `-d${seconds}s`, '--latency', url], { encoding: 'utf8' });
  const out = r.stdout;
  if (/Non-2xx/.test(out) || /Socket errors/.test(out)) throw new Error(`wrk saw errors:\n${out}`);
  const ms = (s: string) => { const m = /^([\d.]+)(us|ms|s)$/.exec(s)!; return Number(m[1]) * (m[2] === 'us' ? 1e-3 : m[2] === 's' ? 1e3 : 1); };
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]), p50ms: ms(/ 50%\s+(\S+)/.exec(out)![1]), p99ms: ms(/ 99%\s+(\S+)/.exec(out)![1]) };
}

/** Fallback load: a Node keep-alive client in a child process (never in the server's process). */
function nodeClient(url: string, seconds: number): Run {
  const code = `const http=require('node:http');const u=new URL(process.argv[1]);const a=new http.Agent({keepAlive:true,maxSockets:${CONC}});const lat=[];let bad=0;const until=performance.now()+${seconds * 1000};
const get=()=>new Promise((res,rej)=>{const t=performance.now();http.get({host:u.hostname,port:u.port,path:u.pathname,agent:a},(r)=>{r.resume();r.on('end',()=>{if(r.statusCode!==200)bad++;lat.push(performance.now()-t);res();});}).on('error',rej);});
Promise.all(Array.from({length:${CONC}},async()=>{while(performance.now()<until)await get();})).then(()=>{lat.sort((x,y)=>x-y);console.log(JSON.stringify({n:lat.length,bad,p50:lat[lat.length>>1],p99:lat[Math.floor(lat.length*0.99)]}));a.destroy();});`;
  const r = spawnSync(process.execPath, ['-e', code, url], { encoding: 'utf8' });
  const o = JSON.parse(r.stdout);
  if (o.bad) throw new Error(`${o.bad} non-200 answers`);
  return { rps: o.n / seconds, p50ms: o.p50, p99ms: o.p99 };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-verify-bench-'));
  const certs = await prepare(dataDir);
  const { child, base } = await startServer(dataDir);
  const out: Record<string, unknown> = { bench: 'verify-http', database: PG ? 'postgres' : 'sqlite', client: hasWrk ? 'wrk -t1' : 'node child process', concurrency: CONC, seconds: SECONDS, serverLogLevel: LOG, machine: machine(), loadBefore: os.loadavg().map((x) => x.toFixed(2)).join(' ') };
  try {
    for (const [label, number] of Object.entries(certs)) {
      const url = `${base}/api/v1/verify/${number}`;
      const body: any = await (await fetch(url)).json();
      if (body.status !== 'valid' || body.signatureValid !== true || (label === 'sealed') !== (body.sealChain !== null)) throw new Error(`unexpected answer for ${label}: ${JSON.stringify(body).slice(0, 300)}`);
      const load = hasWrk ? wrk : nodeClient;
      load(url, 2); // warm-up
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        const c0 = cpuMs(child.pid!);
        const r = load(url, SECONDS);
        const c1 = cpuMs(child.pid!);
        if (c0 !== null && c1 !== null) r.cpuUsPerReq = ((c1 - c0) * 1000) / (r.rps * SECONDS);
        runs.push(r);
      }
      const cpu = runs.every((r) => r.cpuUsPerReq !== undefined) ? median(runs.map((r) => r.cpuUsPerReq!)) : null;
      out[label] = {
        certificate: number, runsRps: runs.map((r) => Math.round(r.rps)), medianRps: Math.round(median(runs.map((r) => r.rps))), medianP50ms: median(runs.map((r) => r.p50ms)), medianP99ms: median(runs.map((r) => r.p99ms)),
        ...(cpu !== null ? { serverCpuUsPerReq: Math.round(cpu), oneCoreRps: Math.round(1e6 / cpu) } : {}),
      };
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (PG) {
      const pg = (await import('pg')).default;
      const c = new pg.Client({ connectionString: PG });
      await c.connect(); await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`); await c.end();
    }
  }
  out.loadAfter = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(JSON.stringify(out, null, 1));
}

await main();
