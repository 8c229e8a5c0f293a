import type { FastifyRequest } from 'fastify';
import type { AppContext, Trx } from '../platform/context.ts';
import type { DeclarationRow } from '../platform/db/schema.ts';
import { ownEnterprise } from '../platform/http/auth-hooks.ts';
import { actorOf, type Principal } from '../platform/auth/principal.ts';
import { newId } from '../platform/ids.ts';
import { conflict, notFound } from '../platform/errors.ts';
import { isUniqueViolation } from '../registry/resource.ts';
import { recordTransition } from './trip-store.ts';

export type Apply = (trx: Trx, ctx: AppContext, cur: DeclarationRow, body: any, p: Principal | null) => Promise<Partial<DeclarationRow>>;

/** Every declaration state change: check the state, run the effect, update with a version guard, audit. */
export async function changeDeclaration(ctx: AppContext, id: string, name: string, from: string[], p: Principal | null, body: any, apply: Apply, req?: FastifyRequest) {
  return ctx.change(async (trx, audit) => {
    const cur = await trx.selectFrom('declarations').selectAll().where('id', '=', id).executeTakeFirst();
    const own = req ? ownEnterprise(req) : null;
    if (!cur || (own && cur.enterprise_id !== own)) throw notFound('declaration', id);
    if (!from.includes(cur.state)) throw conflict('illegal_transition', `cannot ${name} a declaration that is ${cur.state}`, { state: cur.state, action: name });
    const set = await apply(trx, ctx, cur, body, p);
    const next = { ...cur, ...set, version: cur.version + 1, updated_at: ctx.nowIso() } as DeclarationRow;
    const r = await trx.updateTable('declarations').set({ ...set, version: next.version, updated_at: next.updated_at }).where('id', '=', cur.id).where('version', '=', cur.version).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw conflict('version_conflict', `declaration ${cur.id} changed concurrently`);
    const reason = body?.reason ?? (Array.isArray(body?.reasons) ? body.reasons.join('; ') : null);
    await audit({ actor: actorOf(p), action: `declaration.${name}`, subject: cur.id, before: { state: cur.state }, after: { state: next.state, tripId: next.trip_id }, reason });
    return next;
  });
}

/** Acceptance creates the trip; the unique active-vehicle index refuses a vehicle already on a trip. */
export const acceptEffect: Apply = async (trx, ctx, cur, body, p) => ({ state: 'accepted', trip_id: await createTrip(trx, ctx, cur, p, body?.reason ?? null) });

async function createTrip(trx: Trx, ctx: AppContext, cur: DeclarationRow, p: Principal | null, reason: string | null): Promise<string> {
  const now = ctx.nowIso();
  const trip = {
    id: newId('trp', ctx.clock.now()), declaration_id: cur.id, enterprise_id: cur.enterprise_id, vehicle_id: cur.vehicle_id, driver_id: cur.driver_id,
    device_id: null, route_id: cur.route_id, origin_place_id: cur.origin_place_id, destination_place_id: cur.destination_place_id, direction: cur.direction,
    state: 'accepted', resume_state: null, deadline_at: null, time_limit_min: cur.time_limit_min, active_vehicle_id: cur.vehicle_id, active_device_id: null,
    discharge: null, version: 1, created_at: now, updated_at: now,
  };
  try {
    await trx.insertInto('trips').values(trip).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('vehicle_busy', `vehicle ${cur.vehicle_id} is already on an active trip`);
    throw e;
  }
  await recordTransition(trx, ctx, trip.id, 'submitted', 'accepted', 'accept', actorOf(p), reason);
  return trip.id;
}

export const acceptDeclaration = (ctx: AppContext, id: string, p: Principal, reason: string) =>
  changeDeclaration(ctx, id, 'accept', ['submitted'], p, { reason }, acceptEffect).then((d) => d.trip_id!);
