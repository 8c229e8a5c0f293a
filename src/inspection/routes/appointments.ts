/**
 * Inspection sites and appointments (预约): 7×24 slots with a capacity, a green-channel share for
 * perishables. A booking takes a place with one guarded UPDATE on the slot's counter row, so concurrent
 * requests can never over-fill a slot on either database; cancel, no-show and reschedule give it back.
 */
import { Type } from 'typebox';
import type { RouteModule } from '../../platform/http/app.ts';
import { PageQuery, pageOf, Page } from '../../platform/http/pagination.ts';
import { ownEnterprise } from '../../platform/http/auth-hooks.ts';
import { actorOf, type Principal } from '../../platform/auth/principal.ts';
import { conflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { AppointmentRow } from '../tables.ts';
import { applyAction, canBook, slotsFor, type AppointmentAction } from '../appointments.ts';
import { apptDto, appointmentAction, bookAppointment, createSite, givePlace, iso, siteById, siteDto, siteOf, slotOf, takePlace } from '../appointment-service.ts';
import { errs, Id, READERS, STAFF, visible, j } from './common.ts';

const tags = ['appointments'];

export const appointmentRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  const site = (id: string) => siteById(ctx, id);

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
    const row = await createSite(ctx, req.principal as Principal, req.body);
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
    const row = await bookAppointment(ctx, req.principal as Principal, req.body);
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
    }, async (req) => apptDto(await appointmentAction(ctx, req.principal as Principal, req.params.id, action, (req.body as { reason?: string } | undefined)?.reason ?? null)));
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
