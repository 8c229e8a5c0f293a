/**
 * Inspection appointments (预约): 7×24 slots per inspection site with a capacity, and a green channel
 * for perishables — a reserved share of each slot's capacity that only perishables may use, and
 * perishables may book a slot that has already started (no lead time). Pure arithmetic and a state table.
 */
import { parseInstant } from '../platform/dates.ts';
import { AppError, conflict } from '../platform/errors.ts';

export interface InspectionSite {
  id: string;
  capacityPerSlot: number; // inspections per slot
  slotMinutes: number; // must divide 1440; 60 → 24 slots a day
  /** Share (0..1) of each slot's capacity held for perishables (green channel). */
  perishableReserve: number;
  /** Minimum minutes between booking and slot start for non-perishables (perishables: 0, may join a running slot). */
  minLeadMinutes: number;
  utcOffsetMinutes: number; // site local time; Quanzhou = 480
}

export interface Slot {
  siteId: string;
  start: number; // epoch ms
  end: number; // epoch ms (exclusive)
  capacity: number;
  reservedForPerishable: number;
  minLeadMinutes: number;
}

/** Active bookings already in a slot. */
export interface SlotLoad {
  total: number;
  perishable: number;
}

export type AppointmentState = 'booked' | 'confirmed' | 'done' | 'rescheduled' | 'no_show' | 'cancelled';
export type AppointmentAction = 'confirm' | 'complete' | 'reschedule' | 'no_show' | 'cancel';

export interface Appointment {
  id: string;
  siteId: string;
  slotStart: number;
  slotEnd: number;
  perishable: boolean;
  state: AppointmentState;
  applicationId?: string;
  rescheduledTo?: string;
  rescheduledFrom?: string;
}

export type BookingRefusal = 'slot_full' | 'general_capacity_full' | 'slot_past' | 'lead_time';

const MIN = 60_000;
const DAY = 1440 * MIN;

export function checkSite(site: InspectionSite): InspectionSite {
  if (!Number.isInteger(site.slotMinutes) || site.slotMinutes <= 0 || 1440 % site.slotMinutes !== 0) {
    throw new AppError(400, 'invalid_site', 'slotMinutes must divide 1440');
  }
  if (!Number.isInteger(site.capacityPerSlot) || site.capacityPerSlot < 1) throw new AppError(400, 'invalid_site', 'capacityPerSlot must be ≥ 1');
  if (!(site.perishableReserve >= 0 && site.perishableReserve <= 1)) throw new AppError(400, 'invalid_site', 'perishableReserve must be within 0..1');
  return site;
}

/** Places of a slot held for perishables: ceil(capacity × share), never the whole slot unless share = 1. */
export function reservedPlaces(capacity: number, share: number): number {
  if (share <= 0) return 0;
  if (share >= 1) return capacity;
  return Math.min(capacity - 1, Math.ceil(capacity * share));
}

/** All slots of a local calendar day ('YYYY-MM-DD' in the site's time zone), round the clock. */
export function slotsFor(site: InspectionSite, day: string): Slot[] {
  checkSite(site);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || parseInstant(`${day}T00:00:00Z`) === null) throw new AppError(400, 'invalid_day', `day ${day} must be a calendar date, YYYY-MM-DD`);
  const dayStart = Date.parse(`${day}T00:00:00Z`) - site.utcOffsetMinutes * MIN;
  const len = site.slotMinutes * MIN;
  const reserved = reservedPlaces(site.capacityPerSlot, site.perishableReserve);
  const out: Slot[] = [];
  for (let t = dayStart; t < dayStart + DAY; t += len) {
    out.push({ siteId: site.id, start: t, end: t + len, capacity: site.capacityPerSlot, reservedForPerishable: reserved, minLeadMinutes: site.minLeadMinutes });
  }
  return out;
}

/** The slot containing instant `t`. */
export function slotAt(site: InspectionSite, t: number): Slot {
  checkSite(site);
  const len = site.slotMinutes * MIN;
  const local = t + site.utcOffsetMinutes * MIN;
  const start = Math.floor(local / len) * len - site.utcOffsetMinutes * MIN;
  return { siteId: site.id, start, end: start + len, capacity: site.capacityPerSlot, reservedForPerishable: reservedPlaces(site.capacityPerSlot, site.perishableReserve), minLeadMinutes: site.minLeadMinutes };
}

/** Active (capacity-holding) bookings of a slot from a list of appointments. */
export function loadOf(slot: Slot, appointments: Appointment[]): SlotLoad {
  let total = 0;
  let perishable = 0;
  for (const a of appointments) {
    if (a.siteId !== slot.siteId || a.slotStart !== slot.start) continue;
    if (a.state !== 'booked' && a.state !== 'confirmed') continue;
    total++;
    if (a.perishable) perishable++;
  }
  return { total, perishable };
}

