/**
 * Handing the one SQLite connection to queued queries: Kysely's own driver mutex (every release
 * wakes every waiter) against the FIFO driver the platform uses, with n transactions queued at once.
 *   node --import tsx bench/sqlite-queue.bench.ts
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { FifoSqliteDialect } from '../src/platform/db/fifo-sqlite.ts';
for (const [name, D] of [['kysely', SqliteDialect], ['fifo', FifoSqliteDialect]] as const) {
  for (const n of [1000, 5000, 20000]) {
    const db = new Kysely<any>({ dialect: new D({ database: new Database(':memory:') }) });
    await db.selectNoFrom((eb) => eb.val(1).as('x')).execute();
    const t = performance.now();
    await Promise.all(Array.from({ length: n }, () => db.transaction().execute((trx) => trx.selectNoFrom((eb) => eb.val(1).as('x')).execute())));
    console.log(name, n, 'concurrent transactions', (performance.now() - t).toFixed(0), 'ms');
    await db.destroy();
  }
}
