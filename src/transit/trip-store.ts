import type { AppContext, Trx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';

export async function recordTransition(trx: Trx, ctx: AppContext, tripId: string, from: string, to: string, action: string, actor: string, reason: string | null) {
  await trx.insertInto('trip_transitions').values({ id: newId('ttr', ctx.clock.now()), trip_id: tripId, from_state: from, to_state: to, action, actor, reason, at: ctx.nowIso() }).execute();
}

export async function openSealSession(trx: Trx, ctx: AppContext, tripId: string, deviceId: string, jurisdiction: 'CN' | 'HK', actor: string) {
  const row = { id: newId('ses', ctx.clock.now()), trip_id: tripId, device_id: deviceId, jurisdiction, opened_at: ctx.nowIso(), opened_by: actor, closed_at: null, closed_by: null, close_reason: null };
  await trx.insertInto('seal_sessions').values(row).execute();
  return row;
}

/** Closes the trip's open seal session(s) and returns them. */
export async function closeSealSessions(trx: Trx, ctx: AppContext, tripId: string, actor: string, reason: string) {
  const open = await trx.selectFrom('seal_sessions').selectAll().where('trip_id', '=', tripId).where('closed_at', 'is', null).execute();
  if (open.length) await trx.updateTable('seal_sessions').set({ closed_at: ctx.nowIso(), closed_by: actor, close_reason: reason }).where('trip_id', '=', tripId).where('closed_at', 'is', null).execute();
  return open;
}

export const latestPosition = (db: AppContext['store']['db'] | Trx, deviceId: string) =>
  db.selectFrom('positions').select(['lat', 'lon', 'fix_time']).where('device_id', '=', deviceId).orderBy('fix_time', 'desc').limit(1).executeTakeFirst();
