/**
 * What a gate decision does to the trip: a release hands the lock over (at_boundary → handed_over:
 * the origin's seal session closes and the other administration's opens on the same lock); inspect
 * opens an inspection task; hold stops the trip for an officer. Runs inside the caller's
 * transaction, so the passage, the chain of trip actions and their audit entries commit once.
 */
import type { AppContext, Trx } from '../platform/context.ts';
import type { AuditEntry } from '../platform/audit.ts';
import type { TripRow } from '../platform/db/schema.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { newId } from '../platform/ids.ts';
import { tripActionIn, loadTrip, type ActionInput } from '../transit/trips.ts';
import type { TripAction } from '../transit/lifecycle.ts';
import type { Decision, Reason } from './gate-decision.ts';

export interface OutcomeResult { effects: string[]; trip: TripRow | null }

export async function applyOutcomeIn(trx: Trx, audit: (e: AuditEntry) => Promise<void>, ctx: AppContext, tripId: string, decision: Decision, reasons: Reason[], passageId: string | null, p: Principal): Promise<OutcomeResult> {
  const effects: string[] = [];
  let trip = await loadTrip(trx, tripId);
  // Each step starts from the row the previous one wrote (same transaction), not a fresh read.
  const step = async (action: TripAction, reason: string) => {
    trip = await tripActionIn(trx, audit, ctx, tripId, action, { reason } as ActionInput, p, undefined, trip);
    effects.push(action);
  };
  const why = reasons.filter((r) => r.outcome !== 'pass').map((r) => r.code).join(', ') || 'all checks passed';
  if (trip.state === 'in_transit' || trip.state === 'overdue') await step('arrive_boundary', `gate passage ${passageId ?? ''}`.trim());
  if (decision === 'release') {
    if (trip.state === 'held' || trip.state === 'inspection') await step('resume', `released: ${why}`);
    if (trip.state === 'at_boundary') await step('handover', `released: ${why}`);
  } else if (decision === 'inspect') {
    if (trip.state === 'at_boundary') await step('inspect', why);
    const id = newId('ins', ctx.clock.now());
    await trx.insertInto('inspections').values({ id, trip_id: tripId, passage_id: passageId, state: 'pending', assignee_id: null, reasons: JSON.stringify(reasons.filter((r) => r.outcome === 'inspect')), result: null, verdict: null, images: '[]', version: 1, created_at: ctx.nowIso(), updated_at: ctx.nowIso() }).execute();
    await audit({ actor: `${p.role}:${p.id}`, action: 'inspection.create', subject: id, after: { tripId, passageId, reasons: why } });
    effects.push('inspection_created');
  } else if (['at_boundary', 'inspection', 'in_transit', 'handed_over', 'sealed', 'overdue'].includes(trip.state)) {
    await step('hold', why);
  }
  return { effects, trip: effects.some((e) => e !== 'inspection_created') ? trip : null };
}
