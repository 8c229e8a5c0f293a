/**
 * What a gate decision does to the trip: a release hands the lock over (at_boundary → handed_over:
 * the origin's seal session closes and the other administration's opens on the same lock); inspect
 * opens an inspection task; hold stops the trip for an officer.
 */
import type { AppContext } from '../platform/context.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { newId } from '../platform/ids.ts';
import { applyTripAction, loadTrip } from '../transit/trips.ts';
import type { Decision, Reason } from './gate-decision.ts';

export async function applyOutcome(ctx: AppContext, tripId: string, decision: Decision, reasons: Reason[], passageId: string | null, p: Principal): Promise<string[]> {
  const done: string[] = [];
  const step = async (action: Parameters<typeof applyTripAction>[2], reason: string) => { await applyTripAction(ctx, tripId, action, { reason }, p); done.push(action); };
  let trip = await loadTrip(ctx.store.db, tripId);
  const why = reasons.filter((r) => r.outcome !== 'pass').map((r) => r.code).join(', ') || 'all checks passed';
  if (trip.state === 'in_transit' || trip.state === 'overdue') { await step('arrive_boundary', `gate passage ${passageId ?? ''}`.trim()); trip = await loadTrip(ctx.store.db, tripId); }
  if (decision === 'release') {
    if (trip.state === 'held' || trip.state === 'inspection') { await step('resume', `released: ${why}`); trip = await loadTrip(ctx.store.db, tripId); }
    if (trip.state === 'at_boundary') await step('handover', `released: ${why}`);
  } else if (decision === 'inspect') {
    if (trip.state === 'at_boundary') await step('inspect', why);
    await ctx.change(async (trx, audit) => {
      const id = newId('ins', ctx.clock.now());
      await trx.insertInto('inspections').values({ id, trip_id: tripId, passage_id: passageId, state: 'pending', assignee_id: null, reasons: JSON.stringify(reasons.filter((r) => r.outcome === 'inspect')), result: null, verdict: null, images: '[]', version: 1, created_at: ctx.nowIso(), updated_at: ctx.nowIso() }).execute();
      await audit({ actor: `${p.role}:${p.id}`, action: 'inspection.create', subject: id, after: { tripId, passageId, reasons: why } });
    });
    done.push('inspection_created');
  } else if (['at_boundary', 'inspection', 'in_transit', 'handed_over', 'sealed', 'overdue'].includes(trip.state)) {
    await step('hold', why);
  }
  return done;
}
