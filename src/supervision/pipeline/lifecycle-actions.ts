/**
 * What supervision does to the trip lifecycle (DOMAIN.md trip states), always through the
 * transition table, as the system actor, audited by applyTripAction:
 * - milestones: leaving the origin departs a sealed trip, reaching the boundary control point puts
 *   it at the boundary, reaching the destination after the handover makes it arrived;
 * - a critical overdue (time limit passed without arrival) marks the trip overdue.
 * The gate or an officer may have done the same already, or the trip is somewhere the table does
 * not allow the action (held, inspected, at the boundary …): the action is skipped quietly — the
 * milestone or the alert itself is recorded either way.
 */
import type { AppContext } from '../../platform/context.ts';
import { SYSTEM } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors.ts';
import { applyTripAction } from '../../transit/trips.ts';
import { TRANSITIONS, type TripAction } from '../../transit/lifecycle.ts';
import type { MilestoneOutput, MilestoneType } from '../types.ts';

const ACTION: Partial<Record<MilestoneType, TripAction>> = { departed_origin: 'depart', arrived_boundary: 'arrive_boundary', arrived_destination: 'arrive' };

/** Whether the table lets `action` leave `state`. */
export const allows = (action: TripAction, state: string) => (TRANSITIONS[action].from as readonly string[]).includes(state);

/** Applies `action` if the trip's current state allows it; false when skipped. */
async function applyIfAllowed(ctx: AppContext, tripId: string, action: TripAction, reason: string): Promise<boolean> {
  const trip = await ctx.store.db.selectFrom('trips').select(['state']).where('id', '=', tripId).executeTakeFirst();
  if (!trip || !allows(action, trip.state)) return false;
  try {
    await applyTripAction(ctx, tripId, action, { reason }, SYSTEM);
    return true;
  } catch (e) {
    // a concurrent gate passage or officer action got there first
    if (e instanceof AppError && e.status === 409) return false;
    throw e;
  }
}

export async function advanceLifecycle(ctx: AppContext, tripId: string, milestones: MilestoneOutput[]) {
  for (const m of milestones) {
    const action = ACTION[m.type];
    if (action) await applyIfAllowed(ctx, tripId, action, `milestone ${m.type} at ${new Date(m.time).toISOString()}${m.late ? ' (late data)' : ''}`);
  }
}

/** The overdue rule is critical: the time limit passed without arrival. */
export function markOverdue(ctx: AppContext, tripId: string, deadline: number) {
  return applyIfAllowed(ctx, tripId, 'mark_overdue', `time limit ${new Date(deadline).toISOString()} passed without arrival`);
}
