/**
 * The live demo's script, pure: where each demo truck starts on the route, how fast it drives and
 * which incidents it meets. Everything is in metres along the route and epoch milliseconds; the
 * adapter (live-demo.ts) turns a step into a JT/T 808 report from an emulated lock.
 *
 * The incidents are timed so that each reaches the alert queue 1–3 minutes after start-up with the
 * rules' real thresholds (settings table): a deviation confirmed like any other, a stop that
 * crosses 15 minutes, a tamper event, a coverage gap whose fixes arrive as a 0x0704 backfill, and
 * trucks reaching the Shenzhen Bay lane. They sit at fixed places on the route, so every later trip
 * of the same truck meets them again at the same place.
 */
import type { LockEventName } from '../devices/lock-events.ts';

/** Report interval of a moving lock, and of a lock parked waiting for an officer (its sleep interval). */
export const DEMO_REPORT_MS = 5_000;
export const DEMO_PARKED_REPORT_MS = 30_000;
/** How long a released truck stands at the lane, and at the destination before its unseal. */
export const LANE_DWELL_MS = 15_000;
export const DESTINATION_DWELL_MS = 60_000;
/** A lock keeps at most this many fixes while it cannot reach the platform. */
export const MAX_BUFFERED_FIXES = 2_000;

/** The places on the route the script needs, as along-route metres. */
export interface RouteMarks {
  lengthM: number;
  /** The Shenzhen Bay gate (the route's CN boundary control point). */
  gateM: number;
  /** Allowed stop zones (rest areas) the route passes, as along-route ranges. */
  stopZones: { fromM: number; toM: number }[];
}

export type Incident =
  /** Leaves the route sideways and comes back (45° ramps), peaking offsetM off the centre line (+ = left). */
  | { kind: 'deviation'; fromM: number; toM: number; offsetM: number }
  /** No coverage: the lock keeps its fixes and uploads them as a blind-area batch when coverage returns. */
  | { kind: 'dead_zone'; fromM: number; toM: number }
  /** Stands still for durationMs at atM, offsetM beside the centre line (the hard shoulder). */
  | { kind: 'stop'; atM: number; durationMs: number; offsetM: number }
  /** The lock reports an event when the truck passes atM. */
  | { kind: 'lock_event'; atM: number; event: LockEventName };

export type TruckRole = 'origin' | 'traffic' | 'at_lane' | 'gate_approach' | 'deviation' | 'long_stop' | 'dead_zone' | 'tamper' | 'arrival';

export interface TruckScript {
  /** Demo vehicle index (seed.ts vehicle i, driver i, lock i). */
  vehicle: number;
  role: TruckRole;
  /** Where the truck is at the very first start (m along the route). */
  startM: number;
  speedKmh: number;
  /** Met on every trip of this truck. */
  incidents: Incident[];
  /**
   * First start only: the stop at startM began this long before start-up. Its fixes were kept by
   * the lock and arrive as a blind-area batch on its first login, so the 15-minute rule warns
   * about a minute after start.
   */
  stoppedForMs?: number;
}

const LONG_STOP_MS = 16.5 * 60_000;
const LONG_STOP_BEFORE_START_MS = 14 * 60_000;

/** Moves `m` forward until it is at least `marginM` clear of every stop zone. */
export function clearOfStopZones(m: number, zones: RouteMarks['stopZones'], marginM = 1_000): number {
  for (let moved = true; moved;) {
    moved = false;
    for (const z of zones) if (m > z.fromM - marginM && m < z.toM + marginM) { m = z.toM + marginM; moved = true; }
  }
  return m;
}

/**
 * The twelve demo trucks (vehicles 2–13 of the seed; vehicles 0 and 1 keep the declarations the
 * seed leaves for an officer). Vehicles 2–5 carry the seed's sealed, in-transit, at-boundary and
 * handed-over trips; the others get trips of their own.
 */
export function demoScripts(m: RouteMarks): TruckScript[] {
  const g = m.gateM, hk = m.lengthM - m.gateM;
  const dev = clearOfStopZones(0.35 * g, m.stopZones), stop = clearOfStopZones(0.58 * g, m.stopZones), dead = clearOfStopZones(0.82 * g, m.stopZones);
  const tamper = g + 0.35 * hk;
  return [
    { vehicle: 2, role: 'origin', startM: 0, speedKmh: 75, incidents: [] },
    { vehicle: 3, role: 'traffic', startM: 0.105 * g, speedKmh: 85, incidents: [] },
    { vehicle: 4, role: 'at_lane', startM: g, speedKmh: 60, incidents: [] },
    { vehicle: 5, role: 'traffic', startM: g + 0.6 * hk, speedKmh: 70, incidents: [] },
    { vehicle: 6, role: 'gate_approach', startM: g - 1_500, speedKmh: 60, incidents: [] },
    { vehicle: 7, role: 'deviation', startM: dev, speedKmh: 80, incidents: [{ kind: 'deviation', fromM: dev + 300, toM: dev + 3_300, offsetM: 1_000 }] },
    { vehicle: 8, role: 'long_stop', startM: stop, speedKmh: 80, incidents: [{ kind: 'stop', atM: stop, durationMs: LONG_STOP_MS, offsetM: -20 }], stoppedForMs: LONG_STOP_BEFORE_START_MS },
    {
      vehicle: 9, role: 'dead_zone', startM: dead, speedKmh: 90,
      incidents: [{ kind: 'dead_zone', fromM: dead + 250, toM: dead + 2_650 }, { kind: 'deviation', fromM: dead + 450, toM: dead + 2_450, offsetM: -800 }],
    },
    { vehicle: 10, role: 'tamper', startM: tamper, speedKmh: 80, incidents: [{ kind: 'lock_event', atM: tamper + 900, event: 'shell_tamper' }] },
    { vehicle: 11, role: 'arrival', startM: m.lengthM - 2_900, speedKmh: 70, incidents: [] },
    { vehicle: 12, role: 'traffic', startM: 0.21 * g, speedKmh: 88, incidents: [] },
    { vehicle: 13, role: 'traffic', startM: 0.74 * g, speedKmh: 78, incidents: [] },
  ];
}

