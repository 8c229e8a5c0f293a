/**
 * WAL checkpoints off the request thread. SQLite's automatic checkpoint runs inside whichever
 * commit crosses the threshold: it copies the WAL into the database and fsyncs both, stalling
 * that commit (and with better-sqlite3 the whole event loop) for milliseconds. Here a worker
 * thread with its own connection runs PASSIVE checkpoints on a timer instead; writers never wait
 * for it. Durability is unchanged: a commit is in the WAL before it returns, and a checkpoint
 * still syncs the WAL before it overwrites database pages. If the worker dies, the connection's
 * own automatic checkpoint (kept, at a higher threshold, as the safety net) takes over again.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Database as Sqlite } from 'better-sqlite3';

// Plain CommonJS run with eval: the worker needs no TypeScript loader.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
let timer;
const tick = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
  timer = setTimeout(tick, workerData.everyMs);
};
timer = setTimeout(tick, workerData.everyMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearTimeout(timer); db.close(); parentPort.close(); } });
`;

/** Pages the WAL may reach before the connection checkpoints by itself (the default is 1,000). */
const SAFETY_NET_PAGES = 20_000;

export interface Checkpointer { stop(): Promise<void> }

export function startCheckpointer(conn: Sqlite, file: string, everyMs: number, onError: (message: string) => void): Checkpointer {
  const worker = new Worker(WORKER, { eval: true, workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, everyMs } });
  worker.unref();
  conn.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  let alive = true;
  const fallBack = () => { if (alive) { alive = false; if (conn.open) conn.pragma('wal_autocheckpoint = 1000'); } };
  worker.on('message', (m: { error?: string }) => { if (m.error) onError(m.error); });
  worker.on('error', (e) => { onError(e.message); fallBack(); });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => { fallBack(); resolve(); }));
  return {
    async stop() {
      if (!alive) return;
      worker.ref(); // unref'd so an open store never keeps a process alive; closing waits for it
      worker.postMessage('stop');
      await exited;
    },
  };
}
