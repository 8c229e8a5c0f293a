import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startCheckpointer } from './checkpointer.ts';

const PAGE = 4096;

async function writeContinuously(file: string, opts: { restartPages: number } | null, commits: number) {
  const conn = new Database(file);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = NORMAL');
  conn.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)');
  const errors: string[] = [];
  // The safety net far above what the test writes: only the worker and the restart bound the WAL.
  const cp = opts ? startCheckpointer(conn, file, { everyMs: 5, restartPages: opts.restartPages, safetyPages: 1_000_000 }, (m) => errors.push(m)) : null;
  if (!opts) conn.pragma('wal_autocheckpoint = 0');
  const ins = conn.prepare('INSERT INTO t (v) VALUES (?)');
  let walMax = 0;
  for (let i = 0; i < commits; i++) {
    ins.run(Buffer.alloc(PAGE, i & 0xff)); // a page and a bit per commit
    if (i % 5 === 0) {
      walMax = Math.max(walMax, fs.statSync(`${file}-wal`).size);
      await new Promise((r) => setTimeout(r, 1)); // commits keep coming every millisecond or so
    }
  }
  const restarts = cp?.stats.restarts ?? 0;
  await cp?.stop();
  conn.close();
  return { walMaxPages: walMax / PAGE, restarts, errors };
}

test('WAL checkpoints run off the event loop and the WAL still restarts under continuous commits', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-ckpt-'));
  try {
    const file = path.join(dir, 'a.sqlite');
    const run = await writeContinuously(file, { restartPages: 200 }, 3000);
    assert.deepEqual(run.errors, []);
    assert.ok(run.restarts > 0, 'the main connection finished a checkpoint at least once');
    // 3,000 commits of two pages or more each: without restarts the WAL would hold over 6,000 pages.
    assert.ok(run.walMaxPages < 3000, `WAL reached ${run.walMaxPages} pages`);
    // Nothing was lost: a fresh connection sees every row.
    const check = new Database(file, { readonly: true });
    assert.equal((check.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 3000);
    check.close();

    // The same writes with no checkpoint at all grow the WAL past the bound above (the test measures something).
    const bare = await writeContinuously(path.join(dir, 'b.sqlite'), null, 3000);
    assert.ok(bare.walMaxPages > 6000, `WAL without checkpoints reached ${bare.walMaxPages} pages`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('closing a store waits for the checkpoint thread, and the connection checkpoints by itself again', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-ckpt-'));
  try {
    const file = path.join(dir, 'c.sqlite');
    const conn = new Database(file);
    conn.pragma('journal_mode = WAL');
    const cp = startCheckpointer(conn, file, { everyMs: 5, restartPages: 100 }, () => {});
    assert.equal(conn.pragma('wal_autocheckpoint', { simple: true }), 800);
    await cp.stop();
    assert.equal(conn.pragma('wal_autocheckpoint', { simple: true }), 1000);
    conn.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
