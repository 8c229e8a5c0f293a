/**
 * Migration 008 on a PostgreSQL database that already holds data: the 4-byte columns become double
 * precision and what they stored reads back as it did (60.1, not 60.099998474121094).
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { migrator } from '../../src/platform/db/migrations.ts';
import { PG_URL } from '../harness.ts';
import { pgSkip } from './pg-gate.ts';

describe('PostgreSQL migrations with data in place', { skip: pgSkip() }, () => {
  const schema = `mig_${process.pid}_${Date.now()}`;
  let db: Kysely<any> | undefined;
  after(async () => {
    await db?.destroy();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect(); await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`); await c.end();
  });

  it('008 widens real columns to double precision and keeps the stored values as they read', async () => {
    const boot = new pg.Client({ connectionString: PG_URL });
    await boot.connect(); await boot.query(`CREATE SCHEMA "${schema}"`); await boot.end();
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: PG_URL, max: 2, options: `-c search_path="${schema}"` }) }) });
    const m = migrator(db, 'postgres', schema);
    const to7 = await m.migrateTo('007_positions_dedupe_time_first');
    assert.equal(to7.error, undefined);
    const t = '2026-12-02T00:00:00.000Z';
    await db.insertInto('positions').values({ device_id: 'd1', trip_id: null, fix_time: t, received_at: t, serial: 1, lat: 24.8, lon: 118.6, altitude_m: 12.3, speed_kmh: 60.1, heading: 271.3, alarm: 0, status: 0, battery_pct: 87.3, lock_events: '[]', items: '{}', late: 0, source: 'test', raw: '' }).execute();
    await db.insertInto('risk_rules').values({ id: 'r1', name: 'value', min_value: 1234.5, active: 1, version: 1, created_at: t, updated_at: t }).execute();
    const before = await db.selectFrom('positions').select(['speed_kmh', 'heading', 'battery_pct', 'altitude_m']).executeTakeFirstOrThrow();
    assert.deepEqual(before, { speed_kmh: 60.1, heading: 271.3, battery_pct: 87.3, altitude_m: 12.3 }, 'PostgreSQL prints a 4-byte float in its shortest form');
    const latest = await m.migrateToLatest();
    assert.equal(latest.error, undefined);
    const types = await sql<{ table_name: string; column_name: string; data_type: string }>`
      select table_name, column_name, data_type from information_schema.columns where table_schema = ${schema} and data_type = 'real'`.execute(db);
    assert.deepEqual(types.rows, [], 'no 4-byte float column left');
    assert.deepEqual(await db.selectFrom('positions').select(['speed_kmh', 'heading', 'battery_pct', 'altitude_m']).executeTakeFirstOrThrow(), before, 'the same values after the widening');
    assert.equal((await db.selectFrom('risk_rules').select('min_value').executeTakeFirstOrThrow()).min_value, 1234.5);
    await db.updateTable('risk_rules').set({ min_value: 12_345_678.91 }).execute();
    assert.equal((await db.selectFrom('risk_rules').select('min_value').executeTakeFirstOrThrow()).min_value, 12_345_678.91);
  });
});
