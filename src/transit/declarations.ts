import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../platform/http/app.ts';
import type { AppContext, Trx } from '../platform/context.ts';
import { ProblemSchema } from '../platform/http/problem.ts';
import { PageQuery, pageOf, Page } from '../platform/http/pagination.ts';
import { ownEnterprise } from '../platform/http/auth-hooks.ts';
import { actorOf } from '../platform/auth/principal.ts';
import { newId } from '../platform/ids.ts';
import { conflict, invalidField, notFound } from '../platform/errors.ts';
import { checkContainerNo, checkCurrency, checkHsCode } from '../registry/validate.ts';
import { declarationDto } from './dto.ts';
import { changeDeclaration, acceptEffect, type Apply } from './declaration-actions.ts';

const GoodsLine = Type.Object({
  hsCode: Type.String(), description: Type.String({ minLength: 1, maxLength: 500 }),
  packages: Type.Integer({ minimum: 1 }), grossKg: Type.Number({ exclusiveMinimum: 0 }), netKg: Type.Number({ exclusiveMinimum: 0 }),
  value: Type.Number({ minimum: 0 }), currency: Type.String({ default: 'CNY' }),
}, { additionalProperties: false });
const Create = Type.Object({
  direction: Type.Union([Type.Literal('export'), Type.Literal('import')]),
  vehicleId: Type.String(), driverId: Type.String(), containerNo: Type.Optional(Type.Union([Type.Null(), Type.String()])),
  originPlaceId: Type.String(), destinationPlaceId: Type.String(), routeId: Type.String(),
  timeLimitMin: Type.Optional(Type.Integer({ minimum: 10, maximum: 10080, description: 'defaults to the route time limit' })),
  goods: Type.Array(GoodsLine, { minItems: 1, maxItems: 999 }),
  submit: Type.Optional(Type.Boolean({ description: 'lodge at once (otherwise it stays a draft)' })),
}, { additionalProperties: false });
const Dto = Type.Any();
const errs = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const Id = Type.Object({ id: Type.String() });

async function validate(ctx: AppContext, enterpriseId: string, b: any) {
  const db = ctx.store.db;
  const veh = await db.selectFrom('vehicles').select(['id', 'enterprise_id']).where('id', '=', b.vehicleId).executeTakeFirst();
  if (!veh || veh.enterprise_id !== enterpriseId) throw invalidField('vehicleId', `vehicle ${b.vehicleId} is not registered to this enterprise`, 'unknown_vehicle');
  const drv = await db.selectFrom('drivers').select(['id', 'enterprise_id']).where('id', '=', b.driverId).executeTakeFirst();
  if (!drv || drv.enterprise_id !== enterpriseId) throw invalidField('driverId', `driver ${b.driverId} is not registered to this enterprise`, 'unknown_driver');
  const route = await db.selectFrom('routes').selectAll().where('id', '=', b.routeId).executeTakeFirst();
  if (!route) throw invalidField('routeId', `route ${b.routeId} does not exist`, 'unknown_route');
  const placeIds: string[] = JSON.parse(route.place_ids);
  if (placeIds[0] !== b.originPlaceId && placeIds[placeIds.length - 1] !== b.originPlaceId) throw invalidField('originPlaceId', 'must be an end of the route', 'place_not_on_route');
  if (placeIds[0] !== b.destinationPlaceId && placeIds[placeIds.length - 1] !== b.destinationPlaceId) throw invalidField('destinationPlaceId', 'must be an end of the route', 'place_not_on_route');
  if (b.originPlaceId === b.destinationPlaceId) throw invalidField('destinationPlaceId', 'must differ from the origin', 'place_not_on_route');
  const goods = b.goods.map((g: any, i: number) => {
    if (g.netKg > g.grossKg) throw invalidField(`goods[${i}].netKg`, 'net weight cannot exceed gross weight', 'invalid_weight');
    return { line: i + 1, ...g, hsCode: checkHsCode(`goods[${i}].hsCode`, g.hsCode), currency: checkCurrency(`goods[${i}].currency`, g.currency ?? 'CNY') };
  });
  return {
    direction: b.direction, vehicle_id: b.vehicleId, driver_id: b.driverId,
    container_no: b.containerNo ? checkContainerNo('containerNo', b.containerNo) : null,
    origin_place_id: b.originPlaceId, destination_place_id: b.destinationPlaceId, route_id: b.routeId,
    time_limit_min: b.timeLimitMin ?? route.time_limit_min, goods: JSON.stringify(goods),
  };
}

async function load(ctx: AppContext, trx: Trx | AppContext['store']['db'], id: string, req: FastifyRequest) {
  const row = await trx.selectFrom('declarations').selectAll().where('id', '=', id).executeTakeFirst();
  const own = ownEnterprise(req);
  if (!row || (own && row.enterprise_id !== own)) throw notFound('declaration', id);
  return row;
}

