/**
 * What a newcomer waits for: a real `npm start` (prestart, server, seed, live demo) on free ports in
 * a fresh data dir, polled through its SQLite file, timing from the spawn to the banner, the first
 * stored position, the first truck that moved, each scripted incident and the first closed trip.
 * Reports every run and the medians.
 *   node --import tsx bench/live-demo-start.bench.ts [--runs 3] [--seconds 235]
 */
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { median, machine } from './lib/stats.ts';

const arg = (k: string, d: number) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const RUNS = arg('runs', 3), SECONDS = arg('seconds', 235);
const root = fileURLToPath(new URL('..', import.meta.url));
const freePort = () => new Promise<number>((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });

const MILESTONES = [
  'banner', 'first position stored', 'first truck moved > 50 m', 'gate passage (truck at the lane)', 'tamper', 'route_deviation',
  'unauthorised_stop', 'gate passage (truck driving in)', 'dead zone backfill + late route_deviation', 'first trip closed, next one sealed',
] as const;
type Seen = Partial<Record<(typeof MILESTONES)[number], number>>;

async function once(): Promise<{ seen: Seen; load: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-start-'));
  const env = { ...process.env, ONELOCK_DATA_DIR: dir, ONELOCK_HTTP_PORT: String(await freePort()), ONELOCK_JT808_PORT: String(await freePort()), ONELOCK_HTTP_HOST: '127.0.0.1', ONELOCK_LOG_LEVEL: 'warn' };
  const t0 = Date.now();
  const child = spawn('npm', ['start'], { cwd: root, detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const seen: Seen = {};
  const mark = (k: keyof Seen) => { if (seen[k] === undefined) seen[k] = (Date.now() - t0) / 1000; };
  child.stdout!.on('data', (b) => { if (String(b).includes('onelock is running')) mark('banner'); });
  child.stderr!.resume();
  const firstFix = new Map<string, { lat: number; lon: number }>();
  let db: Database.Database | null = null;
  for (const until = t0 + SECONDS * 1000; Date.now() < until;) {
    await new Promise((r) => setTimeout(r, 500));
    try { db ??= new Database(path.join(dir, 'onelock.sqlite'), { readonly: true, fileMustExist: true }); } catch { continue; }
    try {
      const live = db.prepare('select device_id, lat, lon from positions where late = 0 order by id').all() as { device_id: string; lat: number; lon: number }[];
      if (live.length) mark('first position stored');
      for (const r of live) {
        const f = firstFix.get(r.device_id);
        if (!f) firstFix.set(r.device_id, r);
        else if (Math.hypot((f.lat - r.lat) * 111_000, (f.lon - r.lon) * 102_000) > 50) mark('first truck moved > 50 m');
      }
      for (const a of db.prepare('select type, late from alerts').all() as { type: string; late: number }[]) {
        if (a.type === 'route_deviation' && a.late) mark('dead zone backfill + late route_deviation');
        else if (a.type === 'tamper' || a.type === 'route_deviation' || a.type === 'unauthorised_stop') mark(a.type);
      }
      const passages = (db.prepare('select count(*) n from passages').get() as { n: number }).n;
      if (passages >= 1) mark('gate passage (truck at the lane)');
      if (passages >= 2) mark('gate passage (truck driving in)');
      if (db.prepare("select 1 from trips where state = 'closed'").get()) mark('first trip closed, next one sealed');
    } catch { /* the writer holds the lock for a moment */ }
  }
  process.kill(-child.pid!, 'SIGTERM');
  await new Promise((r) => child.once('exit', r));
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { seen, load: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') };
}

const runs: { seen: Seen; load: string }[] = [];
for (let i = 0; i < RUNS; i++) { runs.push(await once()); console.error(`run ${i + 1}: ${JSON.stringify(runs.at(-1))}`); }
const cell = (v: number | undefined) => (v === undefined ? 'not seen' : `${v.toFixed(1)} s`);
console.log(`\n${machine()}; web/dist ${fs.existsSync(path.join(root, 'web/dist/index.html')) ? 'present' : 'missing (prestart builds it)'}\n`);
console.log(`| since \`npm start\` | ${runs.map((_, i) => `run ${i + 1}`).join(' | ')} | median |`);
console.log(`|---|${runs.map(() => '---|').join('')}---|`);
for (const m of MILESTONES) {
  const xs = runs.map((r) => r.seen[m]);
  const got = xs.filter((x): x is number => x !== undefined);
  console.log(`| ${m} | ${xs.map(cell).join(' | ')} | ${got.length === xs.length ? cell(median(got)) : 'not in every run'} |`);
}
console.log(`| load average at the end | ${runs.map((r) => r.load).join(' | ')} | |`);
