/**
 * Node runtime flags the platform needs and cannot set once running: V8's worker pool.
 *
 * Why: Node gives V8 four platform threads for its concurrent marking, parallel scavenges and
 * sweeping. On a 2-vCPU host those four threads, the event-loop thread and the rest of the machine
 * compete for two cores, and each full collection of the ~130 MB heap of 10,000 supervised trips
 * left the event loop off-CPU for 100-150 ms, which set the alert latency p99 (bench/results/
 * alert-latency.md). With one pool thread the same collections cost no stall over ~35 ms. The pool
 * is sized from the cores (one less than the machine has, at most Node's four), so a larger host
 * keeps Node's default and is not relaunched at all.
 *
 * `--v8-pool-size` is read when the process starts, so `relaunchWithRuntimeFlags` runs the same
 * command again as a child with the flag, forwards signals to it and exits with its code; the
 * child exits on its own if this process dies (the IPC channel closes). ONELOCK_V8_POOL_SIZE sets
 * the size (`default` keeps Node's, and no relaunch happens). ONELOCK_RELAUNCHED is not a setting:
 * it marks the relaunched child for itself.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { loadSettings } from './config.ts';

const NODE_DEFAULT_POOL = 4;
const RELAUNCHED = 'ONELOCK_RELAUNCHED';

/** The pool size for a machine with `cores` CPUs, or null when Node's default already fits. */
export function v8PoolSizeFor(cores: number, setting = ''): number | null {
  if (setting === 'default') return null;
  if (setting !== '') {
    const n = Number(setting);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`ONELOCK_V8_POOL_SIZE: expected a whole number 1-64 or "default", got "${setting}"`);
    return n;
  }
  const n = Math.min(NODE_DEFAULT_POOL, Math.max(1, cores - 1));
  return n === NODE_DEFAULT_POOL ? null : n;
}

/**
 * The flags the relaunch would add, for tools that spawn `onelock serve` themselves (benches): with
 * them on the command line nothing is relaunched, so the pid they watch is the server's own.
 */
export function runtimeFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const n = v8PoolSizeFor(os.availableParallelism(), loadSettings(env).v8PoolSize);
  return n === null ? [] : [`--v8-pool-size=${n}`];
}

const hasPoolFlag = (args: readonly string[], nodeOptions: string) =>
  args.some((a) => a.startsWith('--v8-pool-size')) || /(^|\s)--v8-pool-size/.test(nodeOptions);

/**
 * Resolves at once when this process may go on as it is (flag present or not needed); otherwise
 * starts the relaunched child and never resolves, so the caller's code runs only in the child.
 * `script` is the entry file the child runs (with this process's arguments after it).
 */
export function relaunchWithRuntimeFlags(script: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env[RELAUNCHED]) {
    // The parent is only a shell around this process: without it nobody would stop this one.
    if (process.channel) { process.channel.unref(); process.once('disconnect', () => process.kill(process.pid, 'SIGTERM')); }
    return Promise.resolve();
  }
  const [flag] = runtimeFlags(env);
  if (flag === undefined || hasPoolFlag(process.execArgv, env.NODE_OPTIONS ?? '')) return Promise.resolve();
  const child = spawn(process.execPath, [flag, ...process.execArgv, script, ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...env, [RELAUNCHED]: '1' },
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR2'] as const) process.on(sig, () => { if (child.exitCode === null) child.kill(sig); });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
  child.on('error', (e) => { console.error(`onelock: could not relaunch with ${flag}: ${e.message}`); process.exit(1); });
  return new Promise(() => {});
}
