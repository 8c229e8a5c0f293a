/**
 * Seal chain for a certificate that names an e-locked trip: was the seal intact from sealing to the
 * boundary? Read from seal_sessions, seal_opened/tamper alerts (resolved or not) and gate passages.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.ts';

export interface SealChain {
  tripId: string;
  lockId: string | null;
  tripState: string | null;
  sealedAt: string | null;
  boundaryPassage: { gateId: string; decision: string; at: string } | null;
  /** null while the trip has never been sealed. */
  intact: boolean | null;
  breaches: Array<{ type: string; at: string; state: string; severity: string }>;
}

export async function sealChainOf(db: Kysely<Database>, tripId: string, lockId: string | null): Promise<SealChain> {
  const trip = await db.selectFrom('trips').select(['id', 'state']).where('id', '=', tripId).executeTakeFirst();
  const sessions = await db.selectFrom('seal_sessions').select(['opened_at', 'closed_at']).where('trip_id', '=', tripId).orderBy('opened_at').execute();
  const passage = await db.selectFrom('passages').select(['gate_id', 'decision', 'override_decision', 'decided_at']).where('trip_id', '=', tripId).orderBy('decided_at').executeTakeFirst();
  const sealedAt = sessions[0]?.opened_at ?? null;
  const alerts = await db.selectFrom('alerts').select(['type', 'first_at', 'state', 'severity']).where('trip_id', '=', tripId).where('type', 'in', ['seal_opened', 'tamper']).orderBy('first_at').execute();
  const until = passage?.decided_at ?? null;
  // Only breaches between sealing and the boundary count; a resolved alert is still shown and still counts.
  const breaches = alerts.filter((a) => sealedAt !== null && a.first_at >= sealedAt && (until === null || a.first_at <= until))
    .map((a) => ({ type: a.type, at: a.first_at, state: a.state, severity: a.severity }));
  return {
    tripId, lockId, tripState: trip?.state ?? null, sealedAt,
    boundaryPassage: passage ? { gateId: passage.gate_id, decision: passage.override_decision ?? passage.decision, at: passage.decided_at } : null,
    intact: sealedAt === null ? null : breaches.length === 0,
    breaches,
  };
}
