/**
 * Inspection sites and appointments (预约) against the store: add a site, book a slot on its guarded
 * counter row, apply confirm / complete / no-show / cancel. The routes and the demo seed call these.
 */
import { parseInstant } from '../platform/dates.ts';
import { sql } from 'kysely';
import type { AppContext, Trx } from '../platform/context.ts';
import { actorOf, type Principal } from '../platform/auth/principal.ts';
import { conflict, invalidField, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { AppointmentRow, InspectionSiteRow } from './tables.ts';
import { applyAction, canBook, checkSite, slotAt, type AppointmentAction, type InspectionSite, type Slot } from './appointments.ts';
import { ownEnterpriseOf, visibleTo } from './scope.ts';

export const siteOf = (r: InspectionSiteRow): InspectionSite => ({ id: r.id, capacityPerSlot: r.capacity_per_slot, slotMinutes: r.slot_minutes, perishableReserve: r.perishable_reserve, minLeadMinutes: r.min_lead_minutes, utcOffsetMinutes: r.utc_offset_minutes });
export const siteDto = (r: InspectionSiteRow) => ({ id: r.id, name: r.name, office: r.office, capacityPerSlot: r.capacity_per_slot, slotMinutes: r.slot_minutes, perishableReserve: r.perishable_reserve, minLeadMinutes: r.min_lead_minutes, utcOffsetMinutes: r.utc_offset_minutes, version: r.version });
export const apptDto = (r: AppointmentRow) => ({ id: r.id, siteId: r.site_id, slotStart: r.slot_start, slotEnd: r.slot_end, perishable: !!r.perishable, state: r.state, applicationId: r.application_id, enterpriseId: r.enterprise_id, rescheduledTo: r.rescheduled_to, rescheduledFrom: r.rescheduled_from, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at });
export const iso = (ms: number) => new Date(ms).toISOString();

export async function siteById(ctx: AppContext, id: string) {
  const s = await ctx.store.db.selectFrom('inspection_sites').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) throw notFound('inspection site', id);
  return s;
}

export function slotOf(s: InspectionSiteRow, startIso: string) {
  const t = parseInstant(startIso);
  if (t === null) throw invalidField('slotStart', 'must be an ISO 8601 date-time with a zone', 'invalid_date');
  const slot = slotAt(siteOf(s), t);
  if (slot.start !== t) throw invalidField('slotStart', `must be the start of a slot (${slot.start < t ? iso(slot.start) : ''})`, 'not_a_slot_start');
  return slot;
}

/**
 * Take one place in `slot` inside `trx`. The WHERE clause is canBook() in SQL: total below capacity, and
 * for non-perishables the general share (capacity minus the perishable reserve, counting only the
 * perishables that sit inside the reserve) not yet used. No row updated = full.
 */
export async function takePlace(trx: Trx, slot: Slot, perishable: boolean, now: number) {
  const pre = canBook(slot, { total: 0, perishable: 0 }, perishable, now); // time rules only
  if (!pre.ok) throw conflict(pre.code, `slot ${iso(slot.start)} refused: ${pre.code}`);
  const start = iso(slot.start);
  await trx.insertInto('slot_loads').values({ site_id: slot.siteId, slot_start: start, total: 0, perishable: 0 }).onConflict((oc) => oc.columns(['site_id', 'slot_start']).doNothing()).execute();
  const general = slot.capacity - slot.reservedForPerishable;
  let q = trx.updateTable('slot_loads')
    .set({ total: sql`total + 1`, perishable: sql`perishable + ${perishable ? 1 : 0}` })
    .where('site_id', '=', slot.siteId).where('slot_start', '=', start).where('total', '<', slot.capacity);
  if (!perishable) q = q.where(sql<boolean>`total - (CASE WHEN perishable < ${slot.reservedForPerishable} THEN perishable ELSE ${slot.reservedForPerishable} END) < ${general}`);
  const r = await q.executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) {
    const load = await trx.selectFrom('slot_loads').select(['total', 'perishable']).where('site_id', '=', slot.siteId).where('slot_start', '=', start).executeTakeFirstOrThrow();
    const c = canBook(slot, load, perishable);
    throw conflict(c.ok ? 'slot_full' : c.code, `slot ${start} at ${slot.siteId} is full for ${perishable ? 'perishables' : 'general goods'}`, { load });
  }
}

