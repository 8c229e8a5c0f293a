/**
 * How many concurrent JT/T 808 terminal connections the gateway holds, and what each costs.
 * The server runs here; the terminals run in child processes (so their sockets do not count
 * against this process's RSS or file limit). Each terminal authenticates and then stays idle
 * (heartbeats are answered like any message; the idle timeout is 300 s).
 *   bash -c 'ulimit -n 65536; node --import tsx bench/jt808-connections.bench.ts [--terminals 20000] [--children 2]'
 * Reports RSS and heap before/after and per connection. The target is 20,000 connections < 1 GB.
 */
import './lib/runtime.ts'; // first: the runtime flags onelock serve runs with
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import pino from 'pino';
import { startPlatform } from '../src/platform/server.ts';
import { ensureSimDevices } from '../src/sim/devices.ts';
import { machine, fmt } from './lib/stats.ts';

const arg = (k: string, d: number) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const REQUESTED = arg('terminals', 20_000), CHILDREN = arg('children', 2);
// Every held connection is one file descriptor here; reading RSS itself needs one more. Without
// CAP_SYS_RESOURCE the hard limit cannot be raised, so the count is capped just below it.
const fdLimit = Number(/Max open files\s+(\d+)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? Infinity);
const N = Math.min(REQUESTED, fdLimit - 100);
if (N < REQUESTED) console.log(`capped to ${N} connections by this process's open-file limit (${fdLimit}); raise it with ulimit -n where permitted`);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-conn-'));
const p = await startPlatform({ env: {}, log: pino({ level: 'silent' }), settings: { dataDir, tokenSecret: 'bench' } });
const { terminalIds } = await ensureSimDevices(p.ctx, N, '0505');
const codes = new Map<string, string>();
for (let i = 0; i < terminalIds.length; i += 500) {
  for (const r of await p.ctx.store.db.selectFrom('devices').select(['terminal_id', 'auth_code']).where('terminal_id', 'in', terminalIds.slice(i, i + 500)).execute()) codes.set(r.terminal_id, r.auth_code);
}
const port = await p.jt808.listen(0, '127.0.0.1');
global.gc?.();
const mem0 = process.memoryUsage();
const t0 = performance.now();
const per = Math.ceil(N / CHILDREN);
const children = Array.from({ length: CHILDREN }, (_, c) => {
  const child = fork(new URL('./lib/jt808-load.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] });
  child.send({ port, terminals: terminalIds.slice(c * per, (c + 1) * per).map((tid) => ({ tid, authCode: codes.get(tid)! })), mode: 'hold', window: 0, warmupMs: 0, durationMs: 0, baseTime: 0 });
  return child;
});
const ready = await Promise.all(children.map((ch) => new Promise<number>((r) => ch.on('message', (m: any) => m.ready !== undefined && r(m.ready)))));
const secs = (performance.now() - t0) / 1000;
await new Promise((r) => setTimeout(r, 2000));
global.gc?.();
const mem1 = process.memoryUsage();
const held = p.jt808.authenticated;
const out = {
  machine: machine(), requested: REQUESTED, attempted: N, held, connected: p.jt808.connected, clientsReady: ready.reduce((a, b) => a + b, 0), loginSeconds: +fmt(secs, 1),
  rssMbBefore: +fmt(mem0.rss / 2 ** 20, 0), rssMbAfter: +fmt(mem1.rss / 2 ** 20, 0), heapMbAfter: +fmt(mem1.heapUsed / 2 ** 20, 0),
  rssKbPerConnection: +fmt((mem1.rss - mem0.rss) / 1024 / Math.max(1, held), 1), heapKbPerConnection: +fmt((mem1.heapUsed - mem0.heapUsed) / 1024 / Math.max(1, held), 1),
  fdLimit,
  errors: p.jt808.stats.errors,
};
console.log(JSON.stringify(out));
for (const ch of children) ch.send('stop');
await new Promise((r) => setTimeout(r, 500));
await p.close();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
