/**
 * Inspection applications (申报): an exporter enterprise lodges one; it is checked against the stored
 * requirements register and facility registrations and refused with every reason at once.
 */
import { Type } from 'typebox';
import type { RouteModule } from '../../platform/http/app.ts';
import { PageQuery, pageOf, Page } from '../../platform/http/pagination.ts';
import { ownEnterprise } from '../../platform/http/auth-hooks.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { InspectionApplicationRow } from '../tables.ts';
import { lodgeApplication } from '../application-service.ts';
import { errs, Id, READERS, visible, j } from './common.ts';
import { effectiveState } from '../batch-ledger.ts';
import { batchView } from '../store.ts';

const tags = ['inspection-applications'];
const Party = Type.Object({ name: Type.String({ maxLength: 300 }), address: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 5 })) }, { additionalProperties: false });

export const applicationDto = (r: InspectionApplicationRow) => ({ id: r.id, enterpriseId: r.enterprise_id, state: r.state, ...j(r.data), warnings: j(r.warnings), version: r.version, createdAt: r.created_at, updatedAt: r.updated_at });

export const applicationRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  app.get('/api/v1/inspection-applications', {
    config: { roles: READERS },
    schema: { tags, summary: 'Inspection applications (an enterprise sees its own)', querystring: Type.Object({
      ...PageQuery, state: Type.Optional(Type.String({ maxLength: 32 })), destination: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })), commodity: Type.Optional(Type.String({ maxLength: 100 })),
      batched: Type.Optional(Type.Boolean({ description: 'true: only applications a batch was opened from; false: only those still waiting for one (the officers\' queue)' })),
    }), response: { 200: Page(Type.Any()) } },
  }, async (req) => {
    let q = db.selectFrom('inspection_applications').selectAll();
    const own = ownEnterprise(req);
    if (own !== null) q = q.where('enterprise_id', '=', own);
    if (req.query.state) q = q.where('state', '=', req.query.state);
    if (req.query.destination) q = q.where('destination', '=', req.query.destination);
    if (req.query.commodity) q = q.where('commodity', '=', req.query.commodity);
    if (req.query.batched !== undefined) {
      const hasBatch = (eb: any) => eb.exists(eb.selectFrom('inspection_batches').select('inspection_batches.id').whereRef('inspection_batches.application_id', '=', 'inspection_applications.id'));
      q = q.where((eb) => (req.query.batched ? hasBatch(eb) : eb.not(hasBatch(eb))));
    }
    const page = await pageOf(q, 'id', req.query, ctx.settings.pageLimitMax).run((r) => r);
    // Each application carries its batch (the newest, if several), so a list needs no second listing of every batch.
    const ids = page.items.map((r) => r.id);
    const batches = ids.length ? await db.selectFrom('inspection_batches').selectAll().where('application_id', 'in', ids).orderBy('id').execute() : [];
    const now = ctx.clock.now();
    const batchOf = new Map(batches.map((b) => [b.application_id, { id: b.id, state: effectiveState(batchView(b), now) }]));
    return { items: page.items.map((r) => ({ ...applicationDto(r), batch: batchOf.get(r.id) ?? null })), nextCursor: page.nextCursor };
  });

  app.get('/api/v1/inspection-applications/:id', {
    config: { roles: READERS },
    schema: { tags, summary: 'One application', params: Id, response: { 200: Type.Any(), ...errs } },
  }, async (req) => applicationDto(visible(req, await db.selectFrom('inspection_applications').selectAll().where('id', '=', req.params.id).executeTakeFirst(), 'inspection application', req.params.id)));

  app.post('/api/v1/inspection-applications', {
    config: { roles: ['enterprise'] },
    schema: {
      tags, summary: 'Lodge an application; refused (400 invalid_application / 409 application_refused) with every reason in detail.reasons',
      body: Type.Object({
        commodity: Type.String(), quantityKg: Type.Number(), packages: Type.Object({ count: Type.Integer(), typeCode: Type.String() }),
        destination: Type.String(), consignee: Party, exporterAddress: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 5 })),
        orchardRegNo: Type.Optional(Type.String()), packingHouseRegNo: Type.Optional(Type.String()),
        conveyance: Type.Object({ modeCode: Type.Integer(), name: Type.Optional(Type.String({ maxLength: 200 })) }),
        importPermitNo: Type.Optional(Type.String({ maxLength: 100 })),
        pointOfEntry: Type.Optional(Type.Object({ locode: Type.Optional(Type.String({ pattern: '^[A-Z]{2}[A-Z0-9]{3}$' })), name: Type.String({ minLength: 1 }) })),
      }, { additionalProperties: false }),
      response: { 201: Type.Any(), ...errs },
    },
  }, async (req, reply) => {
    const row = await lodgeApplication(ctx, req.principal as Principal, req.body);
    reply.status(201);
    return applicationDto(row);
  });
};
