/** Certificates under /api/v1: issue (officer), read, PDF and ePhyto XML, replace and cancel. */
import { Type } from 'typebox';
import type { RouteModule } from '../platform/http/app.ts';
import { PageQuery, pageOf, Page } from '../platform/http/pagination.ts';
import { ownEnterprise } from '../platform/http/auth-hooks.ts';
import type { Principal } from '../platform/auth/principal.ts';
import type { CertificateRow } from '../inspection/tables.ts';
import { errs, Id, READERS, STAFF, visible } from '../inspection/routes/common.ts';
import { cancelCertificateById, certificateOf, issueForBatch, replaceCertificate } from './service.ts';
import { statusOf } from './verify.ts';

const tags = ['certificates'];
export const certificateDto = (r: CertificateRow, now: number) => ({
  id: r.id, number: r.number, status: statusOf(certificateOf(r), now), storedStatus: r.status, batchId: r.batch_id, applicationId: r.application_id,
  enterpriseId: r.enterprise_id, validUntil: r.valid_until, replacedBy: r.replaced_by, replaces: r.replaces, replaceReason: r.replace_reason,
  cancelled: r.cancelled ? JSON.parse(r.cancelled) : null, tripId: r.trip_id, lockId: r.lock_id, content: JSON.parse(r.content), signature: JSON.parse(r.signature),
  version: r.version, createdAt: r.created_at,
});
const Party = Type.Object({ name: Type.String({ minLength: 1 }), address: Type.Optional(Type.Array(Type.String(), { maxItems: 5 })) }, { additionalProperties: false });
const Packages = Type.Object({ count: Type.Integer({ minimum: 1 }), typeCode: Type.String({ pattern: '^[0-9A-Z]{2}$' }) }, { additionalProperties: false });
const Treatment = Type.Object({ date: Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD' })), treatment: Type.String({ minLength: 1 }), chemical: Type.Optional(Type.String()), durationAndTemperature: Type.Optional(Type.String()), concentration: Type.Optional(Type.String()), additionalInfo: Type.Optional(Type.String()) }, { additionalProperties: false });
const COLUMNS = ['id', 'number', 'office', 'batch_id', 'application_id', 'enterprise_id', 'content', 'signature', 'status', 'valid_until', 'replaced_by', 'replaces', 'replace_reason', 'cancelled', 'trip_id', 'lock_id', 'write_off_id', 'issued_by', 'version', 'created_at', 'updated_at'] as const;

export const certificateRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  const base = '/api/v1/certificates';
  const load = async (req: any, id: string) => visible(req, (await db.selectFrom('certificates').select(COLUMNS).where('id', '=', id).executeTakeFirst()) as CertificateRow | undefined, 'certificate', id);

  app.get(base, {
    config: { roles: READERS },
    schema: { tags, summary: 'Certificates (an enterprise sees its own)', querystring: Type.Object({ ...PageQuery, batchId: Type.Optional(Type.String()), number: Type.Optional(Type.String({ maxLength: 64 })), status: Type.Optional(Type.Union(['valid', 'replaced', 'cancelled', 'expired'].map((s) => Type.Literal(s)))) }), response: { 200: Page(Type.Any()) } },
  }, async (req) => {
    let q = db.selectFrom('certificates').select(COLUMNS);
    const own = ownEnterprise(req);
    if (own !== null) q = q.where('enterprise_id', '=', own);
    if (req.query.batchId) q = q.where('batch_id', '=', req.query.batchId);
    if (req.query.number) q = q.where('number', '=', req.query.number);
    const now = ctx.clock.now();
    // The status a reader sees (statusOf): replaced and cancelled are stored, valid and expired are
    // an issued certificate before and after its validity.
    const st = req.query.status, at = new Date(now).toISOString();
    if (st === 'valid') q = q.where('status', '=', 'issued').where('valid_until', '>', at);
    else if (st === 'expired') q = q.where('status', '=', 'issued').where('valid_until', '<=', at);
    else if (st) q = q.where('status', '=', st as 'replaced' | 'cancelled');
    return pageOf(q, 'id', req.query, ctx.settings.pageLimitMax).run((r) => certificateDto(r as CertificateRow, now));
  });

  app.get(`${base}/:id`, {
    config: { roles: READERS },
    schema: { tags, summary: 'One certificate with its signed content', params: Id, response: { 200: Type.Any(), ...errs } },
  }, async (req) => certificateDto(await load(req, req.params.id), ctx.clock.now()));

  app.get(`${base}/:id/pdf`, {
    config: { roles: READERS },
    schema: { tags, summary: 'The certificate PDF (bilingual, QR code to the verification page, signed payload embedded)', params: Id },
  }, async (req, reply) => {
    await load(req, req.params.id);
    const r = await db.selectFrom('certificates').select(['number', 'pdf_base64']).where('id', '=', req.params.id).executeTakeFirstOrThrow();
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${r.number}.pdf"`).send(Buffer.from(r.pdf_base64, 'base64'));
  });

  app.get(`${base}/:id/xml`, {
    config: { roles: READERS },
    schema: { tags, summary: 'The ePhyto SPSCertificate XML (type 851, 657 for re-export)', params: Id },
  }, async (req, reply) => {
    await load(req, req.params.id);
    const r = await db.selectFrom('certificates').select(['number', 'xml']).where('id', '=', req.params.id).executeTakeFirstOrThrow();
    return reply.type('application/xml; charset=utf-8').header('content-disposition', `inline; filename="${r.number}.xml"`).send(r.xml);
  });

  app.post(base, {
    config: { roles: STAFF },
    schema: {
      tags, summary: 'Issue a certificate for one shipment of a passed batch (writes the quantity off the batch; 409 batch_failed with the reasons); with `reexport` it is a re-export certificate (ePhyto 657)',
      body: Type.Object({
        batchId: Type.String(), quantityKg: Type.Number({ exclusiveMinimum: 0 }), packages: Type.Optional(Packages), tripId: Type.Optional(Type.String()),
        distinguishingMarks: Type.Optional(Type.String({ maxLength: 500 })), treatment: Type.Optional(Treatment),
        office: Type.Optional(Type.String({ pattern: '^[A-Z0-9]+(-[A-Z0-9]+)*$' })), place: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), shipmentRef: Type.Optional(Type.String({ maxLength: 200 })),
        reexport: Type.Optional(Type.Object({ originalCertificateNumber: Type.String({ minLength: 1, maxLength: 64 }), originCountry: Type.String({ pattern: '^[A-Z]{2}$' }) }, { additionalProperties: false })),
      }, { additionalProperties: false }),
      response: { 201: Type.Any(), ...errs },
    },
  }, async (req, reply) => {
    const row = await issueForBatch(ctx, req.principal as Principal, req.body);
    reply.status(201);
    return certificateDto(row, ctx.clock.now());
  });

  app.post(`${base}/:id/replace`, {
    config: { roles: STAFF },
    schema: {
      tags, summary: 'Replace: a new number linked both ways to the old one, with the reason', params: Id,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }), changes: Type.Optional(Type.Object({ consignee: Type.Optional(Party), distinguishingMarks: Type.Optional(Type.String({ maxLength: 500 })), packages: Type.Optional(Packages), conveyance: Type.Optional(Type.Object({ modeCode: Type.Integer({ minimum: 0, maximum: 9 }), name: Type.Optional(Type.String()) })), pointOfEntry: Type.Optional(Type.Object({ locode: Type.Optional(Type.String()), name: Type.String({ minLength: 1 }) })), treatment: Type.Optional(Treatment) }, { additionalProperties: false })) }, { additionalProperties: false }),
      response: { 201: Type.Any(), ...errs },
    },
  }, async (req, reply) => {
    const row = await replaceCertificate(ctx, req.principal as Principal, req.params.id, req.body.reason, req.body.changes ?? {});
    reply.status(201);
    return certificateDto(row, ctx.clock.now());
  });

  app.post(`${base}/:id/cancel`, {
    config: { roles: STAFF },
    schema: { tags, summary: 'Cancel a certificate (verification then answers cancelled)', params: Id, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), response: { 200: Type.Any(), ...errs } },
  }, async (req) => certificateDto(await cancelCertificateById(ctx, req.principal as Principal, req.params.id, req.body.reason), ctx.clock.now()));
};
