/**
 * Batch inspection (批次检验): a batch is made from an application, inspected and sampled once, its lab
 * results compared with the destination's MRLs (one over the limit fails it), and each shipment is then
 * written off against what remains — one guarded UPDATE, so it never over-draws.
 */
import { Type } from 'typebox';
import type { RouteModule } from '../../platform/http/app.ts';
import type { AppContext } from '../../platform/context.ts';
import { PageQuery, pageOf, Page } from '../../platform/http/pagination.ts';
import { ownEnterprise } from '../../platform/http/auth-hooks.ts';
import { actorOf } from '../../platform/auth/principal.ts';
import { conflict, invalidField, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { InspectionBatchRow, BatchWriteOffRow } from '../tables.ts';
import { assessResidues } from '../lab-results.ts';
import { effectiveState, fromGrams, toGrams } from '../batch-ledger.ts';
import { batchView, mrlTableFor, writeOffBatch, MAX_GRAMS } from '../store.ts';
import { errs, Id, READERS, STAFF, visible, j } from './common.ts';

const tags = ['inspection-batches'];
const DAY = 86_400_000;

export const batchDto = (r: InspectionBatchRow, now: number) => ({
  id: r.id, applicationId: r.application_id, enterpriseId: r.enterprise_id, commodity: r.commodity, destination: r.destination,
  quantityKg: fromGrams(r.quantity_g), remainingKg: fromGrams(r.remaining_g), state: effectiveState(batchView(r), now),
  expiresAt: r.expires_at, inspection: j(r.inspection), failureReasons: j(r.failure_reasons), version: r.version, createdAt: r.created_at, updatedAt: r.updated_at,
});
const writeOffDto = (w: BatchWriteOffRow) => ({ id: w.id, batchId: w.batch_id, quantityKg: fromGrams(w.quantity_g), remainingKg: fromGrams(w.remaining_after_g), shipmentRef: w.shipment_ref, certificateId: w.certificate_id, createdBy: w.created_by, createdAt: w.created_at });

const grams = (kg: number, field = 'quantityKg') => {
  const g = toGrams(kg);
  if (g <= 0 || g > MAX_GRAMS) throw invalidField(field, 'must be > 0 and at most 2,147,483 kg with ≤ 3 decimals', 'invalid_quantity');
  return g;
};

/** Write the batch's new state with an optimistic version check (inspection and lab results change it once). */
async function advance(ctx: AppContext, id: string, fn: (b: InspectionBatchRow) => Partial<InspectionBatchRow>, action: string, actor: string) {
  return ctx.change(async (trx, audit) => {
    const b = await trx.selectFrom('inspection_batches').selectAll().where('id', '=', id).executeTakeFirst();
    if (!b) throw notFound('inspection batch', id);
    const set = { ...fn(b), version: b.version + 1, updated_at: ctx.nowIso() };
    const upd = await trx.updateTable('inspection_batches').set(set).where('id', '=', id).where('version', '=', b.version).executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1) throw conflict('version_conflict', 'batch changed concurrently; retry');
    await audit({ actor, action: `inspection_batch.${action}`, subject: id, before: { state: b.state }, after: set });
    return { ...b, ...set };
  });
}

