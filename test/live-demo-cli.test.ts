/** `onelock serve --demo` as npm start runs it: a subprocess whose trucks show up on the map, or stay off with --no-sim. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = fileURLToPath(new URL('../bin/onelock.js', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the server on free ports in a fresh data dir; resolves with its HTTP base once the banner is out. */
async function serve(args: string[]): Promise<{ child: ChildProcess; base: string; banner: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-serve-'));
  const child = spawn(process.execPath, [bin, 'serve', '--demo', ...args], {
    env: { ...process.env, ONELOCK_DATA_DIR: dir, ONELOCK_HTTP_PORT: '0', ONELOCK_JT808_PORT: '0', ONELOCK_HTTP_HOST: '127.0.0.1', ONELOCK_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b) => { out += b; });
  child.stderr!.on('data', (b) => { out += b; });
  const until = Date.now() + 30_000;
  const bannerDone = () => out.includes('live demo') && out.slice(out.indexOf('live demo')).includes('\n\n');
  while (!bannerDone()) {
    if (Date.now() > until || child.exitCode !== null) { child.kill('SIGKILL'); throw new Error(`no banner:\n${out}`); }
    await sleep(50);
  }
  const port = /dashboard & API\s+http:\/\/localhost:(\d+)\//.exec(out)![1];
  return { child, base: `http://127.0.0.1:${port}`, banner: out, dir };
}

async function located(base: string): Promise<number> {
  const login = await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: 'onelock-demo' }) })).json() as { token: string };
  const snap = await (await fetch(`${base}/api/v1/live/snapshot`, { headers: { authorization: `Bearer ${login.token}` } })).json() as { items: { lat: number | null }[] };
  return snap.items.filter((i) => i.lat !== null).length;
}

async function stop(s: { child: ChildProcess; dir: string }) {
  const exited = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
  s.child.kill('SIGTERM');
  const code = await exited;
  fs.rmSync(s.dir, { recursive: true, force: true });
  return code;
}

describe('onelock serve --demo (subprocess)', { concurrency: true }, () => {
  it('runs the live demo: the banner says so and twelve trucks report within seconds', async () => {
    const s = await serve([]);
    try {
      assert.match(s.banner, /live demo\s+12 emulated e-locks/);
      assert.match(s.banner, /--no-sim or ONELOCK_DEMO_SIM=false/);
      const until = Date.now() + 20_000;
      let n = 0;
      while ((n = await located(s.base)) < 12 && Date.now() < until) await sleep(250);
      assert.equal(n, 12);
    } finally {
      assert.equal(await stop(s), 0, 'a clean shutdown');
    }
  });

  it('--no-sim leaves the demo data still: the banner says the live demo is off and no truck reports', async () => {
    const s = await serve(['--no-sim']);
    try {
      assert.match(s.banner, /live demo\s+off/);
      await sleep(6_000); // longer than a report interval
      assert.equal(await located(s.base), 0);
    } finally {
      assert.equal(await stop(s), 0);
    }
  });
});
