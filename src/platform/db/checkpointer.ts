/**
 * WAL checkpoints off the event loop.
 *
 * SQLite's automatic checkpoint runs inside whichever commit takes the WAL past 1,000 pages. It
 * copies those pages into the database and fsyncs both files, and fsync time here grows with the
 * pages it flushes (measured on this VM: 0.3 ms for 1 page, 2 ms for 100, 15 ms for 1,000). With
 * better-sqlite3 that stall is the whole event loop's: under the gate bench one commit in ~40 took
 * 6–20 ms, which alone set the HTTP p99.
 *
 * Two parts share the work:
 * - A worker thread with its own connection runs PASSIVE checkpoints every `everyMs`: it copies
 *   and syncs the bulk of the WAL, and PASSIVE never blocks a writer or a reader.
 * - SQLite starts a WAL over from the beginning only when a writer comes and every frame is
 *   already checkpointed. With commits every few milliseconds a worker pass never ends between
 *   two of them, so the WAL would grow without bound. Once it holds `restartPages`, the worker
 *   catches up to within a few pages and the main connection (between transactions) runs one
 *   PASSIVE checkpoint of its own: it has only that tail to copy and sync, and the next commit
 *   restarts the WAL.
 *
 * Durability is unchanged: a commit is in the WAL before it returns, and a checkpoint still syncs
 * the WAL before it overwrites database pages. If the worker dies, or falls `safetyPages` behind,
 * the connection's own automatic checkpoint takes over.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Database as Sqlite } from 'better-sqlite3';

// Plain CommonJS run with eval: the worker needs no TypeScript loader. Shared slot READY: the
// WAL is past restartPages and the worker has copied all but the last few pages. Once the WAL is
// that long the worker passes again at once, each pass shorter than the one before (it copies only
// what was committed during the previous one), so the main connection is left a tail of a few pages.
const READY = 0;
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { everyMs, restartPages, tailPages } = workerData;
const Database = require(workerData.driver);
const db = new Database(workerData.file);
const shared = new Int32Array(workerData.shared);
let timer, prev = 0, chase = 0;
const pass = () => {
  let next = everyMs;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (!r.busy) {
      const fresh = r.checkpointed >= prev ? r.checkpointed - prev : r.checkpointed; // fewer: the WAL restarted
      prev = r.checkpointed;
      if (r.log >= restartPages && fresh > 0) {
        if (fresh <= tailPages || chase >= 4) { Atomics.store(shared, ${READY}, 1); chase = 0; }
        else { chase++; next = 0; }
      }
    }
  } catch (e) { parentPort.postMessage({ error: String((e && e.message) || e) }); }
  timer = setTimeout(pass, next);
};
timer = setTimeout(pass, everyMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearTimeout(timer); db.close(); parentPort.close(); } });
`;

export interface CheckpointerOptions {
  everyMs: number;
  /** WAL size (pages) at which the main connection finishes a checkpoint so the WAL restarts. */
  restartPages?: number;
  /** The main connection's own automatic checkpoint threshold while the worker runs. */
  safetyPages?: number;
}

export interface Checkpointer {
  /** Times the main connection finished a checkpoint so that the next commit restarts the WAL. */
  readonly stats: { restarts: number };
  stop(): Promise<void>;
}

export function startCheckpointer(conn: Sqlite, file: string, opts: CheckpointerOptions, onError: (message: string) => void): Checkpointer {
  const restartPages = opts.restartPages ?? 4096;
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, file, everyMs: opts.everyMs, restartPages, tailPages: 32, shared: shared.buffer } });
  worker.unref();
  conn.pragma(`wal_autocheckpoint = ${opts.safetyPages ?? restartPages * 8}`);
  const stats = { restarts: 0 };
  let alive = true;
  // Polled rather than messaged: reading a shared slot costs nothing, and a message would queue
  // behind whatever the event loop is doing anyway.
  const poll = setInterval(() => {
    if (Atomics.load(shared, READY) === 0 || !conn.open || conn.inTransaction) return;
    Atomics.store(shared, READY, 0);
    try {
      const [r] = conn.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      if (!r.busy && r.log === r.checkpointed) stats.restarts++;
    } catch (e) { onError((e as Error).message); }
  }, 5);
  poll.unref();
  const fallBack = () => {
    if (!alive) return;
    alive = false;
    clearInterval(poll);
    if (conn.open) conn.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('message', (m: { error?: string }) => { if (m.error) onError(m.error); });
  worker.on('error', (e) => { onError(e.message); fallBack(); });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => { fallBack(); resolve(); }));
  return {
    stats,
    async stop() {
      if (!alive) return;
      clearInterval(poll);
      worker.ref(); // unref'd so an open store never keeps a process alive; closing waits for it
      worker.postMessage('stop');
      await exited;
    },
  };
}
