import { Type } from 'typebox';
import { TRIP_UNSEALED, type TripUnsealed } from '../devices/gateway/commands.ts';
import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../platform/http/app.ts';
import type { AppContext, Trx } from '../platform/context.ts';
import type { AuditEntry } from '../platform/audit.ts';
import type { TripRow } from '../platform/db/schema.ts';
import { ProblemSchema } from '../platform/http/problem.ts';
import { PageQuery, pageOf, Page } from '../platform/http/pagination.ts';
import { ownEnterprise } from '../platform/http/auth-hooks.ts';
import { actorOf, type Principal } from '../platform/auth/principal.ts';
import { conflict, forbidden, invalidField, notFound, AppError } from '../platform/errors.ts';
import { isUniqueViolation } from '../registry/resource.ts';
import { fenceFromPlace, inFence } from '../supervision/geofence.ts';
import { TRANSITIONS, TRIP_STATES, nextState, SIDE_STATES, type TripAction, type TripState } from './lifecycle.ts';
import { tripDto, sealSessionDto, transitionDto } from './dto.ts';
import { TRIP_CHANGED } from '../platform/db/position-writer.ts';
import { recordTransition, openSealSession, closeSealSessions, latestPosition } from './trip-store.ts';
import { prepared } from '../platform/db/prepared.ts';

const errs = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const Id = Type.Object({ id: Type.String() });

// Read by every lifecycle action and gate passage: compiled once.
const tripById = prepared((db, v: { id: string }) => db.selectFrom('trips').selectAll().where('id', '=', v.id));

export async function loadTrip(db: AppContext['store']['db'] | Trx, id: string, req?: FastifyRequest): Promise<TripRow> {
  const row = await tripById.first(db, { id });
  const own = req ? ownEnterprise(req) : null;
  if (!row || (own && row.enterprise_id !== own)) throw notFound('trip', id);
  return row;
}

const otherSide = (j: 'CN' | 'HK') => (j === 'CN' ? 'HK' : 'CN');

export interface ActionInput { reason?: string; deviceId?: string; arrivedGoods?: Array<{ line: number; packages: number; grossKg: number }> }

/**
 * Side effects of each action beyond the state change: seal sessions, the lock's state, the
 * active-trip guards. Returns the extra columns to set on the trip.
 */
