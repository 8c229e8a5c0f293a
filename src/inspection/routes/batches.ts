/**
 * Batch inspection (批次检验): a batch is made from an application, inspected and sampled once, its lab
 * results compared with the destination's MRLs (one over the limit fails it), and each shipment is then
 * written off against what remains — one guarded UPDATE, so it never over-draws.
 */
import { Type } from 'typebox';
import type { RouteModule } from '../../platform/http/app.ts';
import { PageQuery, pageOf, Page } from '../../platform/http/pagination.ts';
import { ownEnterprise } from '../../platform/http/auth-hooks.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { InspectionBatchRow, BatchWriteOffRow } from '../tables.ts';
import { effectiveState, fromGrams } from '../batch-ledger.ts';
import { batchView } from '../store.ts';
import { openBatch, recordInspection, recordLabResults, writeOffShipment } from '../batch-service.ts';
import { errs, Id, READERS, STAFF, visible, j } from './common.ts';

const tags = ['inspection-batches'];

const BATCH_STATES = ['pending', 'passed', 'failed', 'exhausted', 'expired'] as const;

export const batchDto = (r: InspectionBatchRow, now: number) => ({
  id: r.id, applicationId: r.application_id, enterpriseId: r.enterprise_id, commodity: r.commodity, destination: r.destination,
  quantityKg: fromGrams(r.quantity_g), remainingKg: fromGrams(r.remaining_g), state: effectiveState(batchView(r), now),
  expiresAt: r.expires_at, inspection: j(r.inspection), failureReasons: j(r.failure_reasons), version: r.version, createdAt: r.created_at, updatedAt: r.updated_at,
});
/** A cancelled certificate's shipment comes back as a reversal: negative quantity, same certificate chain. */
const writeOffDto = (w: BatchWriteOffRow) => ({ id: w.id, kind: w.quantity_g < 0 ? 'reversal' : 'write_off', batchId: w.batch_id, quantityKg: fromGrams(w.quantity_g), remainingKg: fromGrams(w.remaining_after_g), shipmentRef: w.shipment_ref, certificateId: w.certificate_id, createdBy: w.created_by, createdAt: w.created_at });

export const batchRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  const base = '/api/v1/inspection-batches';
  const load = async (req: any, id: string) => visible(req, await db.selectFrom('inspection_batches').selectAll().where('id', '=', id).executeTakeFirst(), 'inspection batch', id);

  app.get(base, {
    config: { roles: READERS },
    schema: { tags, summary: 'Inspection batches (an enterprise sees its own)', querystring: Type.Object({ ...PageQuery, applicationId: Type.Optional(Type.String()), state: Type.Optional(Type.Union(BATCH_STATES.map((s) => Type.Literal(s)))) }), response: { 200: Page(Type.Any()) } },
  }, async (req) => {
    let q = db.selectFrom('inspection_batches').selectAll();
    const own = ownEnterprise(req);
    if (own !== null) q = q.where('enterprise_id', '=', own);
    if (req.query.applicationId) q = q.where('application_id', '=', req.query.applicationId);
    const now = ctx.clock.now();
    // `expired` is not stored: a passed batch past its expiry answers expired (effectiveState).
    const st = req.query.state, at = new Date(now).toISOString();
    if (st === 'expired') q = q.where('state', '=', 'passed').where('expires_at', '<=', at);
    else if (st === 'passed') q = q.where('state', '=', 'passed').where('expires_at', '>', at);
    else if (st) q = q.where('state', '=', st);
    return pageOf(q, 'id', req.query, ctx.settings.pageLimitMax).run((r) => batchDto(r, now));
  });

  app.get(`${base}/:id`, {
    config: { roles: READERS },
    schema: { tags, summary: 'One batch with its lab results', params: Id, response: { 200: Type.Any(), ...errs } },
  }, async (req) => {
    const b = await load(req, req.params.id);
    const labs = await db.selectFrom('lab_results').selectAll().where('batch_id', '=', b.id).orderBy('id').execute();
    return { ...batchDto(b, ctx.clock.now()), labResults: labs.map((l) => ({ id: l.id, lab: l.lab, sampleId: l.sample_id, pass: !!l.pass, assessment: j(l.assessment), createdAt: l.created_at })) };
  });

  app.post(base, {
    config: { roles: STAFF },
    schema: {
      tags, summary: 'Open a batch (批次查检单元) from an application',
      body: Type.Object({ applicationId: Type.String(), quantityKg: Type.Optional(Type.Number({ exclusiveMinimum: 0 })), validDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })) }, { additionalProperties: false }),
      response: { 201: Type.Any(), ...errs },
    },
  }, async (req, reply) => {
    const row = await openBatch(ctx, req.principal as Principal, req.body);
    reply.status(201);
    return batchDto(row, ctx.clock.now());
  });

  app.post(`${base}/:id/inspection`, {
    config: { roles: STAFF },
    schema: {
      tags, summary: 'Record the on-site inspection and sampling (once per batch); nonconformity fails the batch', params: Id,
      body: Type.Object({ conform: Type.Boolean(), findings: Type.Optional(Type.String({ maxLength: 4000 })), sampleId: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
      response: { 200: Type.Any(), ...errs },
    },
  }, async (req) => {
    await load(req, req.params.id);
    return batchDto(await recordInspection(ctx, req.principal as Principal, req.params.id, req.body), ctx.clock.now());
  });

  app.post(`${base}/:id/lab-results`, {
    config: { roles: STAFF },
    schema: {
      tags, summary: 'Record the residue results; any value over the destination\'s MRL (Codex fallback) fails the batch', params: Id,
      body: Type.Object({ lab: Type.String({ minLength: 1, maxLength: 200 }), sampleId: Type.Optional(Type.String({ maxLength: 100 })), residues: Type.Array(Type.Object({ pesticide: Type.String(), mgPerKg: Type.Number() }), { maxItems: 500 }) }, { additionalProperties: false }),
      response: { 201: Type.Any(), ...errs },
    },
  }, async (req, reply) => {
    const r = await recordLabResults(ctx, req.principal as Principal, await load(req, req.params.id), req.body);
    reply.status(201);
    return { labResultId: r.labResultId, assessment: r.assessment, batch: batchDto(r.batch, ctx.clock.now()) };
  });

  app.get(`${base}/:id/write-offs`, {
    config: { roles: READERS },
    schema: { tags, summary: 'The batch ledger: shipments written off (kind write_off) and cancelled certificates\' quantities returned (kind reversal, negative quantityKg)', params: Id, querystring: Type.Object({ ...PageQuery }), response: { 200: Type.Any(), ...errs } },
  }, async (req) => {
    const b = await load(req, req.params.id);
    return pageOf(db.selectFrom('batch_write_offs').selectAll().where('batch_id', '=', b.id), 'id', req.query, ctx.settings.pageLimitMax).run(writeOffDto);
  });

  app.post(`${base}/:id/write-offs`, {
    config: { roles: READERS },
    schema: {
      tags, summary: 'Write one shipment off the batch (409 over_draw / batch_exhausted / batch_expired / batch_not_passed)', params: Id,
      body: Type.Object({ quantityKg: Type.Number(), shipmentRef: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
      response: { 201: Type.Any(), ...errs },
    },
  }, async (req, reply) => {
    const b = await load(req, req.params.id);
    const w = await writeOffShipment(ctx, req.principal as Principal, b.id, req.body.quantityKg, req.body.shipmentRef ?? null);
    reply.status(201);
    return writeOffDto(w);
  });
};
