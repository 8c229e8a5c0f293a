/**
 * Milestones that move the trip lifecycle (DOMAIN.md trip states): leaving the origin departs a
 * sealed trip, reaching the boundary control point puts it at the boundary, reaching the
 * destination after the handover makes it arrived. The gate or an officer may have done the same
 * already (or the trip is held, inspected …): a transition the table does not allow is skipped
 * quietly — the milestone itself is recorded either way.
 */
import type { AppContext } from '../../platform/context.ts';
import { SYSTEM } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors.ts';
import { applyTripAction } from '../../transit/trips.ts';
import { TRANSITIONS, type TripAction } from '../../transit/lifecycle.ts';
import type { MilestoneOutput, MilestoneType } from '../types.ts';

const ACTION: Partial<Record<MilestoneType, TripAction>> = { departed_origin: 'depart', arrived_boundary: 'arrive_boundary', arrived_destination: 'arrive' };

export async function advanceLifecycle(ctx: AppContext, tripId: string, milestones: MilestoneOutput[]) {
  for (const m of milestones) {
    const action = ACTION[m.type];
    if (!action) continue;
    const trip = await ctx.store.db.selectFrom('trips').select(['state']).where('id', '=', tripId).executeTakeFirst();
    if (!trip || !TRANSITIONS[action].from.includes(trip.state as never)) continue;
    try {
      await applyTripAction(ctx, tripId, action, { reason: `milestone ${m.type} at ${new Date(m.time).toISOString()}${m.late ? ' (late data)' : ''}` }, SYSTEM);
    } catch (e) {
      // a concurrent gate passage or officer action got there first
      if (e instanceof AppError && e.status === 409) continue;
      throw e;
    }
  }
}
