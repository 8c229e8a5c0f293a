/** Importing-country requirements register: read by everyone signed in, edited by supervisors with history. */
import { Type } from 'typebox';
import type { RouteModule } from '../../platform/http/app.ts';
import { PageQuery, pageOf, Page } from '../../platform/http/pagination.ts';
import { actorOf } from '../../platform/auth/principal.ts';
import { conflict, invalidField, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { RequirementRow } from '../tables.ts';
import { seedRegister } from '../requirements.ts';
import { errs, Id, READERS, j } from './common.ts';

const tags = ['requirements'];
const dto = (r: RequirementRow) => ({ id: r.id, country: r.country, commodity: r.commodity, ...j(r.data), version: r.version, createdAt: r.created_at, updatedAt: r.updated_at });

const Mrl = Type.Object({ mgPerKg: Type.Number({ minimum: 0 }), commodity: Type.String(), sources: Type.Array(Type.String()), verified: Type.Boolean() });
const Changes = Type.Object({
  quarantinePests: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  additionalDeclaration: Type.Optional(Type.Union([Type.Null(), Type.String()])),
  treatment: Type.Optional(Type.Union([Type.Null(), Type.Object({ type: Type.String({ minLength: 1 }), description: Type.String(), verified: Type.Optional(Type.Boolean()) })])),
  registeredOrchardRequired: Type.Optional(Type.Boolean()),
  registeredPackingHouseRequired: Type.Optional(Type.Boolean()),
  importPermitRequired: Type.Optional(Type.Boolean()),
  pointsOfEntry: Type.Optional(Type.Array(Type.String())),
  notes: Type.Optional(Type.String()),
  sources: Type.Optional(Type.Array(Type.String())),
  verified: Type.Optional(Type.Boolean()),
  mrls: Type.Optional(Type.Record(Type.String(), Mrl)),
}, { additionalProperties: false });

/** MRL lookups normalise the pesticide to lower case, so stored keys must be too. */
const normMrls = <T extends { mrls?: Record<string, unknown> }>(c: T): T =>
  c.mrls ? { ...c, mrls: Object.fromEntries(Object.entries(c.mrls).map(([k, v]) => [k.trim().toLowerCase(), v])) } : c;

const New = Type.Object({
  country: Type.String({ pattern: '^[A-Z]{2}$' }), countryName: Type.String({ minLength: 1, maxLength: 100 }), commodity: Type.String({ minLength: 1 }),
  quarantinePests: Type.Array(Type.String({ minLength: 1 })), additionalDeclaration: Type.Union([Type.Null(), Type.String()]),
  treatment: Type.Union([Type.Null(), Type.Object({ type: Type.String({ minLength: 1 }), description: Type.String(), verified: Type.Optional(Type.Boolean()) })]),
  registeredOrchardRequired: Type.Boolean(), registeredPackingHouseRequired: Type.Boolean(), importPermitRequired: Type.Boolean(),
  pointsOfEntry: Type.Optional(Type.Array(Type.String())), notes: Type.Optional(Type.String()), sources: Type.Optional(Type.Array(Type.String())),
  verified: Type.Optional(Type.Boolean()), mrls: Type.Optional(Type.Record(Type.String(), Mrl)),
}, { additionalProperties: false });

export const requirementRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  app.get('/api/v1/requirements', {
    config: { roles: READERS },
    schema: { tags, summary: 'Requirements per importing country and commodity', querystring: Type.Object({ ...PageQuery, country: Type.Optional(Type.String()) }), response: { 200: Page(Type.Any()) } },
  }, async (req) => {
    let q = db.selectFrom('requirements').selectAll();
    if (req.query.country) q = q.where('country', '=', req.query.country.toUpperCase());
    return pageOf(q, 'id', req.query, ctx.settings.pageLimitMax).run(dto);
  });

  app.get('/api/v1/requirements/:id', {
    config: { roles: READERS },
    schema: { tags, summary: 'One requirement', params: Id, response: { 200: Type.Any(), ...errs } },
  }, async (req) => {
    const r = await db.selectFrom('requirements').selectAll().where('id', '=', req.params.id).executeTakeFirst();
    if (!r) throw notFound('requirement', req.params.id);
    return dto(r);
  });

  app.get('/api/v1/requirements/:id/versions', {
    config: { roles: READERS },
    schema: { tags, summary: 'Every version of a requirement, newest first', params: Id, response: { 200: Type.Any(), ...errs } },
  }, async (req) => {
    const rows = await db.selectFrom('requirement_versions').selectAll().where('requirement_id', '=', req.params.id).orderBy('version', 'desc').execute();
    if (!rows.length) throw notFound('requirement', req.params.id);
    return { items: rows.map((v) => ({ version: v.version, data: j(v.data), changedBy: v.changed_by, reason: v.reason, changedAt: v.changed_at })) };
  });

  app.patch('/api/v1/requirements/:id', {
    config: { roles: ['supervisor'] },
    schema: { tags, summary: 'Edit a requirement (optimistic version; the old content stays in the history)', params: Id, body: Type.Object({ version: Type.Integer({ minimum: 1 }), reason: Type.String({ minLength: 1, maxLength: 2000 }), changes: Changes }, { additionalProperties: false }), response: { 200: Type.Any(), ...errs } },
  }, async (req) => {
    const { version, reason, changes } = req.body;
    if (!Object.keys(changes).length) throw invalidField('changes', 'nothing to change');
    return ctx.change(async (trx, audit) => {
      const cur = await trx.selectFrom('requirements').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!cur) throw notFound('requirement', req.params.id);
      if (cur.version !== version) throw conflict('version_conflict', `requirement is at version ${cur.version}, not ${version}`, { current: cur.version });
      const data = JSON.stringify({ ...j(cur.data), ...normMrls(changes) });
      const now = ctx.nowIso();
      const upd = await trx.updateTable('requirements').set({ data, version: version + 1, updated_at: now }).where('id', '=', cur.id).where('version', '=', version).executeTakeFirst();
      if (Number(upd.numUpdatedRows) !== 1) throw conflict('version_conflict', 'requirement changed concurrently');
      await trx.insertInto('requirement_versions').values({ id: newId('rqv', ctx.clock.now()), requirement_id: cur.id, version: version + 1, data, changed_by: actorOf(req.principal), reason, changed_at: now }).execute();
      await audit({ actor: actorOf(req.principal), action: 'requirement.update', subject: cur.id, before: j(cur.data), after: j(data), reason });
      return dto({ ...cur, data, version: version + 1, updated_at: now });
    });
  });

  app.post('/api/v1/requirements', {
    config: { roles: ['supervisor'] },
    schema: { tags, summary: 'Add a requirement for an importing country and a commodity code or group (409 duplicate_requirement / 400 unknown_commodity)', body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }), requirement: New }, { additionalProperties: false }), response: { 201: Type.Any(), ...errs } },
  }, async (req, reply) => {
    const r = normMrls(req.body.requirement);
    const known = seedRegister.commodities.some((c) => c.code === r.commodity || c.group === r.commodity);
    if (!known) throw invalidField('requirement.commodity', `not a commodity code or group: ${seedRegister.commodities.map((c) => c.code).join(', ')}, ${[...new Set(seedRegister.commodities.map((c) => c.group))].join(', ')}`, 'unknown_commodity');
    const data = JSON.stringify({ sources: [], verified: false, mrls: {}, ...r });
    const now = ctx.nowIso();
    const row: RequirementRow = { id: `req_${r.country.toLowerCase()}_${r.commodity}`, country: r.country, commodity: r.commodity, data, version: 1, created_at: now, updated_at: now };
    await ctx.change(async (trx, audit) => {
      if (await trx.selectFrom('requirements').select('id').where('country', '=', r.country).where('commodity', '=', r.commodity).executeTakeFirst()) throw conflict('duplicate_requirement', `${r.country} already has a requirement for ${r.commodity}; edit it instead`);
      await trx.insertInto('requirements').values(row).execute();
      await trx.insertInto('requirement_versions').values({ id: newId('rqv', ctx.clock.now()), requirement_id: row.id, version: 1, data, changed_by: actorOf(req.principal), reason: req.body.reason, changed_at: now }).execute();
      await audit({ actor: actorOf(req.principal), action: 'requirement.create', subject: row.id, after: j(data), reason: req.body.reason });
    });
    reply.status(201);
    return dto(row);
  });
};
