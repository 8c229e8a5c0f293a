/**
 * Kysely's SQLite driver prepares every statement afresh, and preparing costs about as much as
 * running a small indexed query. This hands Kysely the connection with prepared statements kept
 * by SQL text (bounded; least recently used out). A statement still iterating a stream is busy
 * and cannot be re-entered, so that case gets a fresh one.
 */
import type { Database as Sqlite, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

export function withStatementCache(conn: Sqlite, max = 1000): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => conn.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit) {
        if (hit.busy) return conn.prepare(sql);
        cache.delete(sql); // re-insert: Map order is the recency order
        cache.set(sql, hit);
        return hit;
      }
      const st = conn.prepare(sql);
      cache.set(sql, st);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return st;
    },
  };
}