/**
 * Can one more booking go into `slot`? Perishables may use any free place (including the reserved share)
 * and may join a slot until it ends; others may use only the general share and must book `minLeadMinutes` ahead.
 * Perishables beyond the reserved share count against the general share.
 */
export function canBook(slot: Slot, booked: SlotLoad, perishable: boolean, now?: number): { ok: true } | { ok: false; code: BookingRefusal } {
  if (now !== undefined) {
    if (now >= slot.end) return { ok: false, code: 'slot_past' };
    if (!perishable && now + slot.minLeadMinutes * MIN > slot.start) return { ok: false, code: 'lead_time' };
  }
  if (booked.total >= slot.capacity) return { ok: false, code: 'slot_full' };
  if (!perishable) {
    const general = slot.capacity - slot.reservedForPerishable;
    const inReserve = Math.min(booked.perishable, slot.reservedForPerishable);
    if (booked.total - inReserve >= general) return { ok: false, code: 'general_capacity_full' };
  }
  return { ok: true };
}

/** Earliest bookable slot from `now` within `horizonDays` (green channel: perishables usually get an earlier one). */
export function earliestSlot(
  site: InspectionSite,
  now: number,
  loadFor: (slot: Slot) => SlotLoad,
  perishable: boolean,
  horizonDays = 7,
): Slot | undefined {
  const len = site.slotMinutes * MIN;
  let s = slotAt(site, now);
  const limit = now + horizonDays * DAY;
  while (s.start < limit) {
    if (canBook(s, loadFor(s), perishable, now).ok) return s;
    s = { ...s, start: s.start + len, end: s.end + len };
  }
  return undefined;
}

/** Transition table: state → action → next state. done, rescheduled, no_show and cancelled are final. */
export const APPOINTMENT_TRANSITIONS: Readonly<Record<AppointmentState, Partial<Record<AppointmentAction, AppointmentState>>>> = {
  booked: { confirm: 'confirmed', reschedule: 'rescheduled', cancel: 'cancelled', no_show: 'no_show' },
  confirmed: { complete: 'done', reschedule: 'rescheduled', cancel: 'cancelled', no_show: 'no_show' },
  done: {},
  rescheduled: {},
  no_show: {},
  cancelled: {},
};

export function nextState(state: AppointmentState, action: AppointmentAction): AppointmentState {
  const to = APPOINTMENT_TRANSITIONS[state]?.[action];
  if (!to) throw conflict('invalid_transition', `appointment cannot ${action} when ${state}`, { state, action });
  return to;
}

/**
 * Apply an action with its time guards: `complete` and `no_show` only once the slot has started;
 * `cancel`, `confirm` and `reschedule` only before the slot ends.
 */
export function applyAction(appt: Appointment, action: AppointmentAction, now: number): Appointment {
  const to = nextState(appt.state, action);
  if ((action === 'complete' || action === 'no_show') && now < appt.slotStart) {
    throw conflict('too_early', `cannot ${action} before the slot starts`);
  }
  if ((action === 'cancel' || action === 'confirm' || action === 'reschedule') && now >= appt.slotEnd) {
    throw conflict('slot_over', `cannot ${action} after the slot has ended`);
  }
  return { ...appt, state: to };
}

/** Book into `slot` (throws 409 with the refusal code). */
export function book(
  id: string,
  slot: Slot,
  booked: SlotLoad,
  perishable: boolean,
  now: number,
  applicationId?: string,
): Appointment {
  const r = canBook(slot, booked, perishable, now);
  if (!r.ok) throw conflict(r.code, `slot ${new Date(slot.start).toISOString()} at ${slot.siteId} refused: ${r.code}`);
  return { id, siteId: slot.siteId, slotStart: slot.start, slotEnd: slot.end, perishable, state: 'booked', applicationId };
}

/** Reschedule: the old appointment becomes `rescheduled` and links to a new `booked` one in `newSlot`. */
export function reschedule(
  appt: Appointment,
  newId: string,
  newSlot: Slot,
  newSlotLoad: SlotLoad,
  now: number,
): { old: Appointment; next: Appointment } {
  const old = applyAction(appt, 'reschedule', now);
  const next = book(newId, newSlot, newSlotLoad, appt.perishable, now, appt.applicationId);
  return { old: { ...old, rescheduledTo: newId }, next: { ...next, rescheduledFrom: appt.id } };
}
