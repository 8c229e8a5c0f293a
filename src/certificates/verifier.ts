/**
 * Public verification by number, built to answer thousands of requests a second on one core.
 *
 * - The signed content and its signature are immutable once issued, so the Ed25519 check is memoised on
 *   the exact stored text: every request still reads the row, and a row whose text differs from the memo
 *   (which the product never writes) is parsed and checked afresh.
 * - Status, replacement and cancellation are read from that row on every request, never cached, so a
 *   cancel or a replace is visible to the very next verification (and to every process).
 * - The seal chain (five lookups) is cached per trip and dropped on trip.changed, alert.changed and
 *   gate.passage for that trip — the events published after every commit that changes a trip, its seal
 *   sessions, its alerts or its passages. A short age limit bounds staleness for writes made by another
 *   process while the bus is in-process only.
 * - The answer is assembled as a string from pre-serialised parts: the same bytes JSON.stringify writes
 *   for the object shape (see verificationOf), without re-serialising 2 KB of content per request.
 */
import { CompiledQuery } from 'kysely';
import type { AppContext } from '../platform/context.ts';
import { notFound } from '../platform/errors.ts';
import { TRIP_CHANGED } from '../platform/db/position-writer.ts';
import { ALERT_CHANGED } from '../alerts/alert-model.ts';
import { signingKeyOf } from './key-store.ts';
import { verifyContent, type KeyRing } from './signing.ts';
import { statusOf, type CertificateValidity } from './verify.ts';
import { sealChainOf, type SealChain } from './seal-chain.ts';
import type { CertificateContent, Signature } from './model.ts';

/** Published by the gate routes after a passage (or its override) commits. */
const GATE_PASSAGE = 'gate.passage';
/** Longest a cached seal chain is served without an event confirming it is still current (clock ms). */
export const SEAL_CHAIN_MAX_AGE_MS = 2_000;
const MAX_ENTRIES = 20_000;

export interface Verification {
  number: string;
  status: CertificateValidity;
  signatureValid: boolean;
  replacedBy: string | null;
  replaces: string | null;
  replaceReason: string | null;
  cancelled: { reason: string; at: string } | null;
  content: CertificateContent;
  signature: Signature;
  sealChain: SealChain | null;
}

interface Signed {
  ring: KeyRing;
  contentText: string;
  signatureText: string;
  content: CertificateContent;
  signature: Signature;
  ok: boolean;
  /** `"content":…,"signature":…` exactly as JSON.stringify writes them. */
  json: string;
}

interface Row {
  number: string; content: string; signature: string; status: 'issued' | 'replaced' | 'cancelled';
  replaced_by: string | null; replaces: string | null; replace_reason: string | null; cancelled: string | null; trip_id: string | null; lock_id: string | null;
}

export class Verifier {
  private signed = new Map<string, Signed>();
  private chains = new Map<string, { chain: SealChain; at: number }>();
  /** Trips whose chain is being read: an event during the read bumps `gen`, and that read is not cached. */
  private reading = new Map<string, { gen: number; refs: number }>();
  private readonly unsubscribe: Array<() => void>;
  private readonly byNumber: CompiledQuery<Row>;
  private readonly sqliteByNumber?: import('better-sqlite3').Statement<[string], Row>;

  constructor(private ctx: AppContext) {
    const drop = (m: { tripId?: string | null }) => {
      if (!m?.tripId) return;
      this.chains.delete(m.tripId);
      const r = this.reading.get(m.tripId);
      if (r) r.gen++;
    };
    this.unsubscribe = [TRIP_CHANGED, ALERT_CHANGED, GATE_PASSAGE].map((s) => ctx.bus.subscribe(s, drop));
    // Built and compiled once; each request only swaps the parameter.
    this.byNumber = ctx.store.db.selectFrom('certificates')
      .select(['number', 'content', 'signature', 'status', 'replaced_by', 'replaces', 'replace_reason', 'cancelled', 'trip_id', 'lock_id'])
      .where('number', '=', '').compile() as CompiledQuery<Row>;
    // On SQLite the driver would prepare the statement on every call; keep one prepared statement.
    this.sqliteByNumber = ctx.store.sqlite?.prepare<[string], Row>(this.byNumber.sql);
  }