/** Lateral offset (m, + = left) at alongM: the sum of the deviations there, each ramping in and out at 45°. */
export function lateralAt(incidents: readonly Incident[], alongM: number): number {
  let off = 0;
  for (const d of incidents) {
    if (d.kind !== 'deviation' || alongM <= d.fromM || alongM >= d.toM) continue;
    const ramp = Math.abs(d.offsetM) || 1;
    off += d.offsetM * Math.min(1, (alongM - d.fromM) / ramp, (d.toM - alongM) / ramp);
  }
  return off;
}

export const inDeadZone = (incidents: readonly Incident[], alongM: number) =>
  incidents.some((z) => z.kind === 'dead_zone' && alongM >= z.fromM && alongM <= z.toM);

/** Where a truck is between two steps. */
export interface Motion {
  alongM: number;
  /** Standing still until then (epoch ms), −1 when driving. */
  stoppedUntil: number;
  /** Lateral offset while standing (the stop's). */
  stopOffsetM: number;
}

export interface Step {
  alongM: number;
  offsetM: number;
  speedKmh: number;
  /** The lock has coverage here. */
  online: boolean;
  /** Lock events of the stretch just driven. */
  events: LockEventName[];
}

/**
 * Advances a truck by dtMs at time `now`: it drives at its speed towards holdAtM (the lane or the
 * end of the route, where it waits), stops where a stop incident is, and reports the lock events
 * of the stretch it passed. The stretch is (from, to]: a truck resumed exactly at an incident does
 * not meet it twice.
 */
export function step(s: TruckScript, mo: Motion, now: number, dtMs: number, holdAtM: number): { motion: Motion; step: Step } {
  if (mo.stoppedUntil > now || mo.alongM >= holdAtM) {
    const motion = mo.stoppedUntil > now ? mo : { ...mo, stoppedUntil: -1 };
    const offsetM = mo.stoppedUntil > now ? mo.stopOffsetM : lateralAt(s.incidents, mo.alongM);
    return { motion, step: { alongM: mo.alongM, offsetM, speedKmh: 0, online: !inDeadZone(s.incidents, mo.alongM), events: [] } };
  }
  const from = mo.alongM;
  let to = Math.min(holdAtM, from + (s.speedKmh / 3.6) * (dtMs / 1000));
  let motion: Motion = { alongM: to, stoppedUntil: -1, stopOffsetM: 0 };
  const stop = s.incidents.find((i): i is Extract<Incident, { kind: 'stop' }> => i.kind === 'stop' && i.atM > from && i.atM <= to);
  if (stop) {
    to = stop.atM;
    motion = { alongM: to, stoppedUntil: now + stop.durationMs, stopOffsetM: stop.offsetM };
  }
  const events = s.incidents.flatMap((i) => (i.kind === 'lock_event' && i.atM > from && i.atM <= to ? [i.event] : []));
  const speedKmh = stop ? 0 : Math.round(((to - from) / (dtMs / 1000)) * 3.6);
  return { motion, step: { alongM: to, offsetM: stop ? stop.offsetM : lateralAt(s.incidents, to), speedKmh, online: !inDeadZone(s.incidents, to), events } };
}

/** The motion at the very first start: at startM, already standing if the script says the stop began earlier. */
export function firstMotion(s: TruckScript, now: number): Motion {
  const stop = s.incidents.find((i): i is Extract<Incident, { kind: 'stop' }> => i.kind === 'stop' && i.atM === s.startM);
  if (stop && s.stoppedForMs) return { alongM: s.startM, stoppedUntil: now + stop.durationMs - s.stoppedForMs, stopOffsetM: stop.offsetM };
  return { alongM: s.startM, stoppedUntil: -1, stopOffsetM: 0 };
}

/** Fix times the lock kept while standing before start-up: one per parked interval, oldest first, all before `now`. */
export function fixTimesBefore(now: number, forMs: number, everyMs = DEMO_PARKED_REPORT_MS): number[] {
  const out: number[] = [];
  for (let t = now - forMs; t < now; t += everyMs) out.push(t);
  return out;
}

/**
 * Closed trips of one truck to delete when it starts a new one: all but the newest `keep`, so a
 * demo running for days holds a bounded number of trips and positions per truck. Trips with an
 * inspection are kept (they may hold uploaded images an officer wants).
 */
export function tripsToPrune(closed: readonly { id: string; createdAt: string; inspected: boolean }[], keep = 1): string[] {
  return [...closed].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).slice(keep).filter((t) => !t.inspected).map((t) => t.id);
}
