/** Registering orchards (注册果园) and packing houses (包装厂): the route and the demo seed call this. */
import type { AppContext } from '../platform/context.ts';
import { actorOf, type Principal } from '../platform/auth/principal.ts';
import { conflict, invalidField } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { checkGeometry } from '../registry/validate.ts';
import type { FacilityRow } from './tables.ts';
import { visibleTo } from './scope.ts';

export type FacilityTable = 'orchards' | 'packing_houses';
export const FACILITY = { orchards: { what: 'orchard', idPrefix: 'orc' }, packing_houses: { what: 'packing house', idPrefix: 'pkh' } } as const;

export interface FacilityInput {
  regNo: string;
  name: string;
  enterpriseId: string;
  location: { type: 'Point' | 'Polygon'; coordinates: unknown };
  approvedDestinations: string[];
  commodities?: string[];
  validUntil?: string;
}

export const facilityDto = (r: FacilityRow) => ({
  id: r.id, regNo: r.reg_no, name: r.name, enterpriseId: r.enterprise_id, location: JSON.parse(r.location), status: r.status,
  approvedDestinations: JSON.parse(r.approved_destinations), commodities: JSON.parse(r.commodities), pesticideRecords: JSON.parse(r.pesticide_records),
  validUntil: r.valid_until, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at,
});

export async function registerFacility(ctx: AppContext, p: Principal, table: FacilityTable, b: FacilityInput): Promise<FacilityRow> {
  const { what, idPrefix } = FACILITY[table];
  checkGeometry('location', b.location, ['Point', 'Polygon']);
  const ent = await ctx.store.db.selectFrom('enterprises').select('id').where('id', '=', b.enterpriseId).executeTakeFirst();
  if (!ent) throw invalidField('enterpriseId', 'no such enterprise', 'unknown_enterprise');
  return ctx.change(async (trx, audit) => {
    if (await trx.selectFrom(table).select('id').where('reg_no', '=', b.regNo).executeTakeFirst()) throw conflict('duplicate_reg_no', `${what} ${b.regNo} is already registered`);
    const now = ctx.nowIso();
    const r: FacilityRow = {
      id: newId(idPrefix, ctx.clock.now()), reg_no: b.regNo, name: b.name, enterprise_id: b.enterpriseId, location: JSON.stringify(b.location), status: 'active',
      approved_destinations: JSON.stringify(b.approvedDestinations), commodities: JSON.stringify(b.commodities ?? []), pesticide_records: '[]',
      valid_until: b.validUntil ? new Date(b.validUntil).toISOString() : null, version: 1, created_at: now, updated_at: now,
    };
    await trx.insertInto(table).values(r).execute();
    await audit({ actor: actorOf(p), action: `${table}.register`, subject: r.id, after: facilityDto(r) });
    return r;
  });
}

export interface PesticideRecordInput { pesticide: string; appliedOn: string; dose?: string; preHarvestIntervalDays?: number; note?: string }

/** Pesticide-use records are appended, never edited (version-guarded against concurrent appends). */
export async function appendPesticideRecord(ctx: AppContext, p: Principal, table: FacilityTable, id: string, input: PesticideRecordInput) {
  const { what } = FACILITY[table];
  return ctx.change(async (trx, audit) => {
    const cur = visibleTo(p, await trx.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst(), what, id);
    const r = { ...input, pesticide: input.pesticide.trim().toLowerCase(), recordedBy: actorOf(p), recordedAt: ctx.nowIso() };
    const upd = await trx.updateTable(table).set({ pesticide_records: JSON.stringify([...(JSON.parse(cur.pesticide_records) as unknown[]), r]), version: cur.version + 1, updated_at: r.recordedAt })
      .where('id', '=', cur.id).where('version', '=', cur.version).executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1) throw conflict('version_conflict', `${what} changed concurrently; retry`);
    await audit({ actor: actorOf(p), action: `${table}.pesticide_record`, subject: cur.id, after: r });
    return r;
  });
}

export interface FacilityChanges { name?: string; location?: FacilityInput['location']; approvedDestinations?: string[]; commodities?: string[]; validUntil?: string | null }

/** Officers amend a registration (e.g. a destination's list of approved orchards changed); version-guarded, audited. */
export async function updateFacility(ctx: AppContext, p: Principal, table: FacilityTable, id: string, version: number, changes: FacilityChanges, reason: string): Promise<FacilityRow> {
  const { what } = FACILITY[table];
  return ctx.change(async (trx, audit) => {
    const cur = visibleTo(p, await trx.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst(), what, id);
    if (cur.version !== version) throw conflict('version_conflict', `${what} is at version ${cur.version}, not ${version}`, { current: cur.version });
    if (changes.location !== undefined) checkGeometry('changes.location', changes.location, ['Point', 'Polygon']);
    const set: Partial<FacilityRow> = {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.location !== undefined ? { location: JSON.stringify(changes.location) } : {}),
      ...(changes.approvedDestinations !== undefined ? { approved_destinations: JSON.stringify(changes.approvedDestinations) } : {}),
      ...(changes.commodities !== undefined ? { commodities: JSON.stringify(changes.commodities) } : {}),
      ...(changes.validUntil !== undefined ? { valid_until: changes.validUntil === null ? null : new Date(changes.validUntil).toISOString() } : {}),
    };
    if (!Object.keys(set).length) throw invalidField('changes', 'nothing to change');
    const next: FacilityRow = { ...cur, ...set, version: cur.version + 1, updated_at: ctx.nowIso() };
    const upd = await trx.updateTable(table).set({ ...set, version: next.version, updated_at: next.updated_at }).where('id', '=', id).where('version', '=', cur.version).executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1) throw conflict('version_conflict', `${what} changed concurrently; retry`);
    await audit({ actor: actorOf(p), action: `${table}.update`, subject: id, before: facilityDto(cur), after: facilityDto(next), reason });
    return next;
  });
}
