/**
 * Inspection applications (申报): an exporter enterprise lodges one; it is checked against the stored
 * requirements register and facility registrations and refused with every reason at once.
 */
import { Type } from 'typebox';
import type { RouteModule } from '../../platform/http/app.ts';
import { PageQuery, pageOf, Page } from '../../platform/http/pagination.ts';
import { ownEnterprise } from '../../platform/http/auth-hooks.ts';
import { actorOf } from '../../platform/auth/principal.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { InspectionApplicationRow } from '../tables.ts';
import { checkApplication, type InspectionApplication } from '../application-check.ts';
import { facilitiesFor, registerFromDb } from '../store.ts';
import { errs, Id, READERS, visible, j } from './common.ts';

const tags = ['inspection-applications'];
const Party = Type.Object({ name: Type.String({ maxLength: 300 }), address: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 5 })) }, { additionalProperties: false });

export const applicationDto = (r: InspectionApplicationRow) => ({ id: r.id, enterpriseId: r.enterprise_id, state: r.state, ...j(r.data), warnings: j(r.warnings), version: r.version, createdAt: r.created_at, updatedAt: r.updated_at });

/** Field-shape refusals are 400; refusals that depend on the register or registrations are 409. */
const SHAPE = /^(missing_|unknown_|invalid_)/;

export const applicationRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  app.get('/api/v1/inspection-applications', {
    config: { roles: READERS },
    schema: { tags, summary: 'Inspection applications (an enterprise sees its own)', querystring: Type.Object({ ...PageQuery }), response: { 200: Page(Type.Any()) } },
  }, async (req) => {
    let q = db.selectFrom('inspection_applications').selectAll();
    const own = ownEnterprise(req);
    if (own !== null) q = q.where('enterprise_id', '=', own);
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
    const entId = req.principal!.enterpriseId;
    const ent = entId ? await db.selectFrom('enterprises').select(['id', 'name']).where('id', '=', entId).executeTakeFirst() : undefined;
    if (!ent) throw invalidField('exporter', 'the signed-in user belongs to no enterprise', 'missing_exporter');
    const b = req.body;
    const appl: InspectionApplication = { ...b, destination: b.destination.toUpperCase(), exporter: { name: ent.name, address: b.exporterAddress, enterpriseId: ent.id } };
    delete (appl as any).exporterAddress;
    if (b.quantityKg * 1000 > 2_147_483_647) throw invalidField('quantityKg', 'at most 2,147,483 kg per application', 'invalid_quantity');
    const register = await registerFromDb(db);
    const check = checkApplication(appl, await facilitiesFor(db, b.orchardRegNo, b.packingHouseRegNo), ctx.clock.now(), register);
    if (!check.ok) {
      const shape = check.reasons.some((r) => SHAPE.test(r.code));
      throw new AppError(shape ? 400 : 409, shape ? 'invalid_application' : 'application_refused', check.reasons.map((r) => r.message).join('; '), { reasons: check.reasons });
    }
    const now = ctx.nowIso();
    const data = { ...appl, commodity: check.commodity!.code, perishable: check.commodity!.perishable, requirementId: check.requirement ? `req_${check.requirement.country.toLowerCase()}_${check.requirement.commodity}` : null };
    const row: InspectionApplicationRow = { id: newId('iap', ctx.clock.now()), enterprise_id: ent.id, commodity: data.commodity, destination: appl.destination, data: JSON.stringify(data), warnings: JSON.stringify(check.warnings), state: 'lodged', version: 1, created_at: now, updated_at: now };
    await ctx.change(async (trx, audit) => {
      await trx.insertInto('inspection_applications').values(row).execute();
      await audit({ actor: actorOf(req.principal), action: 'inspection_application.lodge', subject: row.id, after: data });
    });
    reply.status(201);
    return applicationDto(row);
  });
};
