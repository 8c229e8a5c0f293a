/**
 * The routine officer steps of the live demo, through the same lifecycle functions the API uses:
 * lodge, accept and seal a demo truck's next trip at Jinjiang; unseal and close it at the
 * destination; and prune the truck's old closed trips so a demo left running for days stays bounded.
 * The officers are named as scripted in every audit entry they leave.
 */
import type { AppContext } from '../platform/context.ts';
import type { TripRow } from '../platform/db/schema.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { acceptDeclaration } from '../transit/declaration-actions.ts';
import { applyTripAction } from '../transit/trips.ts';
import { TERMINAL_STATES, type TripAction, type TripState } from '../transit/lifecycle.ts';
import { demoGoods, demoLicenceNo, demoPlateCn, demoTerminalId, lodgeDemoDeclaration } from './seed.ts';
import { tripsToPrune } from './scenario.ts';

export const DEMO_OFFICER_CN: Principal = { id: 'live-demo-cn', name: 'live demo (scripted CN officer)', role: 'officer', enterpriseId: null, administration: 'CN' };
export const DEMO_OFFICER_HK: Principal = { id: 'live-demo-hk', name: 'live demo (scripted HK officer)', role: 'officer', enterpriseId: null, administration: 'HK' };

/** One demo truck's registry rows: seed vehicle i with driver i and lock i. */
export interface FleetTruck {
  index: number;
  vehicleId: string;
  plateCn: string;
  enterpriseId: string;
  driverId: string;
  deviceId: string;
  terminalId: string;
  /** The lock's auth code, as a real lock keeps it after its first registration. */
  authCode: string;
}

/** The demo route and its ends as the registry holds them. */
export interface DemoRoute { id: string; originPlaceId: string; destinationPlaceId: string; timeLimitMin: number }

/** Finds seed vehicle/driver/lock i for each index; an index the seed did not create is left out. */
export async function loadFleet(ctx: AppContext, indexes: readonly number[]): Promise<FleetTruck[]> {
  const db = ctx.store.db;
  const out: FleetTruck[] = [];
  for (const i of indexes) {
    const v = await db.selectFrom('vehicles').select(['id', 'enterprise_id', 'plate_cn']).where('plate_cn', '=', demoPlateCn(i)).executeTakeFirst();
    const d = await db.selectFrom('drivers').select('id').where('licence_no', '=', demoLicenceNo(i)).executeTakeFirst();
    const l = await db.selectFrom('devices').select(['id', 'terminal_id', 'auth_code']).where('terminal_id', '=', demoTerminalId(i)).executeTakeFirst();
    if (v && d && l) out.push({ index: i, vehicleId: v.id, plateCn: v.plate_cn, enterpriseId: v.enterprise_id, driverId: d.id, deviceId: l.id, terminalId: l.terminal_id, authCode: l.auth_code });
  }
  return out;
}

export const activeTripOf = (ctx: AppContext, vehicleId: string) =>
  ctx.store.db.selectFrom('trips').selectAll().where('active_vehicle_id', '=', vehicleId).executeTakeFirst();

export async function hasClosedTrip(ctx: AppContext, vehicleId: string): Promise<boolean> {
  return !!(await ctx.store.db.selectFrom('trips').select('id').where('vehicle_id', '=', vehicleId).where('state', 'in', [...TERMINAL_STATES]).executeTakeFirst());
}

/** Lodges, accepts and seals a new trip for the truck with its own lock. */
export async function startTrip(ctx: AppContext, t: FleetTruck, r: DemoRoute): Promise<TripRow> {
  const decId = await lodgeDemoDeclaration(ctx, {
    enterpriseId: t.enterpriseId, vehicleId: t.vehicleId, driverId: t.driverId, originPlaceId: r.originPlaceId, destinationPlaceId: r.destinationPlaceId,
    routeId: r.id, timeLimitMin: r.timeLimitMin, goods: demoGoods(t.index),
  }, 'live demo: next trip of a demo truck');
  const tripId = await acceptDeclaration(ctx, decId, DEMO_OFFICER_CN, 'live demo');
  return sealTrip(ctx, tripId, t);
}

