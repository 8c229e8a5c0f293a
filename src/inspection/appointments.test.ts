import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  slotsFor, canBook, earliestSlot, loadOf, book, applyAction, nextState, reschedule, slotAt,
  APPOINTMENT_TRANSITIONS, type InspectionSite, type Appointment, type Slot,
} from './appointments.ts';

const site: InspectionSite = { id: 'QZ-YC', capacityPerSlot: 4, slotMinutes: 60, perishableReserve: 0.25, minLeadMinutes: 120, utcOffsetMinutes: 480 };
const NOW = Date.parse('2026-01-20T00:10:00+08:00');

test('slots: 24 one-hour slots round the clock in site local time', () => {
  const s = slotsFor(site, '2026-01-20');
  assert.equal(s.length, 24);
  assert.equal(new Date(s[0].start).toISOString(), '2026-01-19T16:00:00.000Z');
  assert.equal(s[23].end, Date.parse('2026-01-21T00:00:00+08:00'));
  assert.equal(s[0].reservedForPerishable, 1);
  assert.equal(slotsFor({ ...site, slotMinutes: 30 }, '2026-01-20').length, 48);
  assert.deepEqual(slotAt(site, NOW).start, s[0].start);
  assert.throws(() => slotsFor({ ...site, slotMinutes: 7 }, '2026-01-20'), (e) => (e as { code: string }).code === 'invalid_site');
  for (const day of ['2026-02-30', '2026-13-01', '20260120']) assert.throws(() => slotsFor(site, day), (e) => (e as { code: string }).code === 'invalid_day', day);
});

test('capacity: the reserved share is for perishables only; nobody exceeds capacity', () => {
  const slot = slotsFor(site, '2026-01-21')[10];
  assert.deepEqual(canBook(slot, { total: 2, perishable: 0 }, false, NOW), { ok: true });
  assert.deepEqual(canBook(slot, { total: 3, perishable: 0 }, false, NOW), { ok: false, code: 'general_capacity_full' });
  assert.deepEqual(canBook(slot, { total: 3, perishable: 0 }, true, NOW), { ok: true });
  assert.deepEqual(canBook(slot, { total: 3, perishable: 1 }, false, NOW), { ok: true }, 'a perishable in the reserve does not use general places');
  assert.deepEqual(canBook(slot, { total: 4, perishable: 4 }, true, NOW), { ok: false, code: 'slot_full' });
  assert.deepEqual(canBook(slot, { total: 3, perishable: 3 }, false, NOW), { ok: true }, 'two perishables spill into general places, one general place is left');
  assert.deepEqual(canBook(slot, { total: 3, perishable: 0 }, false, slot.start - 3 * 3_600_000), { ok: false, code: 'general_capacity_full' });
});

test('green channel: perishables may join the running slot; others need the lead time', () => {
  const running = slotAt(site, NOW);
  assert.deepEqual(canBook(running, { total: 0, perishable: 0 }, true, NOW), { ok: true });
  assert.deepEqual(canBook(running, { total: 0, perishable: 0 }, false, NOW), { ok: false, code: 'lead_time' });
  assert.deepEqual(canBook(running, { total: 0, perishable: 0 }, true, running.end), { ok: false, code: 'slot_past' });
  // Every general place of the next 6 hours is taken; perishables still get the current slot.
  const appts: Appointment[] = [];
  for (let i = 0; i < 6; i++) {
    const s = slotAt(site, NOW + i * 3_600_000);
    for (let k = 0; k < 3; k++) appts.push({ id: `a${i}${k}`, siteId: site.id, slotStart: s.start, slotEnd: s.end, perishable: false, state: 'booked' });
  }
  const load = (s: Slot) => loadOf(s, appts);
  const p = earliestSlot(site, NOW, load, true)!;
  const g = earliestSlot(site, NOW, load, false)!;
  assert.equal(p.start, running.start);
  assert.equal(g.start, running.start + 6 * 3_600_000);
  assert.ok(p.start < g.start);
});

test('appointment transitions: booked → confirmed → done; reschedule links; final states refuse', () => {
  const slot = slotsFor(site, '2026-01-21')[9];
  const a = book('A1', slot, { total: 0, perishable: 0 }, true, NOW, 'APP-1');
  assert.equal(a.state, 'booked');
  const c = applyAction(a, 'confirm', NOW);
  assert.equal(c.state, 'confirmed');
  assert.throws(() => applyAction(c, 'complete', NOW), (e) => (e as { code: string }).code === 'too_early');
  assert.equal(applyAction(c, 'complete', slot.start + 1).state, 'done');
  assert.equal(applyAction(c, 'no_show', slot.start + 1).state, 'no_show');
  assert.throws(() => nextState('done', 'cancel'), (e) => (e as { code: string }).code === 'invalid_transition');
  assert.throws(() => nextState('booked', 'complete'), (e) => (e as { code: string }).code === 'invalid_transition');
  for (const s of ['done', 'rescheduled', 'no_show', 'cancelled'] as const) assert.deepEqual(APPOINTMENT_TRANSITIONS[s], {});
  const later = slotsFor(site, '2026-01-21')[14];
  const { old, next } = reschedule(c, 'A2', later, { total: 0, perishable: 0 }, NOW);
  assert.deepEqual([old.state, old.rescheduledTo, next.state, next.rescheduledFrom, next.applicationId], ['rescheduled', 'A2', 'booked', 'A1', 'APP-1']);
  assert.throws(() => book('A3', later, { total: 4, perishable: 0 }, true, NOW), (e) => (e as { code: string }).code === 'slot_full');
});
