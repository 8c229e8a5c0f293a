/**
 * Migration step 005_inspection: requirements register (seeded from ./seed), facilities, applications,
 * appointments with per-slot counters, batch ledger, lab results and certificates.
 * Large gram quantities stay within a 32-bit integer (≤ 2,147 t per batch), which the API enforces.
 */
import type { Kysely } from 'kysely';
import { seedRegister, seedMrls } from './requirements.ts';

const ts = 'text';
const stamps = (t: any) => t.addColumn('version', 'integer', (c: any) => c.notNull().defaultTo(1)).addColumn('created_at', ts, (c: any) => c.notNull()).addColumn('updated_at', ts, (c: any) => c.notNull());

/** The seed rows: each requirement carries the country's own MRLs (Codex stays the fallback in code). */
export function seedRequirementRows(now: string) {
  return seedRegister.requirements.map((r) => ({
    id: `req_${r.country.toLowerCase()}_${r.commodity}`,
    country: r.country,
    commodity: r.commodity,
    data: JSON.stringify({ ...r, mrls: seedMrls.countries[r.country] ?? {} }),
    version: 1, created_at: now, updated_at: now,
  }));
}

export async function m005_inspection(db: Kysely<any>): Promise<void> {
  await stamps(db.schema.createTable('requirements')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('country', ts, (c) => c.notNull())
    .addColumn('commodity', ts, (c) => c.notNull())
    .addColumn('data', ts, (c) => c.notNull())
    .addUniqueConstraint('requirements_country_commodity', ['country', 'commodity'])).execute();
  await db.schema.createTable('requirement_versions')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('requirement_id', ts, (c) => c.notNull().references('requirements.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', ts, (c) => c.notNull())
    .addColumn('changed_by', ts, (c) => c.notNull())
    .addColumn('reason', ts)
    .addColumn('changed_at', ts, (c) => c.notNull())
    .addUniqueConstraint('requirement_versions_req_ver', ['requirement_id', 'version'])
    .execute();

  for (const table of ['orchards', 'packing_houses']) {
    await stamps(db.schema.createTable(table)
      .addColumn('id', ts, (c) => c.primaryKey())
      .addColumn('reg_no', ts, (c) => c.notNull().unique())
      .addColumn('name', ts, (c) => c.notNull())
      .addColumn('enterprise_id', ts, (c) => c.notNull().references('enterprises.id'))
      .addColumn('location', ts, (c) => c.notNull())
      .addColumn('status', ts, (c) => c.notNull())
      .addColumn('approved_destinations', ts, (c) => c.notNull())
      .addColumn('commodities', ts, (c) => c.notNull())
      .addColumn('pesticide_records', ts, (c) => c.notNull())
      .addColumn('valid_until', ts)).execute();
  }

  await stamps(db.schema.createTable('inspection_applications')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('enterprise_id', ts, (c) => c.notNull().references('enterprises.id'))
    .addColumn('commodity', ts, (c) => c.notNull())
    .addColumn('destination', ts, (c) => c.notNull())
    .addColumn('data', ts, (c) => c.notNull())
    .addColumn('warnings', ts, (c) => c.notNull())
    .addColumn('state', ts, (c) => c.notNull())).execute();

  await stamps(db.schema.createTable('inspection_sites')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('name', ts, (c) => c.notNull().unique())
    .addColumn('office', ts, (c) => c.notNull())
    .addColumn('capacity_per_slot', 'integer', (c) => c.notNull())
    .addColumn('slot_minutes', 'integer', (c) => c.notNull())
    .addColumn('perishable_reserve', 'real', (c) => c.notNull())
    .addColumn('min_lead_minutes', 'integer', (c) => c.notNull())
    .addColumn('utc_offset_minutes', 'integer', (c) => c.notNull())).execute();
  await db.schema.createTable('slot_loads')
    .addColumn('site_id', ts, (c) => c.notNull().references('inspection_sites.id'))
    .addColumn('slot_start', ts, (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('perishable', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('slot_loads_pk', ['site_id', 'slot_start'])
    .execute();
  await stamps(db.schema.createTable('appointments')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('site_id', ts, (c) => c.notNull().references('inspection_sites.id'))
    .addColumn('slot_start', ts, (c) => c.notNull())
    .addColumn('slot_end', ts, (c) => c.notNull())
    .addColumn('perishable', 'integer', (c) => c.notNull())
    .addColumn('state', ts, (c) => c.notNull())
    .addColumn('application_id', ts)
    .addColumn('enterprise_id', ts)
    .addColumn('rescheduled_to', ts)
    .addColumn('rescheduled_from', ts)).execute();
  await db.schema.createIndex('appointments_slot').on('appointments').columns(['site_id', 'slot_start']).execute();

  await stamps(db.schema.createTable('inspection_batches')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('application_id', ts, (c) => c.notNull().references('inspection_applications.id'))
    .addColumn('enterprise_id', ts, (c) => c.notNull())
    .addColumn('commodity', ts, (c) => c.notNull())
    .addColumn('destination', ts, (c) => c.notNull())
    .addColumn('quantity_g', 'integer', (c) => c.notNull())
    .addColumn('remaining_g', 'integer', (c) => c.notNull())
    .addColumn('state', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('inspection', ts)
    .addColumn('failure_reasons', ts, (c) => c.notNull())).execute();
  await db.schema.createTable('batch_write_offs')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('batch_id', ts, (c) => c.notNull().references('inspection_batches.id'))
    .addColumn('quantity_g', 'integer', (c) => c.notNull())
    .addColumn('remaining_after_g', 'integer', (c) => c.notNull())
    .addColumn('shipment_ref', ts)
    .addColumn('certificate_id', ts)
    .addColumn('created_by', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('batch_write_offs_batch').on('batch_write_offs').columns(['batch_id']).execute();
  await db.schema.createTable('lab_results')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('batch_id', ts, (c) => c.notNull().references('inspection_batches.id'))
    .addColumn('lab', ts, (c) => c.notNull())
    .addColumn('sample_id', ts)
    .addColumn('residues', ts, (c) => c.notNull())
    .addColumn('assessment', ts, (c) => c.notNull())
    .addColumn('pass', 'integer', (c) => c.notNull())
    .addColumn('created_by', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();

  await db.schema.createTable('certificate_counters')
    .addColumn('office', ts, (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('certificate_counters_pk', ['office', 'year'])
    .execute();
  await stamps(db.schema.createTable('certificates')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('number', ts, (c) => c.notNull().unique())
    .addColumn('office', ts, (c) => c.notNull())
    .addColumn('batch_id', ts)
    .addColumn('application_id', ts)
    .addColumn('enterprise_id', ts, (c) => c.notNull())
    .addColumn('content', ts, (c) => c.notNull())
    .addColumn('signature', ts, (c) => c.notNull())
    .addColumn('status', ts, (c) => c.notNull())
    .addColumn('valid_until', ts, (c) => c.notNull())
    .addColumn('replaced_by', ts)
    .addColumn('replaces', ts)
    .addColumn('replace_reason', ts)
    .addColumn('cancelled', ts)
    .addColumn('trip_id', ts)
    .addColumn('lock_id', ts)
    .addColumn('write_off_id', ts)
    .addColumn('xml', ts, (c) => c.notNull())
    .addColumn('pdf_base64', ts, (c) => c.notNull())
    .addColumn('issued_by', ts, (c) => c.notNull())).execute();
  await db.schema.createIndex('certificates_batch').on('certificates').columns(['batch_id']).execute();

  const now = new Date().toISOString();
  const rows = seedRequirementRows(now);
  if (rows.length) await db.insertInto('requirements').values(rows).execute();
  for (const r of rows) {
    await db.insertInto('requirement_versions').values({ id: `rqv_${r.id}_1`, requirement_id: r.id, version: 1, data: r.data, changed_by: 'system:seed', reason: 'seeded from the reference register', changed_at: now }).execute();
  }
}