/** Binds the truck's own lock to an accepted trip and seals it. */
export const sealTrip = (ctx: AppContext, tripId: string, t: FleetTruck) =>
  applyTripAction(ctx, tripId, 'seal', { deviceId: t.deviceId, reason: 'live demo: sealed at Jinjiang' }, DEMO_OFFICER_CN);

/**
 * At the very first start a truck placed past the boundary has been through it already: the
 * remaining steps up to the handover are applied as the seed applies them.
 */
export async function bringPastBoundary(ctx: AppContext, trip: TripRow): Promise<TripRow> {
  const chain: [TripState, TripAction][] = [['sealed', 'depart'], ['in_transit', 'arrive_boundary'], ['overdue', 'arrive_boundary'], ['at_boundary', 'handover']];
  let cur = trip;
  for (const [from, action] of chain) {
    if (cur.state !== from) continue;
    cur = await applyTripAction(ctx, cur.id, action, { reason: 'live demo start-up: already past the boundary' }, DEMO_OFFICER_CN);
  }
  return cur;
}

/** The HK officer's unseal in the destination zone (the platform then unlocks the lock over JT/T 808). */
export const unsealTrip = (ctx: AppContext, tripId: string) =>
  applyTripAction(ctx, tripId, 'unseal', { reason: 'live demo: unsealed at the destination' }, DEMO_OFFICER_HK);

/** Discharge as declared: the trip closes and the lock returns to stock. */
export const closeTrip = (ctx: AppContext, tripId: string) =>
  applyTripAction(ctx, tripId, 'close', { reason: 'live demo: goods arrived as declared' }, DEMO_OFFICER_HK);

/**
 * Deletes the truck's closed trips but the newest (tripsToPrune), with everything recorded about
 * them, in one audited transaction. Returns what went.
 */
export async function pruneOldTrips(ctx: AppContext, vehicleId: string): Promise<{ trips: number; positions: number }> {
  const db = ctx.store.db;
  const closed = await db.selectFrom('trips').select(['id', 'created_at']).where('vehicle_id', '=', vehicleId).where('state', 'in', [...TERMINAL_STATES]).execute();
  if (closed.length < 2) return { trips: 0, positions: 0 };
  // Trips an inspection or a phytosanitary certificate refers to are kept: their images and the
  // certificate's seal chain must stay verifiable.
  const closedIds = closed.map((c) => c.id);
  const inspected = new Set([
    ...(await db.selectFrom('inspections').select('trip_id').where('trip_id', 'in', closedIds).execute()).map((r) => r.trip_id),
    ...(await db.selectFrom('certificates').select('trip_id').where('trip_id', 'in', closedIds).execute()).map((r) => r.trip_id),
  ]);
  const ids = tripsToPrune(closed.map((c) => ({ id: c.id, createdAt: c.created_at, inspected: inspected.has(c.id) })));
  if (!ids.length) return { trips: 0, positions: 0 };
  return ctx.change(async (trx, audit) => {
    const alerts = trx.selectFrom('alerts').select('id').where('trip_id', 'in', ids);
    await trx.deleteFrom('alert_comments').where('alert_id', 'in', alerts).execute();
    await trx.deleteFrom('alerts').where('trip_id', 'in', ids).execute();
    const pos = await trx.deleteFrom('positions').where('trip_id', 'in', ids).executeTakeFirst();
    for (const table of ['trip_milestones', 'trip_transitions', 'seal_sessions', 'rule_checkpoints', 'passages', 'device_commands'] as const) {
      await trx.deleteFrom(table).where('trip_id', 'in', ids).execute();
    }
    const decls = (await trx.selectFrom('trips').select('declaration_id').where('id', 'in', ids).execute()).map((r) => r.declaration_id);
    await trx.deleteFrom('trips').where('id', 'in', ids).execute();
    await trx.deleteFrom('declarations').where('id', 'in', decls).execute();
    const positions = Number(pos.numDeletedRows);
    await audit({ actor: 'system:live-demo', action: 'demo.prune', subject: vehicleId, after: { trips: ids, positions }, reason: 'live demo keeps the newest closed trip of each truck' });
    return { trips: ids.length, positions };
  });
}