export const batchRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  const base = '/api/v1/inspection-batches';
  const load = async (req: any, id: string) => visible(req, await db.selectFrom('inspection_batches').selectAll().where('id', '=', id).executeTakeFirst(), 'inspection batch', id);

  app.get(base, {
    config: { roles: READERS },
    schema: { tags, summary: 'Inspection batches (an enterprise sees its own)', querystring: Type.Object({ ...PageQuery, applicationId: Type.Optional(Type.String()) }), response: { 200: Page(Type.Any()) } },
  }, async (req) => {
    let q = db.selectFrom('inspection_batches').selectAll();
    const own = ownEnterprise(req);
    if (own !== null) q = q.where('enterprise_id', '=', own);
    if (req.query.applicationId) q = q.where('application_id', '=', req.query.applicationId);
    const now = ctx.clock.now();
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
    const a = await db.selectFrom('inspection_applications').selectAll().where('id', '=', req.body.applicationId).executeTakeFirst();
    if (!a) throw invalidField('applicationId', 'no such application', 'unknown_application');
    const g = grams(req.body.quantityKg ?? j(a.data).quantityKg);
    const nowMs = ctx.clock.now();
    const now = new Date(nowMs).toISOString();
    const row: InspectionBatchRow = {
      id: newId('bat', nowMs), application_id: a.id, enterprise_id: a.enterprise_id, commodity: a.commodity, destination: a.destination,
      quantity_g: g, remaining_g: g, state: 'pending', expires_at: new Date(nowMs + (req.body.validDays ?? 30) * DAY).toISOString(),
      inspection: null, failure_reasons: '[]', version: 1, created_at: now, updated_at: now,
    };
    await ctx.change(async (trx, audit) => {
      await trx.insertInto('inspection_batches').values(row).execute();
      await audit({ actor: actorOf(req.principal), action: 'inspection_batch.open', subject: row.id, after: { applicationId: a.id, quantityG: g } });
    });
    reply.status(201);
    return batchDto(row, nowMs);
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
    const by = actorOf(req.principal);
    const r = await advance(ctx, req.params.id, (b) => {
      if (b.inspection) throw conflict('already_inspected', `batch ${b.id} was inspected at ${j(b.inspection).at}`);
      if (b.state !== 'pending') throw conflict('invalid_transition', `batch ${b.id} is ${b.state}`);
      const inspection = { ...req.body, by, at: ctx.nowIso() };
      return req.body.conform
        ? { inspection: JSON.stringify(inspection) }
        : { inspection: JSON.stringify(inspection), state: 'failed', failure_reasons: JSON.stringify([`inspection_nonconform: ${req.body.findings ?? 'nonconformity found on inspection'}`]) };
    }, 'inspect', by);
    return batchDto(r, ctx.clock.now());
  });

  app.post(`${base}/:id/lab-results`, {
    config: { roles: STAFF },
    schema: {
      tags, summary: 'Record the residue results; any value over the destination\'s MRL (Codex fallback) fails the batch', params: Id,
      body: Type.Object({ lab: Type.String({ minLength: 1, maxLength: 200 }), sampleId: Type.Optional(Type.String({ maxLength: 100 })), residues: Type.Array(Type.Object({ pesticide: Type.String(), mgPerKg: Type.Number() }), { maxItems: 500 }) }, { additionalProperties: false }),
      response: { 201: Type.Any(), ...errs },
    },
  }, async (req, reply) => {
    const cur = await load(req, req.params.id);
    const assessment = assessResidues(cur.destination, req.body.residues, await mrlTableFor(db, cur.destination, cur.commodity));
    const by = actorOf(req.principal);
    const labId = newId('lab', ctx.clock.now());
    const r = await advance(ctx, cur.id, (b) => {
      if (!b.inspection) throw conflict('not_inspected', `batch ${b.id} has no inspection and sampling yet`);
      if (b.state !== 'pending') throw conflict('invalid_transition', `batch ${b.id} is ${b.state}; lab results are recorded once`);
      return assessment.pass ? { state: 'passed' } : { state: 'failed', failure_reasons: JSON.stringify(assessment.reasons) };
    }, assessment.pass ? 'lab_pass' : 'lab_fail', by);
    await ctx.change(async (trx) => {
      await trx.insertInto('lab_results').values({ id: labId, batch_id: cur.id, lab: req.body.lab, sample_id: req.body.sampleId ?? null, residues: JSON.stringify(req.body.residues), assessment: JSON.stringify(assessment), pass: assessment.pass ? 1 : 0, created_by: by, created_at: ctx.nowIso() }).execute();
    });
    reply.status(201);
    return { labResultId: labId, assessment, batch: batchDto(r, ctx.clock.now()) };
  });

  app.get(`${base}/:id/write-offs`, {
    config: { roles: READERS },
    schema: { tags, summary: 'Shipments written off against the batch', params: Id, querystring: Type.Object({ ...PageQuery }), response: { 200: Type.Any(), ...errs } },
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
    const g = grams(req.body.quantityKg);
    const by = actorOf(req.principal);
    const w = await ctx.change(async (trx, audit) => {
      const row = await writeOffBatch(trx, b.id, g, ctx.clock.now(), by, req.body.shipmentRef ?? null);
      await audit({ actor: by, action: 'inspection_batch.write_off', subject: b.id, after: { quantityG: g, remainingG: row.remaining_after_g, shipmentRef: row.shipment_ref } });
      return row;
    });
    reply.status(201);
    return writeOffDto(w);
  });
};
