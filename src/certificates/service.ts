/**
 * Issuing, replacing and cancelling certificates against the store. Issuing writes the shipment off its
 * batch, takes the next number from the office/year counter row, signs and renders, all in one transaction.
 */
import { sql } from 'kysely';
import type { AppContext, Trx } from '../platform/context.ts';
import type { CertificateRow } from '../inspection/tables.ts';
import { AppError, conflict, invalidField, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { actorOf, type Principal } from '../platform/auth/principal.ts';
import { commodityOf, additionalDeclarationFor } from '../inspection/requirements.ts';
import { registerFromDb, reverseWriteOff, writeOffBatch, MAX_GRAMS } from '../inspection/store.ts';
import { toGrams } from '../inspection/batch-ledger.ts';
import { nextCertificateNumber } from './numbering.ts';
import { issueCertificate, issueReplacement } from './issue.ts';
import { cancelCertificate, type Certificate, type CertificateContent, type CertificateDraft, type Treatment } from './model.ts';
import { signingKeyOf } from './key-store.ts';

const OFFSET = 480; // China Standard Time: dates on the certificate are the issuing office's

export const verifyUrlFor = (ctx: AppContext) => (number: string) =>
  `${(ctx.settings.publicUrl || `http://localhost:${ctx.settings.httpPort}`).replace(/\/$/, '')}/verify/${encodeURIComponent(number)}`;

async function nextNumber(trx: Trx, office: string, year: number): Promise<string> {
  await trx.insertInto('certificate_counters').values({ office, year, seq: 0 }).onConflict((oc) => oc.columns(['office', 'year']).doNothing()).execute();
  const r = await trx.updateTable('certificate_counters').set({ seq: sql`seq + 1` }).where('office', '=', office).where('year', '=', year).returning('seq').executeTakeFirstOrThrow();
  return nextCertificateNumber(office, year, Number(r.seq) - 1);
}

export const certificateOf = (r: CertificateRow): Certificate => ({
  content: JSON.parse(r.content), signature: JSON.parse(r.signature), status: r.status,
  ...(r.replaced_by ? { replacedBy: { number: r.replaced_by, reason: r.replace_reason ?? '', at: r.updated_at } } : {}),
  ...(r.cancelled ? { cancelled: JSON.parse(r.cancelled) } : {}),
});

export interface IssueInput {
  batchId: string;
  quantityKg: number;
  packages?: { count: number; typeCode: string };
  tripId?: string;
  distinguishingMarks?: string;
  treatment?: Treatment;
  office?: string;
  place?: string;
  shipmentRef?: string;
  /** A re-export certificate (ePhyto type 657): the original certificate it rests on and the country of origin. */
  reexport?: { originalCertificateNumber: string; originCountry: string };
}

export async function issueForBatch(ctx: AppContext, p: Principal, input: IssueInput): Promise<CertificateRow> {
  const db = ctx.store.db;
  const batch = await db.selectFrom('inspection_batches').selectAll().where('id', '=', input.batchId).executeTakeFirst();
  if (!batch) throw invalidField('batchId', 'no such batch', 'unknown_batch');
  if (batch.state === 'failed') throw conflict('batch_failed', `batch ${batch.id} failed: ${JSON.parse(batch.failure_reasons).join('; ')}`, { reasons: JSON.parse(batch.failure_reasons) });
  if (batch.state === 'pending') throw conflict('batch_not_passed', `batch ${batch.id} has not passed inspection and lab testing yet`);
  const g = toGrams(input.quantityKg);
  if (g <= 0 || g > MAX_GRAMS) throw invalidField('quantityKg', 'must be > 0 with ≤ 3 decimals', 'invalid_quantity');
  const appRow = await db.selectFrom('inspection_applications').selectAll().where('id', '=', batch.application_id).executeTakeFirstOrThrow();
  const a = JSON.parse(appRow.data);
  const commodity = commodityOf(a.commodity)!;
  const register = await registerFromDb(db);
  const req = register.rows.find((r) => r.country === a.destination && (r.commodity === commodity.code || r.commodity === commodity.group));

  let lockId: string | null = null;
  if (input.tripId) {
    const trip = await db.selectFrom('trips').select(['id', 'device_id', 'active_device_id']).where('id', '=', input.tripId).executeTakeFirst();
    if (!trip) throw invalidField('tripId', 'no such trip', 'unknown_trip');
    const devId = trip.active_device_id ?? trip.device_id;
    if (devId) lockId = (await db.selectFrom('devices').select('terminal_id').where('id', '=', devId).executeTakeFirst())?.terminal_id ?? null;
  }
  const packages = input.packages ?? { count: Math.max(1, Math.round((a.packages.count * g) / (a.quantityKg * 1000))), typeCode: a.packages.typeCode };
  const marks = [input.distinguishingMarks, a.orchardRegNo && `Orchard ${a.orchardRegNo}`, a.packingHouseRegNo && `Packing house ${a.packingHouseRegNo}`].filter(Boolean).join(' / ');
  const draft: CertificateDraft = {
    type: input.reexport ? 'reexport' : 'export', ...(input.reexport ? { reexport: input.reexport } : {}), issuingOffice: input.office ?? ctx.settings.certificateOffice,
    exportingNppo: 'General Administration of Customs P.R. China', exportCountry: 'CN', importCountry: a.destination, importCountryName: req?.countryName,
    exporter: a.exporter.address?.length ? { name: a.exporter.name, address: a.exporter.address } : { name: a.exporter.name },
    consignee: a.consignee,
    commodity: { description: `Fresh ${commodity.nameEn.toLowerCase()}`, commonName: commodity.nameEn, commonNameZh: commodity.nameZh, scientificName: commodity.scientificName, eppoCode: commodity.eppoCode, hsCode: commodity.hsCode, condition: commodity.perishable ? 'Fresh' : undefined, netWeightKg: g / 1000 },
    packages,
    distinguishingMarks: marks || undefined,
    placeOfOrigin: { country: 'CN', subdivision: 'Fujian' },
    conveyance: a.conveyance,
    pointOfEntry: a.pointOfEntry ?? { name: req?.countryName ?? a.destination },
    additionalDeclaration: req ? additionalDeclarationFor(req, { importPermitNo: a.importPermitNo }) ?? undefined : undefined,
    treatment: input.treatment ?? (req?.treatment ? { treatment: req.treatment.type, additionalInfo: req.treatment.description } : undefined),
    ...(input.tripId ? { sealChain: { lockId: lockId ?? 'none', tripId: input.tripId } } : {}),
  };
  const { key } = signingKeyOf(ctx.settings);
  const nowMs = ctx.clock.now();
  const year = new Date(nowMs + OFFSET * 60_000).getUTCFullYear();
  const certId = newId('crt', nowMs);
  return ctx.change(async (trx, audit) => {
    const wo = await writeOffBatch(trx, batch.id, g, nowMs, actorOf(p), input.shipmentRef ?? null, certId);
    const number = await nextNumber(trx, draft.issuingOffice, year);
    const issued = await issueCertificate(draft, { number, issuedAt: nowMs, place: input.place ?? 'Quanzhou 泉州', officer: p.name, utcOffsetMinutes: OFFSET }, key, verifyUrlFor(ctx));
    const row = rowOf(certId, issued.certificate.content, issued, { batch_id: batch.id, application_id: appRow.id, enterprise_id: batch.enterprise_id, trip_id: input.tripId ?? null, lock_id: lockId, write_off_id: wo.id, issued_by: actorOf(p), now: new Date(nowMs).toISOString() });
    await trx.insertInto('certificates').values(row).execute();
    await audit({ actor: actorOf(p), action: 'certificate.issue', subject: certId, after: { number, batchId: batch.id, quantityG: g, keyId: key.keyId } });
    return row;
  });
}

function rowOf(id: string, content: CertificateContent, issued: { certificate: Certificate; xml: string; pdf: Buffer }, m: Pick<CertificateRow, 'batch_id' | 'application_id' | 'enterprise_id' | 'trip_id' | 'lock_id' | 'write_off_id' | 'issued_by'> & { now: string }): CertificateRow {
  const { now, ...rest } = m;
  return {
    id, number: content.number, office: content.issuingOffice, content: JSON.stringify(content), signature: JSON.stringify(issued.certificate.signature),
    status: 'issued', valid_until: new Date(Date.parse(content.validUntil)).toISOString(), replaced_by: null, replaces: content.replaces?.number ?? null,
    replace_reason: content.replaces?.reason ?? null, cancelled: null, xml: issued.xml, pdf_base64: issued.pdf.toString('base64'),
    ...rest, version: 1, created_at: now, updated_at: now,
  };
}

export async function replaceCertificate(ctx: AppContext, p: Principal, id: string, reason: string, changes: Partial<CertificateDraft>): Promise<CertificateRow> {
  const { key } = signingKeyOf(ctx.settings);
  const nowMs = ctx.clock.now();
  const year = new Date(nowMs + OFFSET * 60_000).getUTCFullYear();
  return ctx.change(async (trx, audit) => {
    const old = await trx.selectFrom('certificates').selectAll().where('id', '=', id).executeTakeFirst();
    if (!old) throw notFound('certificate', id);
    if (old.status !== 'issued') throw conflict('certificate_not_replaceable', `certificate ${old.number} is ${old.status}`);
    const number = await nextNumber(trx, old.office, year);
    const newId_ = newId('crt', nowMs);
    const r = await issueReplacement(certificateOf(old), changes, reason, { number, issuedAt: nowMs, place: JSON.parse(old.content).issue.place, officer: p.name, utcOffsetMinutes: OFFSET }, key, verifyUrlFor(ctx));
    const row = rowOf(newId_, r.certificate.content, r, { batch_id: old.batch_id, application_id: old.application_id, enterprise_id: old.enterprise_id, trip_id: old.trip_id, lock_id: old.lock_id, write_off_id: old.write_off_id, issued_by: actorOf(p), now: new Date(nowMs).toISOString() });
    const upd = await trx.updateTable('certificates').set({ status: 'replaced', replaced_by: number, replace_reason: reason, version: old.version + 1, updated_at: row.created_at })
      .where('id', '=', old.id).where('status', '=', 'issued').executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1) throw conflict('certificate_not_replaceable', `certificate ${old.number} changed concurrently`);
    await trx.insertInto('certificates').values(row).execute();
    await audit({ actor: actorOf(p), action: 'certificate.replace', subject: old.id, before: { number: old.number }, after: { number, id: newId_, writeOffId: old.write_off_id }, reason }); // the replacement holds the same write-off: no second draw
    return row;
  });
}

