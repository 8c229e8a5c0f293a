import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import type { RouteModule } from '../platform/http/app.ts';
import { registerResource, patchOf, type ResourceSpec } from '../registry/resource.ts';
import { invalidField, notFound } from '../platform/errors.ts';
import { actorOf } from '../platform/auth/principal.ts';
import { ProblemSchema } from '../platform/http/problem.ts';
import { DEFAULT_SAMPLING } from './risk-selection.ts';
import { riskFor, type RiskCache } from './gate-facts.ts';

const Create = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  hsPrefix: Type.Optional(Type.Union([Type.Null(), Type.String({ pattern: '^\\d{2,10}$' })])),
  creditGrade: Type.Optional(Type.Union([Type.Null(), Type.Literal('advanced'), Type.Literal('general'), Type.Literal('low')])),
  originPlaceId: Type.Optional(Type.Union([Type.Null(), Type.String()])),
  minValue: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: 0 })])),
  minViolations: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1 })])),
  validFrom: Type.Optional(Type.Union([Type.Null(), Type.String({ format: 'date-time' })])),
  validTo: Type.Optional(Type.Union([Type.Null(), Type.String({ format: 'date-time' })])),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export function riskRoutes(cache: RiskCache): RouteModule {
  return (app, ctx) => {
    const spec: ResourceSpec = {
      name: 'risk rule', plural: 'risk/rules', table: 'risk_rules', idPrefix: 'rsk', read: ['officer', 'supervisor'], write: ['supervisor'],
      create: Create, update: patchOf(Create), dto: Type.Any(),
      toRow: (b) => {
        if (!b.hsPrefix && !b.creditGrade && !b.originPlaceId && b.minValue == null && b.minViolations == null) throw invalidField('hsPrefix', 'a targeting rule needs at least one criterion', 'empty_rule');
        const iso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);
        if (b.validFrom && b.validTo && Date.parse(b.validTo) <= Date.parse(b.validFrom)) throw invalidField('validTo', 'must be after validFrom', 'invalid_date');
        cache.invalidate();
        return { name: b.name, hs_prefix: b.hsPrefix ?? null, credit_grade: b.creditGrade ?? null, origin_place_id: b.originPlaceId ?? null, min_value: b.minValue ?? null, min_violations: b.minViolations ?? null, valid_from: iso(b.validFrom), valid_to: iso(b.validTo), active: b.active === false ? 0 : 1 };
      },
      toDto: (r) => ({ id: r.id, name: r.name, hsPrefix: r.hs_prefix, creditGrade: r.credit_grade, originPlaceId: r.origin_place_id, minValue: r.min_value, minViolations: r.min_violations, validFrom: r.valid_from, validTo: r.valid_to, active: !!r.active, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at }),
    };
    registerResource(app, ctx, spec);
    const db = ctx.store.db;

    app.get('/api/v1/risk/sampling', {
      config: { roles: ['officer', 'supervisor'] },
      schema: { tags: ['risk'], summary: 'Random sampling rates per credit grade and the recorded seed' },
    }, async () => {
      const row = await db.selectFrom('risk_sampling').selectAll().where('id', '=', 1).executeTakeFirst();
      return row ? { rates: JSON.parse(row.rates), seed: row.seed, version: row.version, updatedAt: row.updated_at } : { rates: DEFAULT_SAMPLING, seed: null, version: 0, updatedAt: null };
    });

    app.put('/api/v1/risk/sampling', {
      config: { roles: ['supervisor'] },
      schema: {
        tags: ['risk'], summary: 'Set sampling rates (0–1 per grade); a new seed is drawn and recorded unless one is given',
        body: Type.Object({ rates: Type.Object({ advanced: Type.Number({ minimum: 0, maximum: 1 }), general: Type.Number({ minimum: 0, maximum: 1 }), low: Type.Number({ minimum: 0, maximum: 1 }) }, { additionalProperties: false }), seed: Type.Optional(Type.String({ minLength: 8 })) }, { additionalProperties: false }),
        response: { 200: Type.Any(), 400: ProblemSchema },
      },
    }, async (req) => {
      const seed = req.body.seed ?? randomBytes(16).toString('hex');
      const cur = await db.selectFrom('risk_sampling').selectAll().where('id', '=', 1).executeTakeFirst();
      const row = { id: 1, rates: JSON.stringify(req.body.rates), seed, version: (cur?.version ?? 0) + 1, updated_at: ctx.nowIso() };
      await ctx.change(async (trx, audit) => {
        if (cur) await trx.updateTable('risk_sampling').set(row).where('id', '=', 1).execute();
        else await trx.insertInto('risk_sampling').values(row).execute();
        await audit({ actor: actorOf(req.principal), action: 'risk.sampling', subject: 'risk_sampling', before: cur ? { rates: JSON.parse(cur.rates), seed: cur.seed } : null, after: { rates: req.body.rates, seed } });
      });
      cache.invalidate();
      return { rates: req.body.rates, seed, version: row.version, updatedAt: row.updated_at };
    });

    app.get('/api/v1/risk/replay/:tripId', {
      config: { roles: ['officer', 'supervisor'] },
      schema: { tags: ['risk'], summary: 'Re-run risk selection for a trip with the recorded seed (for auditors)', params: Type.Object({ tripId: Type.String() }) },
    }, async (req) => {
      const r = await riskFor(ctx, cache, req.params.tripId);
      if (!r) throw notFound('trip', req.params.tripId);
      return r;
    });
  };
}
