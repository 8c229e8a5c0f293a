/**
 * Inspection sites and appointments (预约): 7×24 slots with a capacity, a green-channel share for
 * perishables. A booking takes a place with one guarded UPDATE on the slot's counter row, so concurrent
 * requests can never over-fill a slot on either database; cancel, no-show and reschedule give it back.
 */
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { RouteModule } from '../../platform/http/app.ts';
import type { Trx } from '../../platform/context.ts';
import { PageQuery, pageOf, Page } from '../../platform/http/pagination.ts';
import { ownEnterprise } from '../../platform/http/auth-hooks.ts';
import { actorOf } from '../../platform/auth/principal.ts';
import { conflict, invalidField, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { AppointmentRow, InspectionSiteRow } from '../tables.ts';
import { applyAction, canBook, checkSite, slotAt, slotsFor, type AppointmentAction, type InspectionSite, type Slot } from '../appointments.ts';
import { errs, Id, READERS, STAFF, visible, j } from './common.ts';

const tags = ['appointments'];
const siteOf = (r: InspectionSiteRow): InspectionSite => ({ id: r.id, capacityPerSlot: r.capacity_per_slot, slotMinutes: r.slot_minutes, perishableReserve: r.perishable_reserve, minLeadMinutes: r.min_lead_minutes, utcOffsetMinutes: r.utc_offset_minutes });
const siteDto = (r: InspectionSiteRow) => ({ id: r.id, name: r.name, office: r.office, capacityPerSlot: r.capacity_per_slot, slotMinutes: r.slot_minutes, perishableReserve: r.perishable_reserve, minLeadMinutes: r.min_lead_minutes, utcOffsetMinutes: r.utc_offset_minutes, version: r.version });
const apptDto = (r: AppointmentRow) => ({ id: r.id, siteId: r.site_id, slotStart: r.slot_start, slotEnd: r.slot_end, perishable: !!r.perishable, state: r.state, applicationId: r.application_id, enterpriseId: r.enterprise_id, rescheduledTo: r.rescheduled_to, rescheduledFrom: r.rescheduled_from, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at });
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Take one place in `slot` inside `trx`. The WHERE clause is canBook() in SQL: total below capacity, and
 * for non-perishables the general share (capacity minus the perishable reserve, counting only the
 * perishables that sit inside the reserve) not yet used. No row updated = full.
 */
async function takePlace(trx: Trx, slot: Slot, perishable: boolean, now: number) {
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

async function givePlace(trx: Trx, a: AppointmentRow) {
  await trx.updateTable('slot_loads').set({ total: sql`total - 1`, perishable: sql`perishable - ${a.perishable}` })
    .where('site_id', '=', a.site_id).where('slot_start', '=', a.slot_start).where('total', '>', 0).execute();
}

export const appointmentRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  const site = async (id: string) => {
    const s = await db.selectFrom('inspection_sites').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s) throw notFound('inspection site', id);
    return s;
  };
  const slotOf = (s: InspectionSiteRow, startIso: string) => {
    const t = Date.parse(startIso);
    if (Number.isNaN(t)) throw invalidField('slotStart', 'must be an ISO 8601 date-time');
    const slot = slotAt(siteOf(s), t);
    if (slot.start !== t) throw invalidField('slotStart', `must be the start of a slot (${slot.start < t ? iso(slot.start) : ''})`, 'not_a_slot_start');
    return slot;
  };

  app.get('/api/v1/inspection-sites', {
    config: { roles: READERS },
    schema: { tags, summary: 'Inspection sites', querystring: Type.Object({ ...PageQuery }), response: { 200: Page(Type.Any()) } },
  }, async (req) => pageOf(db.selectFrom('inspection_sites').selectAll(), 'id', req.query, ctx.settings.pageLimitMax).run(siteDto));

  app.post('/api/v1/inspection-sites', {
    config: { roles: ['supervisor'] },
    schema: {
      tags, summary: 'Add an inspection site',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), office: Type.String({ pattern: '^[A-Z0-9]+(-[A-Z0-9]+)*$' }), capacityPerSlot: Type.Integer({ minimum: 1, maximum: 1000 }), slotMinutes: Type.Optional(Type.Integer({ minimum: 5 })), perishableReserve: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })), minLeadMinutes: Type.Optional(Type.Integer({ minimum: 0 })), utcOffsetMinutes: Type.Optional(Type.Integer({ minimum: -720, maximum: 840 })) }, { additionalProperties: false }),
      response: { 201: Type.Any(), ...errs },
    },
  }, async (req, reply) => {
    const b = req.body;
    const now = ctx.nowIso();
    const row: InspectionSiteRow = { id: newId('ist', ctx.clock.now()), name: b.name, office: b.office, capacity_per_slot: b.capacityPerSlot, slot_minutes: b.slotMinutes ?? 60, perishable_reserve: b.perishableReserve ?? 0.25, min_lead_minutes: b.minLeadMinutes ?? 60, utc_offset_minutes: b.utcOffsetMinutes ?? 480, version: 1, created_at: now, updated_at: now };
    checkSite(siteOf(row));
    await ctx.change(async (trx, audit) => {
      if (await trx.selectFrom('inspection_sites').select('id').where('name', '=', b.name).executeTakeFirst()) throw conflict('duplicate_name', `site ${b.name} exists`);
      await trx.insertInto('inspection_sites').values(row).execute();
      await audit({ actor: actorOf(req.principal), action: 'inspection_site.create', subject: row.id, after: siteDto(row) });
    });
    reply.status(201);
    return siteDto(row);
  });

  app.get('/api/v1/inspection-sites/:id/slots', {
    config: { roles: READERS },
    schema: { tags, summary: 'The day\'s 7×24 slots with their load (day in the site\'s local time)', params: Id, querystring: Type.Object({ day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) }), response: { 200: Type.Any(), ...errs } },
  }, async (req) => {
    const s = await site(req.params.id);
    const slots = slotsFor(siteOf(s), req.query.day);
    const loads = await db.selectFrom('slot_loads').selectAll().where('site_id', '=', s.id).where('slot_start', '>=', iso(slots[0].start)).where('slot_start', '<=', iso(slots.at(-1)!.start)).execute();
    const by = new Map(loads.map((l) => [l.slot_start, l]));
    const now = ctx.clock.now();
    return {
      items: slots.map((sl) => {
        const l = by.get(iso(sl.start)) ?? { total: 0, perishable: 0 };
        return { start: iso(sl.start), end: iso(sl.end), capacity: sl.capacity, reservedForPerishable: sl.reservedForPerishable, booked: l.total, bookedPerishable: l.perishable, openForGeneral: canBook(sl, l, false, now).ok, openForPerishable: canBook(sl, l, true, now).ok };
      }),
    };
  });

  app.get('/api/v1/appointments', {
    config: { roles: READERS },
    schema: { tags, summary: 'Appointments (an enterprise sees its own)', querystring: Type.Object({ ...PageQuery, siteId: Type.Optional(Type.String()), state: Type.Optional(Type.String()) }), response: { 200: Page(Type.Any()) } },
  }, async (req) => {
    let q = db.selectFrom('appointments').selectAll();
    const own = ownEnterprise(req);
    if (own !== null) q = q.where('enterprise_id', '=', own);
    if (req.query.siteId) q = q.where('site_id', '=', req.query.siteId);
    if (req.query.state) q = q.where('state', '=', req.query.state);
    return pageOf(q, 'id', req.query, ctx.settings.pageLimitMax).run(apptDto);
  });

  app.post('/api/v1/appointments', {
    config: { roles: READERS },
    schema: {
      tags, summary: 'Book a slot (409 slot_full / general_capacity_full / lead_time / slot_past). Perishable goods (from the application\'s commodity) use the green channel',
      body: Type.Object({ siteId: Type.String(), slotStart: Type.String(), applicationId: Type.Optional(Type.String()), perishable: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 201: Type.Any(), ...errs },
    },
  }, async (req, reply) => {
    const s = await site(req.body.siteId);
    const slot = slotOf(s, req.body.slotStart);
    let perishable = req.body.perishable ?? false;
    let enterpriseId = ownEnterprise(req);
    if (req.body.applicationId) {
      const a = visible(req, await db.selectFrom('inspection_applications').selectAll().where('id', '=', req.body.applicationId).executeTakeFirst(), 'inspection application', req.body.applicationId);
      perishable = !!j(a.data).perishable; // the commodity decides, not the caller
      enterpriseId = a.enterprise_id;
    } else if (ownEnterprise(req) !== null) perishable = false; // an enterprise claims the green channel only through an application
    const now = ctx.clock.now();
    const row: AppointmentRow = { id: newId('apt', now), site_id: s.id, slot_start: iso(slot.start), slot_end: iso(slot.end), perishable: perishable ? 1 : 0, state: 'booked', application_id: req.body.applicationId ?? null, enterprise_id: enterpriseId, rescheduled_to: null, rescheduled_from: null, version: 1, created_at: iso(now), updated_at: iso(now) };
    await ctx.change(async (trx, audit) => {
      await takePlace(trx, slot, perishable, now);
      await trx.insertInto('appointments').values(row).execute();
      await audit({ actor: actorOf(req.principal), action: 'appointment.book', subject: row.id, after: apptDto(row) });
    });
    reply.status(201);
    return apptDto(row);
  });

  const actions: Array<[string, AppointmentAction, readonly ('enterprise' | 'officer' | 'supervisor')[]]> = [
    ['confirm', 'confirm', STAFF], ['complete', 'complete', STAFF], ['no-show', 'no_show', STAFF], ['cancel', 'cancel', READERS],
  ];
  for (const [path, action, roles] of actions) {
    app.post(`/api/v1/appointments/:id/${path}`, {
      config: { roles },
      schema: { tags, summary: `${action} an appointment`, params: Id, body: Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false })), response: { 200: Type.Any(), ...errs } },
    }, async (req) => ctx.change(async (trx, audit) => {
      const a = visible(req, await trx.selectFrom('appointments').selectAll().where('id', '=', req.params.id).executeTakeFirst(), 'appointment', req.params.id);
      const next = applyAction({ id: a.id, siteId: a.site_id, slotStart: Date.parse(a.slot_start), slotEnd: Date.parse(a.slot_end), perishable: !!a.perishable, state: a.state as any }, action, ctx.clock.now());
      const upd = await trx.updateTable('appointments').set({ state: next.state, version: a.version + 1, updated_at: ctx.nowIso() }).where('id', '=', a.id).where('version', '=', a.version).executeTakeFirst();
      if (Number(upd.numUpdatedRows) !== 1) throw conflict('version_conflict', 'appointment changed concurrently; retry');
      if (next.state === 'cancelled' || next.state === 'no_show') await givePlace(trx, a);
      await audit({ actor: actorOf(req.principal), action: `appointment.${action}`, subject: a.id, before: { state: a.state }, after: { state: next.state }, reason: (req.body as any)?.reason ?? null });
      return apptDto({ ...a, state: next.state, version: a.version + 1 });
    }));
  }

  app.post('/api/v1/appointments/:id/reschedule', {
    config: { roles: READERS },
    schema: { tags, summary: 'Move to another slot: the old appointment becomes rescheduled and links to the new one', params: Id, body: Type.Object({ slotStart: Type.String() }, { additionalProperties: false }), response: { 201: Type.Any(), ...errs } },
  }, async (req, reply) => {
    const cur = visible(req, await db.selectFrom('appointments').selectAll().where('id', '=', req.params.id).executeTakeFirst(), 'appointment', req.params.id);
    const slot = slotOf(await site(cur.site_id), req.body.slotStart);
    const now = ctx.clock.now();
    const res = await ctx.change(async (trx, audit) => {
      const a = (await trx.selectFrom('appointments').selectAll().where('id', '=', cur.id).executeTakeFirstOrThrow());
      applyAction({ id: a.id, siteId: a.site_id, slotStart: Date.parse(a.slot_start), slotEnd: Date.parse(a.slot_end), perishable: !!a.perishable, state: a.state as any }, 'reschedule', now);
      await takePlace(trx, slot, !!a.perishable, now);
      const next: AppointmentRow = { ...a, id: newId('apt', now), slot_start: iso(slot.start), slot_end: iso(slot.end), state: 'booked', rescheduled_from: a.id, rescheduled_to: null, version: 1, created_at: iso(now), updated_at: iso(now) };
      await trx.insertInto('appointments').values(next).execute();
      const upd = await trx.updateTable('appointments').set({ state: 'rescheduled', rescheduled_to: next.id, version: a.version + 1, updated_at: iso(now) }).where('id', '=', a.id).where('version', '=', a.version).executeTakeFirst();
      if (Number(upd.numUpdatedRows) !== 1) throw conflict('version_conflict', 'appointment changed concurrently; retry');
      await givePlace(trx, a);
      await audit({ actor: actorOf(req.principal), action: 'appointment.reschedule', subject: a.id, before: { slotStart: a.slot_start }, after: { id: next.id, slotStart: next.slot_start } });
      return { old: apptDto({ ...a, state: 'rescheduled', rescheduled_to: next.id, version: a.version + 1 }), next: apptDto(next) };
    });
    reply.status(201);
    return res;
  });
};
