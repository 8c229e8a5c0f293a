/**
 * Batch inspection (批次检验) against the store: open a batch from an application, record the on-site
 * inspection once, record the lab results (the result row and the batch's new state commit together),
 * write shipments off. The HTTP routes and the demo seed both call these.
 */
import type { AppContext, Trx } from '../platform/context.ts';
import { actorOf, type Principal } from '../platform/auth/principal.ts';
import { conflict, invalidField, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { InspectionBatchRow, LabResultRow } from './tables.ts';
import { assessResidues, type ResidueAssessment, type ResidueResult } from './lab-results.ts';
import { toGrams } from './batch-ledger.ts';
import { mrlTableFor, writeOffBatch, MAX_GRAMS } from './store.ts';

const DAY = 86_400_000;

export const gramsOf = (kg: number, field = 'quantityKg') => {
  const g = toGrams(kg);
  if (g <= 0 || g > MAX_GRAMS) throw invalidField(field, 'must be > 0 and at most 2,147,483 kg with ≤ 3 decimals', 'invalid_quantity');
  return g;
};

/**
 * Move a batch on with an optimistic version check, in one transaction with `also` (rows that must
 * commit with the new state, e.g. the lab result) and the audit entry.
 */
async function advance(ctx: AppContext, id: string, fn: (b: InspectionBatchRow) => Partial<InspectionBatchRow>, action: string, actor: string,
  also?: (trx: Trx) => Promise<Record<string, unknown> | void>) {
  return ctx.change(async (trx, audit) => {
    const b = await trx.selectFrom('inspection_batches').selectAll().where('id', '=', id).executeTakeFirst();
    if (!b) throw notFound('inspection batch', id);
    const set = { ...fn(b), version: b.version + 1, updated_at: ctx.nowIso() };
    const upd = await trx.updateTable('inspection_batches').set(set).where('id', '=', id).where('version', '=', b.version).executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1) throw conflict('version_conflict', 'batch changed concurrently; retry');
    const extra = also ? await also(trx) : undefined;
    await audit({ actor, action: `inspection_batch.${action}`, subject: id, before: { state: b.state }, after: { ...set, ...(extra ?? {}) } });
    return { ...b, ...set };
  });
}

export async function openBatch(ctx: AppContext, p: Principal, input: { applicationId: string; quantityKg?: number; validDays?: number }): Promise<InspectionBatchRow> {
  const a = await ctx.store.db.selectFrom('inspection_applications').selectAll().where('id', '=', input.applicationId).executeTakeFirst();
  if (!a) throw invalidField('applicationId', 'no such application', 'unknown_application');
  const g = gramsOf(input.quantityKg ?? (JSON.parse(a.data) as { quantityKg: number }).quantityKg);
  const nowMs = ctx.clock.now();
  const now = new Date(nowMs).toISOString();
  const row: InspectionBatchRow = {
    id: newId('bat', nowMs), application_id: a.id, enterprise_id: a.enterprise_id, commodity: a.commodity, destination: a.destination,
    quantity_g: g, remaining_g: g, state: 'pending', expires_at: new Date(nowMs + (input.validDays ?? 30) * DAY).toISOString(),
    inspection: null, failure_reasons: '[]', version: 1, created_at: now, updated_at: now,
  };
  await ctx.change(async (trx, audit) => {
    await trx.insertInto('inspection_batches').values(row).execute();
    await audit({ actor: actorOf(p), action: 'inspection_batch.open', subject: row.id, after: { applicationId: a.id, quantityG: g } });
  });
  return row;
}

/** The on-site inspection and sampling, once per batch; a nonconformity fails the batch. */
export async function recordInspection(ctx: AppContext, p: Principal, id: string, input: { conform: boolean; findings?: string; sampleId?: string }) {
  const by = actorOf(p);
  return advance(ctx, id, (b) => {
    if (b.inspection) throw conflict('already_inspected', `batch ${b.id} was inspected at ${JSON.parse(b.inspection).at}`);
    if (b.state !== 'pending') throw conflict('invalid_transition', `batch ${b.id} is ${b.state}`);
    const inspection = JSON.stringify({ ...input, by, at: ctx.nowIso() });
    return input.conform
      ? { inspection }
      : { inspection, state: 'failed', failure_reasons: JSON.stringify([`inspection_nonconform: ${input.findings ?? 'nonconformity found on inspection'}`]) };
  }, 'inspect', by);
}

/**
 * Residues against the destination's MRLs (Codex fallback). The lab result row, the batch's passed or
 * failed state and the audit entry commit in one transaction: a failure leaves neither.
 */
export async function recordLabResults(ctx: AppContext, p: Principal, batch: InspectionBatchRow, input: { lab: string; sampleId?: string; residues: ResidueResult[] }):
  Promise<{ labResultId: string; assessment: ResidueAssessment; batch: InspectionBatchRow }> {
  const assessment = assessResidues(batch.destination, input.residues, await mrlTableFor(ctx.store.db, batch.destination, batch.commodity));
  const by = actorOf(p);
  const labId = newId('lab', ctx.clock.now());
  const row: LabResultRow = { id: labId, batch_id: batch.id, lab: input.lab, sample_id: input.sampleId ?? null, residues: JSON.stringify(input.residues), assessment: JSON.stringify(assessment), pass: assessment.pass ? 1 : 0, created_by: by, created_at: ctx.nowIso() };
  const next = await advance(ctx, batch.id, (b) => {
    if (!b.inspection) throw conflict('not_inspected', `batch ${b.id} has no inspection and sampling yet`);
    if (b.state !== 'pending') throw conflict('invalid_transition', `batch ${b.id} is ${b.state}; lab results are recorded once`);
    return assessment.pass ? { state: 'passed' } : { state: 'failed', failure_reasons: JSON.stringify(assessment.reasons) };
  }, assessment.pass ? 'lab_pass' : 'lab_fail', by, async (trx) => {
    await trx.insertInto('lab_results').values(row).execute();
    return { labResultId: labId, lab: input.lab };
  });
  return { labResultId: labId, assessment, batch: next };
}

/** One shipment written off the batch outside certificate issue (never over-draws: see writeOffBatch). */
export async function writeOffShipment(ctx: AppContext, p: Principal, batchId: string, quantityKg: number, shipmentRef: string | null) {
  const g = gramsOf(quantityKg);
  const by = actorOf(p);
  return ctx.change(async (trx, audit) => {
    const row = await writeOffBatch(trx, batchId, g, ctx.clock.now(), by, shipmentRef);
    await audit({ actor: by, action: 'inspection_batch.write_off', subject: batchId, after: { quantityG: g, remainingG: row.remaining_after_g, shipmentRef: row.shipment_ref } });
    return row;
  });
}