  close() {
    for (const u of this.unsubscribe) u();
  }

  private async row(number: string): Promise<Row> {
    const n = String(number).trim().toUpperCase();
    const db = this.ctx.store.db;
    const st = this.sqliteByNumber;
    // The SQLite statement runs while holding the store's one connection, so it never reads inside
    // another request's open transaction.
    const r = st ? await db.connection().execute(async () => st.get(n)) : (await db.executeQuery<Row>({ ...this.byNumber, parameters: [n] })).rows[0];
    if (!r) throw notFound('certificate', n);
    return r;
  }

  private signedOf(r: Row): Signed {
    const ring = signingKeyOf(this.ctx.settings).ring;
    const hit = this.signed.get(r.number);
    if (hit && hit.ring === ring && hit.contentText === r.content && hit.signatureText === r.signature) return hit;
    const content = JSON.parse(r.content) as CertificateContent;
    const signature = JSON.parse(r.signature) as Signature;
    const s: Signed = {
      ring, contentText: r.content, signatureText: r.signature, content, signature, ok: verifyContent(content, signature, ring).ok,
      json: `"content":${JSON.stringify(content)},"signature":${JSON.stringify(signature)}`,
    };
    if (this.signed.size >= MAX_ENTRIES) this.signed.clear();
    this.signed.set(r.number, s);
    return s;
  }

  private async chainOf(tripId: string, lockId: string | null): Promise<SealChain> {
    const now = this.ctx.clock.now();
    const hit = this.chains.get(tripId);
    if (hit && now - hit.at < SEAL_CHAIN_MAX_AGE_MS && now >= hit.at) return { ...hit.chain, lockId };
    let r = this.reading.get(tripId);
    if (!r) this.reading.set(tripId, (r = { gen: 0, refs: 0 }));
    r.refs++;
    const gen = r.gen;
    try {
      const chain = await sealChainOf(this.ctx.store.db, tripId, lockId);
      if (gen === r.gen) {
        if (this.chains.size >= MAX_ENTRIES) this.chains.clear();
        this.chains.set(tripId, { chain, at: now });
      }
      return chain;
    } finally {
      if (--r.refs === 0) this.reading.delete(tripId);
    }
  }

  private async parts(number: string) {
    const r = await this.row(number);
    const s = this.signedOf(r);
    return {
      r, s,
      status: statusOf({ status: r.status, content: s.content }, this.ctx.clock.now()),
      cancelled: r.cancelled ? (JSON.parse(r.cancelled) as { reason: string; at: string }) : null,
      sealChain: r.trip_id ? await this.chainOf(r.trip_id, r.lock_id) : null,
    };
  }

  /** The verification as an object (the HTML page). `content` and `signature` are shared: read, never modify. */
  async verification(number: string): Promise<Verification> {
    const { r, s, status, cancelled, sealChain } = await this.parts(number);
    return verificationOf(r, s.content, s.signature, s.ok, status, cancelled, sealChain);
  }

  /** The verification as the JSON text of verification() — what GET /api/v1/verify/:number sends. */
  async json(number: string): Promise<string> {
    const { r, s, status, cancelled, sealChain } = await this.parts(number);
    const j = JSON.stringify;
    return `{"number":${j(r.number)},"status":${j(status)},"signatureValid":${s.ok},"replacedBy":${j(r.replaced_by)},"replaces":${j(r.replaces)},"replaceReason":${j(r.replace_reason)},"cancelled":${j(cancelled)},${s.json},"sealChain":${j(sealChain)}}`;
  }
}

/** The one shape of a verification; json() writes exactly what JSON.stringify writes for it. */
export const verificationOf = (r: Pick<Row, 'number' | 'replaced_by' | 'replaces' | 'replace_reason'>, content: CertificateContent, signature: Signature, signatureValid: boolean,
  status: CertificateValidity, cancelled: Verification['cancelled'], sealChain: SealChain | null): Verification => ({
  number: r.number, status, signatureValid,
  replacedBy: r.replaced_by, replaces: r.replaces, replaceReason: r.replace_reason,
  cancelled, content, signature, sealChain,
});
