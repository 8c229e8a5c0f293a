/**
 * Registered orchards (注册果园) and packing houses (包装厂): officers register, suspend and reinstate;
 * enterprises read their own and append pesticide-use records (officers may too).
 */
import { Type } from 'typebox';
import type { RouteModule } from '../../platform/http/app.ts';
import { PageQuery, pageOf, Page } from '../../platform/http/pagination.ts';
import { ownEnterprise } from '../../platform/http/auth-hooks.ts';
import { actorOf, type Principal } from '../../platform/auth/principal.ts';
import { conflict } from '../../platform/errors.ts';
import type { FacilityRow } from '../tables.ts';
import { appendPesticideRecord, facilityDto, registerFacility, updateFacility, type FacilityChanges, type FacilityTable } from '../facility-service.ts';
import { errs, Id, READERS, STAFF, visible, j } from './common.ts';

const Iso2 = Type.String({ pattern: '^[A-Z]{2}$' });
const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
const Location = Type.Union([
  Type.Object({ type: Type.Literal('Point'), coordinates: Position }),
  Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(Position, { minItems: 4 }), { minItems: 1 }) }),
]);

const dto = facilityDto;

function facilityRoutes(table: FacilityTable, path: string, what: string): RouteModule {
  return (app, ctx) => {
    const db = ctx.store.db;
    const tags = [path];
    const base = `/api/v1/${path}`;

    app.get(base, {
      config: { roles: READERS },
      schema: { tags, summary: `Registered ${what}s (an enterprise sees its own)`, querystring: Type.Object({ ...PageQuery, status: Type.Optional(Type.String()), regNo: Type.Optional(Type.String()) }), response: { 200: Page(Type.Any()) } },
    }, async (req) => {
      let q = db.selectFrom(table).selectAll();
      const own = ownEnterprise(req);
      if (own !== null) q = q.where('enterprise_id', '=', own);
      if (req.query.status) q = q.where('status', '=', req.query.status as any);
      if (req.query.regNo) q = q.where('reg_no', '=', req.query.regNo);
      return pageOf(q, 'id', req.query, ctx.settings.pageLimitMax).run(dto);
    });

    app.get(`${base}/:id`, {
      config: { roles: READERS },
      schema: { tags, summary: `One ${what}`, params: Id, response: { 200: Type.Any(), ...errs } },
    }, async (req) => dto(visible(req, await db.selectFrom(table).selectAll().where('id', '=', req.params.id).executeTakeFirst(), what, req.params.id)));

    app.post(base, {
      config: { roles: STAFF },
      schema: {
        tags, summary: `Register a ${what}`,
        body: Type.Object({
          regNo: Type.String({ minLength: 1, maxLength: 64 }), name: Type.String({ minLength: 1, maxLength: 200 }), enterpriseId: Type.String(),
          location: Location, approvedDestinations: Type.Array(Iso2), commodities: Type.Optional(Type.Array(Type.String())),
          validUntil: Type.Optional(Type.String({ format: 'date-time' })),
        }, { additionalProperties: false }),
        response: { 201: Type.Any(), ...errs },
      },
    }, async (req, reply) => {
      const row = await registerFacility(ctx, req.principal as Principal, table, req.body);
      reply.status(201);
      return dto(row);
    });

    app.patch(`${base}/:id`, {
      config: { roles: STAFF },
      schema: {
        tags, summary: `Amend a ${what}'s registration: name, location, approved destinations, commodities, validity (optimistic version)`, params: Id,
        body: Type.Object({
          version: Type.Integer({ minimum: 1 }), reason: Type.String({ minLength: 1, maxLength: 2000 }),
          changes: Type.Object({
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), location: Type.Optional(Location), approvedDestinations: Type.Optional(Type.Array(Iso2)),
            commodities: Type.Optional(Type.Array(Type.String())), validUntil: Type.Optional(Type.Union([Type.Null(), Type.String({ format: 'date-time' })])),
          }, { additionalProperties: false }),
        }, { additionalProperties: false }),
        response: { 200: Type.Any(), ...errs },
      },
    }, async (req) => dto(await updateFacility(ctx, req.principal as Principal, table, req.params.id, req.body.version, req.body.changes as FacilityChanges, req.body.reason)));

    const setStatus = (action: string, to: FacilityRow['status'], from: FacilityRow['status'][]) =>
      app.post(`${base}/:id/${action}`, {
        config: { roles: STAFF },
        schema: { tags, summary: `${action} a ${what}`, params: Id, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), response: { 200: Type.Any(), ...errs } },
      }, async (req) => ctx.change(async (trx, audit) => {
        const cur = visible(req, await trx.selectFrom(table).selectAll().where('id', '=', req.params.id).executeTakeFirst(), what, req.params.id);
        if (!from.includes(cur.status)) throw conflict('invalid_transition', `${what} ${cur.reg_no} is ${cur.status}`);
        const now = ctx.nowIso();
        await trx.updateTable(table).set({ status: to, version: cur.version + 1, updated_at: now }).where('id', '=', cur.id).execute();
        await audit({ actor: actorOf(req.principal), action: `${table}.${action}`, subject: cur.id, before: { status: cur.status }, after: { status: to }, reason: req.body.reason });
        return dto({ ...cur, status: to, version: cur.version + 1, updated_at: now });
      }));
    setStatus('suspend', 'suspended', ['active']);
    setStatus('reinstate', 'active', ['suspended']);
    setStatus('revoke', 'revoked', ['active', 'suspended']);

    app.post(`${base}/:id/pesticide-records`, {
      config: { roles: READERS },
      schema: {
        tags, summary: 'Append a pesticide-use record (records are never edited)', params: Id,
        body: Type.Object({
          pesticide: Type.String({ minLength: 1, maxLength: 100 }), appliedOn: Type.String({ format: 'date' }),
          dose: Type.Optional(Type.String({ maxLength: 200 })), preHarvestIntervalDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
          note: Type.Optional(Type.String({ maxLength: 1000 })),
        }, { additionalProperties: false }),
        response: { 201: Type.Any(), ...errs },
      },
    }, async (req, reply) => {
      const rec = await appendPesticideRecord(ctx, req.principal as Principal, table, req.params.id, req.body);
      reply.status(201);
      return rec;
    });
  };
}

export const orchardRoutes = facilityRoutes('orchards', 'orchards', 'orchard');
export const packingHouseRoutes = facilityRoutes('packing_houses', 'packing-houses', 'packing house');
