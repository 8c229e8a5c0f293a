import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { v8PoolSizeFor } from './runtime-flags.ts';

const probe = fileURLToPath(new URL('../../test/fixtures/relaunch-probe.ts', import.meta.url));

test('the V8 pool is one less than the cores, and Node keeps its default of four on a larger machine', () => {
  assert.equal(v8PoolSizeFor(1), 1);
  assert.equal(v8PoolSizeFor(2), 1);
  assert.equal(v8PoolSizeFor(4), 3);
  assert.equal(v8PoolSizeFor(5), null);
  assert.equal(v8PoolSizeFor(64), null);
  assert.equal(v8PoolSizeFor(2, 'default'), null);
  assert.equal(v8PoolSizeFor(16, '2'), 2);
  assert.throws(() => v8PoolSizeFor(2, 'two'), /ONELOCK_V8_POOL_SIZE/);
  assert.throws(() => v8PoolSizeFor(2, '0'), /ONELOCK_V8_POOL_SIZE/);
});

function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', probe, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b) => { out += b; });
  const line = new Promise<{ execArgv: string[]; pid: number; ppid: number }>((resolve, reject) => {
    child.stdout.on('data', () => { const l = out.split('\n').find((x) => x.startsWith('{')); if (l) resolve(JSON.parse(l)); });
    child.on('exit', () => reject(new Error(`exited before reporting: ${out}`)));
  });
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, line, exit };
}

test('a process relaunches itself once with --v8-pool-size and exits with the code of the relaunched one', async () => {
  const { child, line, exit } = run(['exit', '3'], { ONELOCK_V8_POOL_SIZE: '2' });
  const r = await line;
  assert.ok(r.execArgv.includes('--v8-pool-size=2'), r.execArgv.join(' '));
  assert.equal(r.ppid, child.pid, 'the relaunched process is the child of the one started');
  assert.equal(await exit, 3);
});

test('with ONELOCK_V8_POOL_SIZE=default nothing is relaunched', async () => {
  const { child, line, exit } = run(['exit', '0'], { ONELOCK_V8_POOL_SIZE: 'default' });
  const r = await line;
  assert.equal(r.pid, child.pid);
  assert.ok(!r.execArgv.some((a) => a.startsWith('--v8-pool-size')));
  assert.equal(await exit, 0);
});

test('the relaunched process stops on a forwarded SIGTERM, and on its own when the parent is killed outright', async () => {
  const a = run(['wait'], { ONELOCK_V8_POOL_SIZE: '1' });
  await a.line;
  a.child.kill('SIGTERM');
  assert.notEqual(await a.exit, 0);

  const b = run(['wait'], { ONELOCK_V8_POOL_SIZE: '1' });
  const inner = (await b.line).pid;
  b.child.kill('SIGKILL');
  await b.exit;
  const until = Date.now() + 5000;
  const alive = () => { try { process.kill(inner, 0); return true; } catch { return false; } };
  while (alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  assert.equal(alive(), false, 'the relaunched process outlived its killed parent');
});
