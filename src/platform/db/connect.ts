/**
 * One database interface, two dialects: better-sqlite3 (WAL) by default, pg when the settings
 * carry a postgres:// URL. Callers only see Kysely<Database>.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database as DB } from './schema.ts';
import { withStatementCache } from './statement-cache.ts';
import { FifoSqliteDialect } from './fifo-sqlite.ts';
import { startCheckpointer } from './checkpointer.ts';
import { dataPath, type Settings } from '../config.ts';

export type Dialect = 'sqlite' | 'postgres';
export interface Store {
  db: Kysely<DB>;
  dialect: Dialect;
  /** The better-sqlite3 handle, for the few hot paths (position group commit) that bypass the query builder. */
  sqlite?: import('better-sqlite3').Database;
  close(): Promise<void>;
}

export async function openStore(settings: Settings): Promise<Store> {
  if (settings.databaseUrl.startsWith('postgres://') || settings.databaseUrl.startsWith('postgresql://')) {
    const pg = (await import('pg')).default;
    // bigint (int8) comes back as a string by default; our bigint columns hold 32-bit flag words.
    pg.types.setTypeParser(20, (v: string) => Number(v));
    const schema = settings.databaseSchema;
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`ONELOCK_DATABASE_SCHEMA: invalid schema name "${schema}"`);
    const boot = new pg.Client({ connectionString: settings.databaseUrl });
    await boot.connect();
    await boot.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await boot.end();
    const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 10, options: `-c search_path="${schema}"` });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = settings.databaseUrl.startsWith('sqlite:')
    ? settings.databaseUrl.slice('sqlite:'.length)
    : dataPath(settings, 'onelock.sqlite');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const Sqlite = (await import('better-sqlite3')).default;
  const conn = new Sqlite(file);
  // WAL with synchronous=NORMAL: a commit is in the WAL (handed to the OS) before it returns, so it
  // survives a crash of the process; a power cut may lose the last commits but never corrupts the
  // database. FULL would add an fsync to every commit.
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = NORMAL');
  conn.pragma('foreign_keys = ON');
  conn.pragma('busy_timeout = 5000');
  const checkpointer = file !== ':memory:' && settings.sqliteCheckpointMs > 0
    ? startCheckpointer(conn, path.resolve(file), { everyMs: settings.sqliteCheckpointMs }, (m) => process.emitWarning(`SQLite background checkpoint: ${m}`))
    : undefined;
  const db = new Kysely<DB>({ dialect: new FifoSqliteDialect({ database: withStatementCache(conn) }) });
  // The checkpoint thread closes its connection first, so this one is the last and cleans up the WAL.
  return { db, dialect: 'sqlite', sqlite: conn, close: async () => { await checkpointer?.stop(); await db.destroy(); } };
}
