/**
 * A server of its own for the map performance test: free port, temp data dir, the fleet seeded
 * through fleet-seed.ts, and a FleetDriver posting the locks' fixes over the HTTP ingest.
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FleetDriver } from './fleet-driver.ts';
import type { FleetTruck } from './fleet-seed.ts';
import { PASSWORD } from './session.ts';

const SECRET = 'map-perf-secret';
const freePort = (): Promise<number> => new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); }); });

export async function startFleetServer(trucks: number, intervalS: number) {
  const t0 = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-map-perf-'));
  const seeded = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'test/e2e/fleet-seed.ts', dataDir, String(trucks), SECRET], { encoding: 'utf8' })) as { trucks: FleetTruck[] };
  const seedS = (Date.now() - t0) / 1000;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['bin/onelock.js', 'serve', '--port', String(port)], {
    env: { ...process.env, ONELOCK_DATA_DIR: dataDir, ONELOCK_TOKEN_SECRET: SECRET, ONELOCK_JT808_PORT: '0', ONELOCK_HTTP_HOST: '127.0.0.1', ONELOCK_LOG_LEVEL: 'warn', ONELOCK_DEMO: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const close = async () => {
    await driver?.stop();
    if (server.exitCode === null) await new Promise((res) => { server.once('exit', res); server.kill('SIGTERM'); });
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  let driver: FleetDriver | null = null;
  try {
    for (let i = 0; ; i++) {
      if (server.exitCode !== null) throw new Error(`the fleet server exited with ${server.exitCode}`);
      try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not listening yet */ }
      if (i > 600) throw new Error('the fleet server did not start within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const json = async (url: string, init?: RequestInit): Promise<any> => { const r = await fetch(base + url, init); if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`); return r.json(); };
    const sup = (await json('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: PASSWORD }) })).token as string;
    const key = (await json('/api/v1/api-keys', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sup}` }, body: JSON.stringify({ role: 'device', label: 'map perf lock gateway' }) })).key as string;
    const route = (await json('/api/v1/routes', { headers: { authorization: `Bearer ${sup}` } })).items[0];
    driver = new FleetDriver({ base, key, route: route.geometry.coordinates, trucks: seeded.trucks, intervalS });
    await driver.placeAll();
    if (driver.errors.length) throw new Error(`ingest refused the fleet's first fixes: ${driver.errors[0]}`);
    driver.start();
  } catch (e) {
    await close();
    throw e;
  }
  return { base, driver, seedS, close };
}