/**
 * Cancel: the certificate answers cancelled from now on and its shipment's quantity goes back to the
 * batch (a ledger reversal), both in this one transaction with their audit entries.
 */
export async function cancelCertificateById(ctx: AppContext, p: Principal, id: string, reason: string): Promise<CertificateRow> {
  return ctx.change(async (trx, audit) => {
    const cur = await trx.selectFrom('certificates').selectAll().where('id', '=', id).executeTakeFirst();
    if (!cur) throw notFound('certificate', id);
    const nowMs = ctx.clock.now();
    const c = cancelCertificate(certificateOf(cur), reason, nowMs, OFFSET);
    const upd = await trx.updateTable('certificates').set({ status: 'cancelled', cancelled: JSON.stringify(c.cancelled), version: cur.version + 1, updated_at: ctx.nowIso() }).where('id', '=', id).where('status', '=', 'issued').executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1) throw new AppError(409, 'certificate_not_cancellable', `certificate ${cur.number} changed concurrently`);
    await audit({ actor: actorOf(p), action: 'certificate.cancel', subject: id, before: { status: cur.status }, after: { status: 'cancelled' }, reason });
    if (cur.write_off_id) {
      const { reversal, writeOff } = await reverseWriteOff(trx, cur.write_off_id, cur.id, nowMs, actorOf(p));
      await audit({ actor: actorOf(p), action: 'inspection_batch.write_off_reverse', subject: reversal.batch_id, after: { reversalId: reversal.id, writeOffId: writeOff.id, certificateId: cur.id, quantityG: writeOff.quantity_g, remainingG: reversal.remaining_after_g }, reason });
    }
    return { ...cur, status: 'cancelled', cancelled: JSON.stringify(c.cancelled), version: cur.version + 1 };
  });
}
