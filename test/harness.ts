/**
 * Starts a real platform for a test: SQLite in a fresh temp dir, or PostgreSQL in a schema of its
 * own (so parallel runs never collide). Tests fake only the clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { startPlatform, type Platform } from '../src/platform/server.ts';
import { ManualClock } from '../src/platform/clock.ts';
import type { Settings } from '../src/platform/config.ts';
import { seedDemo, DEMO_PASSWORD } from '../src/demo/seed.ts';

export type DbKind = 'sqlite' | 'postgres';
export const PG_URL = process.env.ONELOCK_TEST_DATABASE_URL ?? '';

export interface Harness {
  p: Platform;
  clock: ManualClock;
  schema: string | null;
  login(username: string, password?: string): Promise<string>;
  req(method: string, url: string, opts?: { token?: string; apiKey?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Record<string, any> }>;
  close(): Promise<void>;
  /** Stops the platform and starts a new one on the same data dir / schema and clock (restart tests). */
  restart(): Promise<void>;
}

export async function harness(kind: DbKind = 'sqlite', opts: { seed?: boolean; settings?: Partial<Settings> } = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-test-'));
  const clock = new ManualClock(Date.parse('2026-11-28T02:00:00Z'));
  const schema = kind === 'postgres' ? `t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}` : null;
  const start = () => startPlatform({
    env: {},
    clock,
    log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    settings: { dataDir, databaseUrl: kind === 'postgres' ? PG_URL : '', databaseSchema: schema ?? 'public', tokenSecret: 'test-secret-not-for-production', supervisionTickS: 0 /* timers are ticked by the tests, on the ManualClock */, ...opts.settings },
  });
  let p = await start();
  if (opts.seed !== false) await seedDemo(p.ctx, { quick: true });
  const req: Harness['req'] = async (method, url, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.apiKey) headers['x-api-key'] = o.apiKey;
    const res = await p.app.inject({ method: method as any, url, headers, ...(o.body !== undefined ? { payload: o.body as any } : {}) });
    let body: any = res.body;
    try { body = res.json(); } catch { /* not JSON */ }
    return { status: res.statusCode, body, headers: res.headers };
  };
  const h: Harness = {
    p, clock, schema, req,
    async restart() {
      await p.close();
      p = h.p = await start();
    },
    async login(username, password = DEMO_PASSWORD) {
      const r = await req('POST', '/api/v1/auth/login', { body: { username, password } });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.token;
    },
    async close() {
      await p.close();
      if (schema) {
        const pg = (await import('pg')).default;
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Polls `get` every 10 ms until `ok` holds for its value (truthy by default) and returns that value; fails after `ms`. */
export async function until<T>(get: () => T | Promise<T>, ok: (v: T) => boolean = (v) => !!v, ms = 3000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