async function effects(trx: Trx, ctx: AppContext, trip: TripRow, action: TripAction, to: TripState, input: ActionInput, actor: string, p: Principal | null) {
  const set: Partial<TripRow> = {};
  const place = (id: string) => trx.selectFrom('places').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (SIDE_STATES.includes(to) && !SIDE_STATES.includes(trip.state as TripState)) set.resume_state = trip.state;
  if (action === 'resume') set.resume_state = null;
  switch (action) {
    case 'seal': {
      if (!input.deviceId) throw invalidField('deviceId', 'the e-lock to bind and seal is required');
      const dev = await trx.selectFrom('devices').selectAll().where('id', '=', input.deviceId).executeTakeFirst();
      if (!dev) throw invalidField('deviceId', `device ${input.deviceId} does not exist`, 'unknown_device');
      if (dev.state !== 'in_stock') throw conflict('device_busy', `lock ${dev.terminal_id} is ${dev.state}, not in stock`);
      const origin = await place(trip.origin_place_id);
      set.device_id = dev.id;
      set.active_device_id = dev.id;
      set.deadline_at = new Date(ctx.clock.now() + trip.time_limit_min * 60_000).toISOString();
      await trx.updateTable('devices').set({ state: 'sealed', updated_at: ctx.nowIso(), version: dev.version + 1 }).where('id', '=', dev.id).execute();
      await openSealSession(trx, ctx, trip.id, dev.id, origin.jurisdiction, actor);
      break;
    }
    case 'handover': {
      const closed = await closeSealSessions(trx, ctx, trip.id, actor, 'handed_over');
      if (!closed.length || !trip.device_id) throw conflict('no_seal_session', 'the trip has no open seal session to hand over');
      await openSealSession(trx, ctx, trip.id, trip.device_id, otherSide(closed[0].jurisdiction), actor);
      break;
    }
    case 'unseal': {
      if (p && p.role === 'officer') {
        const dest = await place(trip.destination_place_id);
        if (p.administration && p.administration !== dest.jurisdiction) throw forbidden(`an officer of ${p.administration} cannot unseal in ${dest.jurisdiction}`);
      }
      const pos = trip.device_id ? await latestPosition(trx, trip.device_id) : undefined;
      if (!pos) throw conflict('no_position', 'no position is known for this lock, so the unseal location cannot be checked');
      const dest = await place(trip.destination_place_id);
      if (!inFence(fenceFromPlace({ id: dest.id, geometry: JSON.parse(dest.geometry), radiusM: dest.radius_m }), pos.lon, pos.lat))
        throw conflict('outside_unseal_zone', `the lock's latest position (${pos.lat.toFixed(5)}, ${pos.lon.toFixed(5)} at ${pos.fix_time}) is outside the destination zone ${dest.name}`, { lat: pos.lat, lon: pos.lon, fixTime: pos.fix_time });
      await closeSealSessions(trx, ctx, trip.id, actor, 'unsealed');
      await trx.updateTable('devices').set({ state: 'assigned', updated_at: ctx.nowIso() }).where('id', '=', trip.device_id!).execute();
      break;
    }
    case 'close': {
      const dec = await trx.selectFrom('declarations').select('goods').where('id', '=', trip.declaration_id).executeTakeFirstOrThrow();
      const declared: Array<{ line: number; packages: number; grossKg: number; description: string }> = JSON.parse(dec.goods);
      const arrived = new Map((input.arrivedGoods ?? declared).map((a) => [a.line, a]));
      const lines = declared.map((d) => {
        const a = arrived.get(d.line);
        return { line: d.line, description: d.description, declaredPackages: d.packages, arrivedPackages: a?.packages ?? 0, declaredGrossKg: d.grossKg, arrivedGrossKg: a?.grossKg ?? 0, matches: !!a && a.packages === d.packages && Math.abs(a.grossKg - d.grossKg) <= d.grossKg * 0.03 };
      });
      for (const line of arrived.keys()) if (!declared.some((d) => d.line === line)) throw invalidField('arrivedGoods', `line ${line} was not declared`, 'unknown_goods_line');
      set.discharge = JSON.stringify({ reconciledAt: ctx.nowIso(), by: actor, discrepancies: lines.filter((l) => !l.matches).length, lines });
      break;
    }
  }
  if (to === 'closed' || to === 'cancelled') {
    set.active_vehicle_id = null;
    set.active_device_id = null;
    if (to === 'cancelled') await closeSealSessions(trx, ctx, trip.id, actor, 'cancelled');
    if (trip.device_id) await trx.updateTable('devices').set({ state: 'in_stock', updated_at: ctx.nowIso() }).where('id', '=', trip.device_id).execute();
  }
  return set;
}

/**
 * One lifecycle action inside a caller's transaction: the table decides, effects run, the
 * transition and audit entry are written. Callers that chain actions (the gate) use this so the
 * whole chain commits once; publish TRIP_CHANGED after the commit. A chain may pass `current`, the
 * row as read or returned earlier in the same transaction, instead of having it read again.
 */
export async function tripActionIn(trx: Trx, audit: (e: AuditEntry) => Promise<void>, ctx: AppContext, tripId: string, action: TripAction, input: ActionInput, p: Principal | null, req?: FastifyRequest, current?: TripRow): Promise<TripRow> {
  const actor = actorOf(p);
  const trip = current?.id === tripId ? current : await loadTrip(trx, tripId, req);
  const to = nextState(trip.state as TripState, action, trip.resume_state as TripState | null);
  const set = await effects(trx, ctx, trip, action, to, input, actor, p);
  const next: TripRow = { ...trip, ...set, state: to, version: trip.version + 1, updated_at: ctx.nowIso() };
  const r = await trx.updateTable('trips').set({ ...set, state: to, version: next.version, updated_at: next.updated_at }).where('id', '=', trip.id).where('version', '=', trip.version).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw conflict('version_conflict', `trip ${trip.id} changed concurrently; retry`);
  await recordTransition(trx, ctx, trip.id, trip.state, to, action, actor, input.reason ?? null);
  await audit({ actor, action: `trip.${action}`, subject: trip.id, before: { state: trip.state, deviceId: trip.device_id }, after: { state: to, deviceId: next.device_id }, reason: input.reason ?? null });
  return next;
}

export const publishTripChanged = (ctx: AppContext, t: TripRow) => ctx.bus.publish(TRIP_CHANGED, { tripId: t.id, deviceId: t.device_id, state: t.state });

/** Turns a unique-index violation (a lock already on another active trip) into a 409. */
export function tripConflict(e: unknown): unknown {
  return !(e instanceof AppError) && isUniqueViolation(e) ? conflict('device_busy', 'this lock is already on another active trip') : e;
}

