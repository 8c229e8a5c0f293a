/**
 * The one audit writer: an append-only, hash-chained log. Each entry's hash covers the previous
 * entry's hash and its own canonical content, so an edited, inserted or deleted row breaks the
 * chain at a point `verifyAuditChain` can name.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, AuditRow } from './db/schema.ts';
import { prepared } from './db/prepared.ts';
import type { Dialect } from './db/connect.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export function entryHash(prevHash: string, e: { seq: number; at: string; actor: string; action: string; subject: string; before: string | null; after: string | null; reason: string | null }): string {
  const body = JSON.stringify([e.seq, e.at, e.actor, e.action, e.subject, e.before, e.after, e.reason]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * The head each open transaction has already appended. Once a transaction has written an entry it
 * holds SQLite's write lock or PostgreSQL's advisory lock until it ends, so nobody else can move
 * the head and its next entries need not read it (or take the lock) again. Keyed by the
 * transaction object, so the entry goes away with it, committed or rolled back.
 */
const heads = new WeakMap<object, { seq: number; hash: string }>();

// Every change writes here, so both statements are compiled once.
const chainHead = prepared((db) => db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1));
const insertEntry = prepared((db, v: Omit<AuditRow, 'seq'> & { seq: number }) => db.insertInto('audit_log').values({
  seq: v.seq, at: v.at, actor: v.actor, action: v.action, subject: v.subject, before: v.before, after: v.after, reason: v.reason, prev_hash: v.prev_hash, hash: v.hash,
}));

/**
 * Appends inside the caller's transaction, so the audit entry lands with the change or not at all.
 * PostgreSQL takes a transaction-scoped advisory lock to serialise the chain head; SQLite already
 * serialises writers.
 */
export async function appendAudit(trx: Transaction<Database> | Kysely<Database>, dialect: Dialect, at: string, e: AuditEntry): Promise<void> {
  let head = trx.isTransaction ? heads.get(trx) : undefined;
  if (!head) {
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(808001)`.execute(trx);
    const last = await chainHead.first(trx, {});
    head = { seq: Number(last?.seq ?? 0), hash: last?.hash ?? GENESIS_HASH };
  }
  const seq = head.seq + 1;
  const prev = head.hash;
  const row = { seq, at, actor: e.actor, action: e.action, subject: e.subject, before: json(e.before), after: json(e.after), reason: e.reason ?? null };
  const hash = entryHash(prev, row);
  await insertEntry.run(trx, { ...row, prev_hash: prev, hash });
  if (trx.isTransaction) heads.set(trx, { seq, hash });
}

export interface AuditVerdict {
  ok: boolean;
  checked: number;
  firstBadSeq?: number;
  problem?: 'edited' | 'inserted_or_relinked' | 'deleted' | 'bad_genesis';
  message: string;
}

/** Walks the chain in seq order and stops at the first break. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<AuditVerdict> {
  let prev = GENESIS_HASH;
  let expectSeq = 1;
  let checked = 0;
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(5000).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectSeq) {
        return { ok: false, checked, firstBadSeq: expectSeq, problem: seq > expectSeq ? 'deleted' : 'inserted_or_relinked', message: `entry ${expectSeq} is missing (next is ${seq})` };
      }
      if (r.prev_hash !== prev) {
        return { ok: false, checked, firstBadSeq: seq, problem: seq === 1 ? 'bad_genesis' : 'inserted_or_relinked', message: `entry ${seq} does not link to entry ${seq - 1}` };
      }
      const h = entryHash(prev, { seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, before: r.before, after: r.after, reason: r.reason });
      if (h !== r.hash) return { ok: false, checked, firstBadSeq: seq, problem: 'edited', message: `entry ${seq} was changed after it was written` };
      prev = r.hash;
      expectSeq++;
      checked++;
      after = seq;
    }
  }
  return { ok: true, checked, message: `${checked} entries, chain intact` };
}
