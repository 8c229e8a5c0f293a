/**
 * Public verification over real HTTP (loopback, keep-alive): GET /api/v1/verify/:number against a
 * certificate issued through the API. A small client keeps C requests in flight for D seconds;
 * median requests/second of several runs. Run: node --import tsx bench/verify-http.bench.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import pino from 'pino';
import { startPlatform } from '../src/platform/server.ts';
import { seedDemo, DEMO_PASSWORD } from '../src/demo/seed.ts';

const RUNS = Number(process.env.RUNS ?? 5), SECONDS = Number(process.env.SECONDS ?? 5), CONC = Number(process.env.CONC ?? 32);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-bench-'));
const p = await startPlatform({ env: {}, log: pino({ level: 'silent' }), settings: { dataDir, databaseUrl: '', tokenSecret: 'bench-secret' } });
await seedDemo(p.ctx, { quick: true });
const call = async (method: string, url: string, token?: string, body?: unknown) => {
  const r = await p.app.inject({ method: method as any, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body ? { payload: body as any } : {}) });
  if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
  return r.json();
};
const login = async (u: string) => (await call('POST', '/api/v1/auth/login', undefined, { username: u, password: DEMO_PASSWORD })).token;
const [officer, exporter] = [await login('officer.cn'), await login('yongchun.fruit')];
const a = await call('POST', '/api/v1/inspection-applications', exporter, { commodity: 'ponkan', quantityKg: 26000, packages: { count: 2600, typeCode: 'BX' }, destination: 'MY', consignee: { name: 'Importer Sdn Bhd' }, conveyance: { modeCode: 1 }, importPermitNo: 'MAQIS-1', pointOfEntry: { name: 'Port Klang' } });
const b = await call('POST', '/api/v1/inspection-batches', officer, { applicationId: a.id });
await call('POST', `/api/v1/inspection-batches/${b.id}/inspection`, officer, { conform: true });
await call('POST', `/api/v1/inspection-batches/${b.id}/lab-results`, officer, { lab: 'bench', residues: [{ pesticide: 'imidacloprid', mgPerKg: 0.1 }] });
const cert = await call('POST', '/api/v1/certificates', officer, { batchId: b.id, quantityKg: 1000 });
await p.app.listen({ port: 0, host: '127.0.0.1' });
const port = (p.app.server.address() as any).port;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONC });
const url = `/api/v1/verify/${cert.number}`;

function get(): Promise<number> {
  return new Promise((resolve, reject) => {
    const rq = http.request({ host: '127.0.0.1', port, path: url, agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
    rq.on('error', reject); rq.end();
  });
}
async function run(): Promise<number> {
  let n = 0, bad = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CONC }, async () => { while (performance.now() < until) { if ((await get()) === 200) n++; else bad++; } }));
  if (bad) throw new Error(`${bad} non-200 answers`);
  return n / SECONDS;
}
await run(); // warm-up
const rates: number[] = [];
for (let i = 0; i < RUNS; i++) rates.push(await run());
rates.sort((x, y) => x - y);
console.log(JSON.stringify({ bench: 'verify-http', certificate: cert.number, concurrency: CONC, seconds: SECONDS, runs: rates.map(Math.round), medianRps: Math.round(rates[Math.floor(rates.length / 2)]), cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version }));
agent.destroy();
await p.close();
fs.rmSync(dataDir, { recursive: true, force: true });
