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

/** Applies `action` to a trip last seen in `state` if the table allows it; the new state, or null when skipped. */
async function applyIfAllowed(ctx: AppContext, tripId: string, state: string, action: TripAction, reason: string): Promise<string | null> {
  if (!allows(action, state)) return null;
  try {
    return (await applyTripAction(ctx, tripId, action, { reason }, SYSTEM)).state;
  } catch (e) {
    // a concurrent gate passage or officer action got there first
    if (e instanceof AppError && e.status === 409) return null;
    throw e;
  }
}

/** Current states of these trips, one query per 500. */
async function statesOf(ctx: AppContext, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.store.db.selectFrom('trips').select(['id', 'state']).where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.id, r.state);
  }
  return out;
}

/** Moves each trip along by its new milestones, in order (one may lead to the next: depart, then arrive at the boundary). */
export async function advanceLifecycle(ctx: AppContext, trips: { tripId: string; milestones: MilestoneOutput[] }[]) {
  const todo = trips.filter((t) => t.milestones.some((m) => ACTION[m.type]));
  if (!todo.length) return;
  const states = await statesOf(ctx, todo.map((t) => t.tripId));
  for (const { tripId, milestones } of todo) {
    let state = states.get(tripId);
    for (const m of milestones) {
      const action = ACTION[m.type];
      if (!action || state === undefined) continue;
      const next = await applyIfAllowed(ctx, tripId, state, action, `milestone ${m.type} at ${new Date(m.time).toISOString()}${m.late ? ' (late data)' : ''}`);
      if (next) state = next;
    }
  }
}

/** The overdue rule is critical: the time limit passed without arrival. */
export async function markOverdue(ctx: AppContext, tripId: string, deadline: number) {
  const state = (await statesOf(ctx, [tripId])).get(tripId);
  return state !== undefined && (await applyIfAllowed(ctx, tripId, state, 'mark_overdue', `time limit ${new Date(deadline).toISOString()} passed without arrival`)) !== null;
}