export async function givePlace(trx: Trx, a: AppointmentRow) {
  await trx.updateTable('slot_loads').set({ total: sql`total - 1`, perishable: sql`perishable - ${a.perishable}` })
    .where('site_id', '=', a.site_id).where('slot_start', '=', a.slot_start).where('total', '>', 0).execute();
}

export interface SiteInput { name: string; office: string; capacityPerSlot: number; slotMinutes?: number; perishableReserve?: number; minLeadMinutes?: number; utcOffsetMinutes?: number }

export async function createSite(ctx: AppContext, p: Principal, b: SiteInput): Promise<InspectionSiteRow> {
  const now = ctx.nowIso();
  const row: InspectionSiteRow = { id: newId('ist', ctx.clock.now()), name: b.name, office: b.office, capacity_per_slot: b.capacityPerSlot, slot_minutes: b.slotMinutes ?? 60, perishable_reserve: b.perishableReserve ?? 0.25, min_lead_minutes: b.minLeadMinutes ?? 60, utc_offset_minutes: b.utcOffsetMinutes ?? 480, version: 1, created_at: now, updated_at: now };
  checkSite(siteOf(row));
  await ctx.change(async (trx, audit) => {
    if (await trx.selectFrom('inspection_sites').select('id').where('name', '=', b.name).executeTakeFirst()) throw conflict('duplicate_name', `site ${b.name} exists`);
    await trx.insertInto('inspection_sites').values(row).execute();
    await audit({ actor: actorOf(p), action: 'inspection_site.create', subject: row.id, after: siteDto(row) });
  });
  return row;
}

/** Book a slot. With an application, its commodity decides the green channel; an enterprise claims it only that way. */
export async function bookAppointment(ctx: AppContext, p: Principal, b: { siteId: string; slotStart: string; applicationId?: string; perishable?: boolean }): Promise<AppointmentRow> {
  const s = await siteById(ctx, b.siteId);
  const slot = slotOf(s, b.slotStart);
  let perishable = b.perishable ?? false;
  let enterpriseId = ownEnterpriseOf(p);
  if (b.applicationId) {
    const a = visibleTo(p, await ctx.store.db.selectFrom('inspection_applications').selectAll().where('id', '=', b.applicationId).executeTakeFirst(), 'inspection application', b.applicationId);
    perishable = !!JSON.parse(a.data).perishable; // the commodity decides, not the caller
    enterpriseId = a.enterprise_id;
  } else if (ownEnterpriseOf(p) !== null) perishable = false;
  const now = ctx.clock.now();
  const row: AppointmentRow = { id: newId('apt', now), site_id: s.id, slot_start: iso(slot.start), slot_end: iso(slot.end), perishable: perishable ? 1 : 0, state: 'booked', application_id: b.applicationId ?? null, enterprise_id: enterpriseId, rescheduled_to: null, rescheduled_from: null, version: 1, created_at: iso(now), updated_at: iso(now) };
  await ctx.change(async (trx, audit) => {
    await takePlace(trx, slot, perishable, now);
    await trx.insertInto('appointments').values(row).execute();
    await audit({ actor: actorOf(p), action: 'appointment.book', subject: row.id, after: apptDto(row) });
  });
  return row;
}

/** confirm / complete / no-show / cancel; a cancel or a no-show gives the place back. */
export async function appointmentAction(ctx: AppContext, p: Principal, id: string, action: AppointmentAction, reason: string | null) {
  return ctx.change(async (trx, audit) => {
    const a = visibleTo(p, await trx.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst(), 'appointment', id);
    const next = applyAction({ id: a.id, siteId: a.site_id, slotStart: Date.parse(a.slot_start), slotEnd: Date.parse(a.slot_end), perishable: !!a.perishable, state: a.state as any }, action, ctx.clock.now());
    const upd = await trx.updateTable('appointments').set({ state: next.state, version: a.version + 1, updated_at: ctx.nowIso() }).where('id', '=', a.id).where('version', '=', a.version).executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1) throw conflict('version_conflict', 'appointment changed concurrently; retry');
    if (next.state === 'cancelled' || next.state === 'no_show') await givePlace(trx, a);
    await audit({ actor: actorOf(p), action: `appointment.${action}`, subject: a.id, before: { state: a.state }, after: { state: next.state }, reason });
    return { ...a, state: next.state, version: a.version + 1 };
  });
}