/** Applies one lifecycle action in its own audited transaction. */
export async function applyTripAction(ctx: AppContext, tripId: string, action: TripAction, input: ActionInput, p: Principal | null, req?: FastifyRequest) {
  try {
    const next = await ctx.change((trx, audit) => tripActionIn(trx, audit, ctx, tripId, action, input, p, req));
    publishTripChanged(ctx, next);
    // The authorised unseal opens the lock over JT/T 808; the command and its outcome (or
    // device_offline) are recorded in device_commands, and never undo the committed unseal.
    if (action === 'unseal') ctx.bus.publish<TripUnsealed>(TRIP_UNSEALED, { tripId: next.id, deviceId: next.device_id, actor: actorOf(p) });
    return next;
  } catch (e) {
    throw tripConflict(e);
  }
}

export const tripRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  const tags = ['trips'];
  const readers = ['enterprise', 'officer', 'supervisor', 'gate', 'peer'] as const;

  app.get('/api/v1/trips', {
    config: { roles: readers },
    schema: { tags, summary: 'List trips', querystring: Type.Object({ ...PageQuery, state: Type.Optional(Type.Union(TRIP_STATES.map((t) => Type.Literal(t)), { description: 'one trip state' })), enterpriseId: Type.Optional(Type.String()), vehicleId: Type.Optional(Type.String()), deviceId: Type.Optional(Type.String()), active: Type.Optional(Type.Boolean()) }), response: { 200: Page(Type.Any()), ...errs } },
  }, async (req) => {
    const q = req.query;
    let sel = db.selectFrom('trips').selectAll();
    const own = ownEnterprise(req);
    if (own) sel = sel.where('enterprise_id', '=', own);
    else if (q.enterpriseId) sel = sel.where('enterprise_id', '=', q.enterpriseId);
    if (q.state) sel = sel.where('state', '=', q.state);
    if (q.vehicleId) sel = sel.where('vehicle_id', '=', q.vehicleId);
    if (q.deviceId) sel = sel.where('device_id', '=', q.deviceId);
    if (q.active !== undefined) sel = sel.where('state', q.active ? 'not in' : 'in', ['closed', 'cancelled']);
    return pageOf(sel, 'id', q, ctx.settings.pageLimitMax).run(tripDto);
  });

  app.get('/api/v1/trips/:id', {
    config: { roles: readers },
    schema: { tags, summary: 'A trip with its seal sessions and lifecycle transitions', params: Id, response: { 200: Type.Any(), ...errs } },
  }, async (req) => {
    const trip = await loadTrip(db, req.params.id, req);
    const [sessions, transitions] = await Promise.all([
      db.selectFrom('seal_sessions').selectAll().where('trip_id', '=', trip.id).orderBy('opened_at').execute(),
      db.selectFrom('trip_transitions').selectAll().where('trip_id', '=', trip.id).orderBy('at').orderBy('id').execute(),
    ]);
    return { ...tripDto(trip), sealSessions: sessions.map(sealSessionDto), transitions: transitions.map(transitionDto) };
  });

  const Body = Type.Object({
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
    deviceId: Type.Optional(Type.String({ description: 'seal: the e-lock to bind' })),
    arrivedGoods: Type.Optional(Type.Array(Type.Object({ line: Type.Integer({ minimum: 1 }), packages: Type.Integer({ minimum: 0 }), grossKg: Type.Number({ minimum: 0 }) }), { description: 'close: what arrived, per declared line (default: as declared)' })),
  }, { additionalProperties: false });

  for (const action of Object.keys(TRANSITIONS) as TripAction[]) {
    if (action === 'submit' || action === 'accept') continue; // these belong to the declaration
    const rule = TRANSITIONS[action];
    // A lane controller moves a trip only by a passage at its own gate (POST /gates/…/passages, which
    // checks the plates, the lock, the seal and the key's gate); here it would skip all of that.
    const roles = rule.roles.filter((r) => r !== 'system' && r !== 'gate') as any;
    app.post(`/api/v1/trips/:id/${action.replace(/_/g, '-')}`, {
      config: { roles },
      schema: { tags, summary: `${action}: ${rule.from.join(' | ')} → ${rule.to}`, params: Id, body: Type.Optional(Body), response: { 200: Type.Any(), ...errs } },
    }, async (req) => tripDto(await applyTripAction(ctx, req.params.id, action, (req.body ?? {}) as ActionInput, req.principal, req)));
  }
};