export const declarationRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  const tags = ['declarations'];

  app.get('/api/v1/declarations', {
    config: { roles: ['enterprise', 'officer', 'supervisor'] },
    schema: { tags, summary: 'List declarations', querystring: Type.Object({ ...PageQuery, state: Type.Optional(Type.String()), enterpriseId: Type.Optional(Type.String()), vehicleId: Type.Optional(Type.String()) }), response: { 200: Page(Type.Any()), ...errs } },
  }, async (req) => {
    const q = req.query;
    let sel = db.selectFrom('declarations').selectAll();
    const own = ownEnterprise(req);
    if (own) sel = sel.where('enterprise_id', '=', own);
    else if (q.enterpriseId) sel = sel.where('enterprise_id', '=', q.enterpriseId);
    if (q.state) sel = sel.where('state', '=', q.state as any);
    if (q.vehicleId) sel = sel.where('vehicle_id', '=', q.vehicleId);
    return pageOf(sel, 'id', q, ctx.settings.pageLimitMax).run(declarationDto);
  });

  app.get('/api/v1/declarations/:id', {
    config: { roles: ['enterprise', 'officer', 'supervisor'] },
    schema: { tags, summary: 'Get a declaration', params: Id, response: { 200: Dto, ...errs } },
  }, async (req) => declarationDto(await load(ctx, db, req.params.id, req)));

  app.post('/api/v1/declarations', {
    config: { roles: ['enterprise'] },
    schema: { tags, summary: 'Lodge a transit declaration (draft, or submitted with submit=true); honours Idempotency-Key', body: Create, response: { 201: Dto, ...errs } },
  }, async (req, reply) => {
    const ent = req.principal!.enterpriseId!;
    const fields = await validate(ctx, ent, req.body);
    const now = ctx.nowIso();
    const row = { id: newId('dec', ctx.clock.now()), enterprise_id: ent, ...fields, state: req.body.submit ? 'submitted' : 'draft', reasons: '[]', trip_id: null, version: 1, created_at: now, updated_at: now } as const;
    await ctx.change(async (trx, audit) => {
      await trx.insertInto('declarations').values(row as any).execute();
      await audit({ actor: actorOf(req.principal), action: req.body.submit ? 'declaration.submit' : 'declaration.create', subject: row.id, after: declarationDto(row as any) });
    });
    reply.status(201);
    return declarationDto(row as any);
  });

  app.patch('/api/v1/declarations/:id', {
    config: { roles: ['enterprise'] },
    schema: { tags, summary: 'Edit a draft declaration; send the version you read', params: Id, body: Type.Object({ ...Type.Partial(Create).properties, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), response: { 200: Dto, ...errs } },
  }, async (req) => {
    const cur = await load(ctx, db, req.params.id, req);
    if (cur.state !== 'draft') throw conflict('not_editable', `a ${cur.state} declaration cannot be edited`);
    const merged = { ...declarationDto(cur), ...req.body };
    const fields = await validate(ctx, cur.enterprise_id, merged);
    const next = { ...cur, ...fields, version: cur.version + 1, updated_at: ctx.nowIso() };
    await ctx.change(async (trx, audit) => {
      const r = await trx.updateTable('declarations').set({ ...fields, version: next.version, updated_at: next.updated_at }).where('id', '=', cur.id).where('version', '=', req.body.version).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw conflict('version_conflict', `declaration ${cur.id} was changed by someone else (you sent version ${req.body.version})`, { currentVersion: cur.version });
      await audit({ actor: actorOf(req.principal), action: 'declaration.update', subject: cur.id, before: declarationDto(cur), after: declarationDto(next as any) });
    });
    return declarationDto(next as any);
  });

  const act = (name: string, roles: any, from: string[], summary: string, body: any, apply: Apply) =>
    app.post(`/api/v1/declarations/:id/${name}`, {
      config: { roles },
      schema: { tags, summary, params: Id, body, response: { 200: Dto, ...errs } },
    }, async (req: any) => declarationDto(await changeDeclaration(ctx, req.params.id, name, from, req.principal, req.body ?? {}, apply, req)));

  const Reason = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
  act('submit', ['enterprise'], ['draft'], 'Lodge a draft declaration', Type.Optional(Reason), async () => ({ state: 'submitted' }));
  act('cancel', ['enterprise', 'officer', 'supervisor'], ['draft', 'submitted'], 'Withdraw a declaration before acceptance', Type.Optional(Reason), async () => ({ state: 'cancelled' }));
  act('reject', ['officer', 'supervisor'], ['submitted'], 'Reject with reasons', Type.Object({ reasons: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) }, { additionalProperties: false }),
    async (_trx, _ctx, _cur, body) => ({ state: 'rejected', reasons: JSON.stringify(body.reasons) }));
  act('accept', ['officer', 'supervisor'], ['submitted'], 'Accept: creates the trip in state accepted', Type.Optional(Reason), acceptEffect);
};
