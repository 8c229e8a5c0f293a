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

const tags = ['inspection-applications'];
const Party = Type.Object({ name: Type.String({ maxLength: 300 }), address: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 5 })) }, { additionalProperties: false });

export const applicationDto = (r: InspectionApplicationRow) => ({ id: r.id, enterpriseId: r.enterprise_id, state: r.state, ...j(r.data), warnings: j(r.warnings), version: r.version, createdAt: r.created_at, updatedAt: r.updated_at });

export const applicationRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  app.get('/api/v1/inspection-applications', {
    config: { roles: READERS },
    schema: { tags, summary: 'Inspection applications (an enterprise sees its own)', querystring: Type.Object({ ...PageQuery, state: Type.Optional(Type.String({ maxLength: 32 })), destination: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })), commodity: Type.Optional(Type.String({ maxLength: 100 })) }), response: { 200: Page(Type.Any()) } },
  }, async (req) => {
    let q = db.selectFrom('inspection_applications').selectAll();
    const own = ownEnterprise(req);
    if (own !== null) q = q.where('enterprise_id', '=', own);
    if (req.query.state) q = q.where('state', '=', req.query.state);
    if (req.query.destination) q = q.where('destination', '=', req.query.destination);
    if (req.query.commodity) q = q.where('commodity', '=', req.query.commodity);
    return pageOf(q, 'id', req.query, ctx.settings.pageLimitMax).run(applicationDto);
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
