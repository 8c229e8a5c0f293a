import type { AppContext, Trx } from '../platform/context.ts';
import type { TripTransitionRow, SealSessionRow } from '../platform/db/schema.ts';
import { newId } from '../platform/ids.ts';
import { prepared } from '../platform/db/prepared.ts';

// Every lifecycle step (and each gate release, twice over) runs these, so they are compiled once.
const insertTransition = prepared((db, v: TripTransitionRow) => db.insertInto('trip_transitions').values({ id: v.id, trip_id: v.trip_id, from_state: v.from_state, to_state: v.to_state, action: v.action, actor: v.actor, reason: v.reason, at: v.at }));
const insertSession = prepared((db, v: Pick<SealSessionRow, 'id' | 'trip_id' | 'device_id' | 'jurisdiction' | 'opened_at' | 'opened_by'>) =>
  db.insertInto('seal_sessions').values({ id: v.id, trip_id: v.trip_id, device_id: v.device_id, jurisdiction: v.jurisdiction, opened_at: v.opened_at, opened_by: v.opened_by, closed_at: null, closed_by: null, close_reason: null }));
const closeOpenSessions = prepared((db, v: { trip_id: string; closed_at: string; closed_by: string; close_reason: string }) =>
  db.updateTable('seal_sessions').set({ closed_at: v.closed_at, closed_by: v.closed_by, close_reason: v.close_reason }).where('trip_id', '=', v.trip_id).where('closed_at', 'is', null).returningAll());

export async function recordTransition(trx: Trx, ctx: AppContext, tripId: string, from: string, to: string, action: string, actor: string, reason: string | null) {
  await insertTransition.run(trx, { id: newId('ttr', ctx.clock.now()), trip_id: tripId, from_state: from, to_state: to, action, actor, reason, at: ctx.nowIso() });
}

export async function openSealSession(trx: Trx, ctx: AppContext, tripId: string, deviceId: string, jurisdiction: 'CN' | 'HK', actor: string) {
  const row = { id: newId('ses', ctx.clock.now()), trip_id: tripId, device_id: deviceId, jurisdiction, opened_at: ctx.nowIso(), opened_by: actor, closed_at: null, closed_by: null, close_reason: null };
  await insertSession.run(trx, row);
  return row;
}

/** Closes the trip's open seal session(s) and returns them as closed (one statement: update … returning). */
export async function closeSealSessions(trx: Trx, ctx: AppContext, tripId: string, actor: string, reason: string) {
  return closeOpenSessions.all(trx, { trip_id: tripId, closed_at: ctx.nowIso(), closed_by: actor, close_reason: reason });
}

export const latestPosition = (db: AppContext['store']['db'] | Trx, deviceId: string) =>
  db.selectFrom('positions').select(['lat', 'lon', 'fix_time']).where('device_id', '=', deviceId).orderBy('fix_time', 'desc').limit(1).executeTakeFirst();
