/**
 * Database side of the inspection core: the requirements register and MRLs as stored rows, facility
 * lookups for checkApplication, and the batch write-off as one guarded UPDATE (never over-draws).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.ts';
import type { FacilityRow, InspectionBatchRow } from './tables.ts';
import { AppError, conflict, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { commodityOf, seedMrls, seedRegister, type CountryRequirement, type MrlEntry, type MrlTable, type RequirementsRegister } from './requirements.ts';
import { facilityLookup, type Facility, type FacilityLookup } from './application-check.ts';
import { fromGrams, writeOff } from './batch-ledger.ts';

export type StoredRequirement = CountryRequirement & { mrls?: Record<string, MrlEntry> };
type Db = Kysely<Database>;

export async function registerFromDb(db: Db): Promise<RequirementsRegister & { rows: StoredRequirement[] }> {
  const rows = (await db.selectFrom('requirements').select('data').execute()).map((r) => JSON.parse(r.data) as StoredRequirement);
  return { commodities: seedRegister.commodities, requirements: rows, rows };
}

/** MRLs for a destination and commodity: the stored requirement's own values, Codex as fallback. */
export async function mrlTableFor(db: Db, country: string, commodity: string): Promise<MrlTable> {
  const com = commodityOf(commodity);
  const keys = com ? [com.code, com.group] : [commodity];
  const rows = await db.selectFrom('requirements').select(['commodity', 'data']).where('country', '=', country).where('commodity', 'in', keys).execute();
  const row = keys.map((k) => rows.find((r) => r.commodity === k)).find(Boolean);
  const own = row ? (JSON.parse(row.data) as StoredRequirement).mrls ?? {} : {};
  return { codex: seedMrls.codex, countries: { [country]: own } };
}

export const facilityOf = (r: FacilityRow, kind: Facility['kind']): Facility => ({
  regNo: r.reg_no, name: r.name, kind, status: r.status,
  approvedDestinations: JSON.parse(r.approved_destinations), commodities: JSON.parse(r.commodities),
  validUntil: r.valid_until ? Date.parse(r.valid_until) : undefined,
});

export async function facilitiesFor(db: Db, orchardRegNo?: string, packingHouseRegNo?: string): Promise<FacilityLookup> {
  const out: Facility[] = [];
  if (orchardRegNo) {
    const o = await db.selectFrom('orchards').selectAll().where('reg_no', '=', orchardRegNo).executeTakeFirst();
    if (o) out.push(facilityOf(o, 'orchard'));
  }
  if (packingHouseRegNo) {
    const p = await db.selectFrom('packing_houses').selectAll().where('reg_no', '=', packingHouseRegNo).executeTakeFirst();
    if (p) out.push(facilityOf(p, 'packing_house'));
  }
  return facilityLookup(out);
}

/** 32-bit integer grams: the same column type on SQLite and PostgreSQL. */
export const MAX_GRAMS = 2_147_483_647;

/**
 * Draw `grams` from a batch inside `trx`. The UPDATE re-checks state, expiry and remaining in SQL, so
 * concurrent write-offs serialise on the row and none can take more than is left. When it updates no
 * row the batch is re-read and the pure writeOff() names the exact reason.
 */
export async function writeOffBatch(trx: Db, batchId: string, grams: number, nowMs: number, by: string, shipmentRef: string | null, certificateId: string | null = null) {
  const now = new Date(nowMs).toISOString();
  const upd = await trx.updateTable('inspection_batches')
    .set({
      remaining_g: sql`remaining_g - ${grams}`,
      state: sql`CASE WHEN remaining_g - ${grams} = 0 THEN 'exhausted' ELSE state END`,
      version: sql`version + 1`,
      updated_at: now,
    })
    .where('id', '=', batchId).where('state', '=', 'passed').where('expires_at', '>', now).where('remaining_g', '>=', grams)
    .returning(['remaining_g'])
    .executeTakeFirst();
  if (!upd) {
    const b = await trx.selectFrom('inspection_batches').selectAll().where('id', '=', batchId).executeTakeFirst();
    if (!b) throw notFound('inspection batch', batchId);
    const r = writeOff(batchView(b), fromGrams(grams), nowMs);
    if (!r.ok) throw new AppError(r.code === 'invalid_quantity' ? 400 : 409, r.code, r.message);
    throw new AppError(409, 'over_draw', `batch ${batchId} changed concurrently; retry`);
  }
  const row = { id: newId('wof', nowMs), batch_id: batchId, quantity_g: grams, remaining_after_g: Number(upd.remaining_g), shipment_ref: shipmentRef, certificate_id: certificateId, created_by: by, created_at: now };
  await trx.insertInto('batch_write_offs').values(row).execute();
  return row;
}

/**
 * Give a write-off's quantity back to its batch inside `trx` (a certificate was cancelled): the batch's
 * remaining grows by exactly that amount, an exhausted batch is open again, and the ledger gets a reversal
 * row (negative quantity) naming the cancelled certificate. A write-off is reversed at most once, whichever
 * certificate of a replacement chain holds it.
 */
export async function reverseWriteOff(trx: Db, writeOffId: string, certificateId: string, nowMs: number, by: string) {
  const now = new Date(nowMs).toISOString();
  const w = await trx.selectFrom('batch_write_offs').selectAll().where('id', '=', writeOffId).executeTakeFirst();
  if (!w || w.quantity_g <= 0) throw notFound('write-off', writeOffId);
  const chain = trx.selectFrom('certificates').select('id').where('write_off_id', '=', w.id);
  const done = await trx.selectFrom('batch_write_offs').select('id').where('batch_id', '=', w.batch_id).where('quantity_g', '<', 0).where('certificate_id', 'in', chain).executeTakeFirst();
  if (done) throw conflict('already_reversed', `write-off ${w.id} was already returned to batch ${w.batch_id} (${done.id})`);
  const upd = await trx.updateTable('inspection_batches')
    .set({
      remaining_g: sql`remaining_g + ${w.quantity_g}`,
      state: sql`CASE WHEN state = 'exhausted' THEN 'passed' ELSE state END`,
      version: sql`version + 1`,
      updated_at: now,
    })
    .where('id', '=', w.batch_id).where(sql<boolean>`remaining_g + ${w.quantity_g} <= quantity_g`)
    .returning(['remaining_g'])
    .executeTakeFirst();
  if (!upd) throw conflict('ledger_inconsistent', `batch ${w.batch_id} cannot take ${fromGrams(w.quantity_g)} kg back`);
  const row = { id: newId('wof', nowMs), batch_id: w.batch_id, quantity_g: -w.quantity_g, remaining_after_g: Number(upd.remaining_g), shipment_ref: w.shipment_ref, certificate_id: certificateId, created_by: by, created_at: now };
  await trx.insertInto('batch_write_offs').values(row).execute();
  return { reversal: row, writeOff: w };
}

export const batchView = (b: InspectionBatchRow) => ({
  id: b.id, quantityKg: fromGrams(b.quantity_g), remainingKg: fromGrams(b.remaining_g), expiresAt: Date.parse(b.expires_at),
  state: b.state,
});
