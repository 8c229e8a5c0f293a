/**
 * The live demo `npm start` runs after the server listens: twelve demo trucks, each with an emulated
 * customs e-lock that logs in to the JT/T 808 gateway over real TCP with its registered auth code,
 * drive the seed route on trips sealed through the normal lifecycle, and meet the scripted incidents
 * of scenario.ts. The platform is not told anything else: alerts, milestones and lifecycle moves
 * come from its own rules on the reports it stores, gate decisions from its own gate API, called
 * over HTTP with the demo gate key as a lane controller would.
 *
 * A truck that reaches the airport is unsealed and its trip closed by the scripted HK officer; it
 * then starts its next trip at Jinjiang, and its trips older than the previous one are pruned. On a
 * restart each truck resumes its open trip from the trip's latest stored position.
 *
 * Time comes from ctx.clock; `run()` steps every truck each report interval of real time, tests call
 * `tick()` themselves with a ManualClock.
 */
import type { AppContext } from '../platform/context.ts';
import { TRIP_CHANGED } from '../platform/db/position-writer.ts';
import { corridorFromGeoJSON, locate, pointAt, type CorridorIndex } from '../supervision/corridor.ts';
import { fenceFromPlace } from '../supervision/geofence.ts';
import { rng } from '../supervision/synthetic-track.ts';
import { SIDE_STATES, type TripState } from '../transit/lifecycle.ts';
import { EmulatedTerminal, type SimFix } from '../sim/terminal.ts';
import type { LockEventName } from '../devices/lock-events.ts';
import { placesAndRoute } from './geodata.ts';
import { demoGoods } from './seed.ts';
import {
  DEMO_PARKED_REPORT_MS, DEMO_REPORT_MS, DESTINATION_DWELL_MS, LANE_DWELL_MS, MAX_BUFFERED_FIXES,
  demoScripts, firstMotion, fixTimesBefore, step, type Motion, type RouteMarks, type Step, type TruckScript,
} from './scenario.ts';
import {
  activeTripOf, bringPastBoundary, closeTrip, hasClosedTrip, loadFleet, pruneOldTrips, sealTrip, startTrip, unsealTrip,
  type DemoRoute, type FleetTruck,
} from './demo-trips.ts';
import { LaneController, demoGate } from './lane-controller.ts';

export interface LiveDemoOptions {
  /** The platform's own HTTP address, where the lane controller posts passages. */
  httpBase: string;
  jt808: { host: string; port: number };
  gateApiKey: string;
  reportMs?: number;
}

/** Trip states in which the gate can decide on a truck standing at the lane. */
const AT_LANE_STATES = ['in_transit', 'at_boundary', 'overdue'];
const released = (s: string) => s === 'handed_over' || s === 'arrived';
const LOGIN_TIMEOUT_MS = 5_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

class DemoTruck {
  trip: { id: string; state: string } | null = null;
  motion: Motion = { alongM: 0, stoppedUntil: -1, stopOffsetM: 0 };
  lastStepAt = -1;
  lastReportAt = -1;
  lon = 0;
  lat = 0;
  heading = 0;
  batteryPct = 95;
  /** Fixes kept while the lock cannot reach the platform, uploaded as 0x0704 when it can. */
  buffer: SimFix[] = [];
  /** Lock events met since the last report. */
  events: LockEventName[] = [];
  /** The passage being posted: a retry after a failed request sends the same ID, so the gate decides once. */
  passageId: string | null = null;
  passagePosted = false;
  releasedAt = -1;
  arrivedAt = -1;
  nextTripAt = -1;
  readonly terminal: EmulatedTerminal;
  readonly noise: () => number;
  constructor(readonly script: TruckScript, readonly fleet: FleetTruck, jt808: LiveDemoOptions['jt808']) {
    this.terminal = new EmulatedTerminal(fleet.terminalId, jt808);
    // a lock sealing a trip is not told its code by a registration: it logs in with the one it keeps
    this.terminal.authCode = fleet.authCode;
    this.noise = rng(fleet.index * 7919 + 1);
  }
  resetForTrip() {
    this.passageId = null; this.passagePosted = false; this.releasedAt = -1; this.arrivedAt = -1; this.batteryPct = 95;
  }
}

export class LiveDemo {
  private trucks: DemoTruck[] = [];
  private corridor!: CorridorIndex;
  private marks!: RouteMarks;
  private route!: DemoRoute;
  private lane: LaneController | null = null;
  private unsub: (() => void) | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private ticks = 0;
  readonly reportMs: number;
  readonly stats = { ticks: 0, reports: 0, buffered: 0, passages: 0, tripsStarted: 0, tripsClosed: 0, pruned: 0, errors: 0 };

  constructor(private ctx: AppContext, private o: LiveDemoOptions) {
    this.reportMs = o.reportMs ?? DEMO_REPORT_MS;
  }

  get truckCount() { return this.trucks.length; }

  /** Binds every demo truck to a trip (its open one, or a new one) and logs its lock in. */
  async start(): Promise<void> {
    const ctx = this.ctx, db = ctx.store.db;
    const seedName = placesAndRoute().route.name;
    const route = (await db.selectFrom('routes').selectAll().where('name', '=', seedName).executeTakeFirst())
      ?? (await db.selectFrom('routes').selectAll().orderBy('id').executeTakeFirst());
    if (!route) throw new Error('live demo: no route in the registry (seed the demo data first)');
    const placeIds: string[] = JSON.parse(route.place_ids);
    this.route = { id: route.id, originPlaceId: placeIds[0]!, destinationPlaceId: placeIds[placeIds.length - 1]!, timeLimitMin: route.time_limit_min };
    this.corridor = corridorFromGeoJSON(JSON.parse(route.geometry));
    const along = async (id: string) => {
      const p = await db.selectFrom('places').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const f = fenceFromPlace({ id: p.id, geometry: JSON.parse(p.geometry), radiusM: p.radius_m });
      const r = f.radiusM || Math.hypot(f.maxX - f.minX, f.maxY - f.minY) / 2;
      return { m: locate(this.corridor, f.cx / f.kx, f.cy / f.ky).alongM, r };
    };
    const boundary = placeIds.length >= 3 ? placeIds[1]! : placeIds[placeIds.length - 1]!;
    const stopZones = await Promise.all((JSON.parse(route.stop_zone_ids) as string[]).map(async (id) => { const a = await along(id); return { fromM: a.m - a.r, toM: a.m + a.r }; }));
    this.marks = { lengthM: this.corridor.lengthM, gateM: (await along(boundary)).m, stopZones };
    const gate = await demoGate(ctx, boundary);
    if (gate) this.lane = new LaneController(this.o.httpBase, gate, this.o.gateApiKey);
    else ctx.log.warn('live demo: no gate at the route boundary; trucks will wait at the boundary for an officer');

    const scripts = demoScripts(this.marks);
    const fleet = await loadFleet(ctx, scripts.map((s) => s.vehicle));
    const now = ctx.clock.now();
    for (const s of scripts) {
      const f = fleet.find((x) => x.index === s.vehicle);
      if (!f) { ctx.log.warn({ vehicle: s.vehicle }, 'live demo: demo vehicle, driver or lock missing; truck left out'); continue; }
      const t = new DemoTruck(s, f, this.o.jt808);
      try {
        await this.bind(t, now);
        this.trucks.push(t);
      } catch (e) {
        this.stats.errors++;
        ctx.log.warn({ err: e, plate: f.plateCn }, 'live demo: truck left out');
      }
    }
    this.unsub = ctx.bus.subscribe<{ tripId: string; state: string }>(TRIP_CHANGED, (m) => this.onTripChanged(m.tripId, m.state));
    await Promise.all(this.trucks.map((t) => this.login(t)));
    for (const t of this.trucks) if (t.buffer.length && t.terminal.authenticated) { t.terminal.uploadBacklog(t.buffer.splice(0)); }
  }

  /** Steps the trucks every report interval of real time until stop(). */
  run(): void {
    if (this.loop) return;
    this.loop = (async () => {
      while (!this.stopped) {
        const t0 = Date.now();
        await this.tick().catch((e) => { this.stats.errors++; this.ctx.log.error({ err: e }, 'live demo tick failed'); });
        const wait = this.reportMs - (Date.now() - t0);
        if (!this.stopped) await new Promise<void>((r) => { const h = setTimeout(r, Math.max(50, wait)); this.wake = () => { clearTimeout(h); r(); }; });
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.unsub?.();
    for (const t of this.trucks) t.terminal.drop();
  }

  /** One step of every truck at the platform clock's now; resolves when their reports are answered (or after 2 s). */
  async tick(): Promise<void> {
    const now = this.ctx.clock.now();
    if (++this.ticks % 12 === 0) await this.refreshStates();
    await Promise.all(this.trucks.map((t) => this.tickTruck(t, now).catch((e) => {
      this.stats.errors++;
      this.ctx.log.warn({ err: e, plate: t.fleet.plateCn, tripId: t.trip?.id }, 'live demo: truck step failed; retried on the next tick');
    })));
    this.stats.ticks++;
    const until = Date.now() + 2_000;
    while (Date.now() < until && this.trucks.some((t) => t.terminal.authenticated && t.terminal.unacked.size)) await new Promise((r) => setTimeout(r, 5));
  }

  /** What the start-up banner says about the demo. */
  describe(): string[] {
    const by = (role: string) => this.trucks.find((t) => t.script.role === role)?.fleet.plateCn ?? '-';
    return [
      `  live demo        ${this.trucks.length} emulated e-locks drive the route over JT/T 808 (turn off: --no-sim or ONELOCK_DEMO_SIM=false)`,
      `                   within ~3 min: deviation ${by('deviation')}, long stop ${by('long_stop')}, tamper ${by('tamper')},`,
      `                   dead zone + 0x0704 backfill ${by('dead_zone')}, Shenzhen Bay gate passages ${by('at_lane')} and ${by('gate_approach')}`,
    ];
  }

  // ---------------------------------------------------------------------------------------------

  private async bind(t: DemoTruck, now: number) {
    const ctx = this.ctx;
    let trip = await activeTripOf(ctx, t.fleet.vehicleId);
    const last = trip ? await ctx.store.db.selectFrom('positions').select(['lon', 'lat']).where('trip_id', '=', trip.id).orderBy('fix_time', 'desc').limit(1).executeTakeFirst() : undefined;
    const first = !last && !(await hasClosedTrip(ctx, t.fleet.vehicleId));
    if (!trip) { trip = await startTrip(ctx, t.fleet, this.route); this.stats.tripsStarted++; }
    if (trip.device_id && trip.device_id !== t.fleet.deviceId) throw new Error(`vehicle ${t.fleet.plateCn} is on trip ${trip.id} with another lock than its demo lock`);
    if (trip.state === 'accepted') trip = await sealTrip(ctx, trip.id, t.fleet);
    t.resetForTrip();
    if (last) {
      t.motion = { alongM: locate(this.corridor, last.lon, last.lat).alongM, stoppedUntil: -1, stopOffsetM: 0 };
    } else if (first) {
      t.motion = firstMotion(t.script, now);
      // A truck already standing at start-up: its lock kept those fixes and uploads them on login.
      if (t.script.stoppedForMs) for (const time of fixTimesBefore(now, t.script.stoppedForMs)) t.buffer.push(this.fixAt(t, time, t.motion.alongM, t.motion.stopOffsetM, 0));
    } else {
      t.motion = { alongM: 0, stoppedUntil: -1, stopOffsetM: 0 };
    }
    if (t.motion.alongM > this.marks.gateM + 1 && !released(trip.state) && !SIDE_STATES.includes(trip.state as TripState)) trip = await bringPastBoundary(ctx, trip);
    t.trip = { id: trip.id, state: trip.state };
  }

  private onTripChanged(tripId: string, state: string) {
    const t = this.trucks.find((x) => x.trip?.id === tripId);
    if (!t || !t.trip) return;
    // Back at the lane after an officer resumed it (inspection done, hold lifted): the lane reads it again.
    if (SIDE_STATES.includes(t.trip.state as TripState) && AT_LANE_STATES.includes(state)) t.passagePosted = false;
    t.trip.state = state;
  }

  /** Catches up with anything that changed a trip without an event reaching us. */
  private async refreshStates() {
    const ids = this.trucks.flatMap((t) => (t.trip ? [t.trip.id] : []));
    if (!ids.length) return;
    const rows = await this.ctx.store.db.selectFrom('trips').select(['id', 'state']).where('id', 'in', ids).execute();
    for (const r of rows) { const t = this.trucks.find((x) => x.trip?.id === r.id); if (t?.trip && t.trip.state !== r.state) this.onTripChanged(r.id, r.state); }
  }

  private async tickTruck(t: DemoTruck, now: number) {
    const ctx = this.ctx;
    if (!t.trip) {
      if (now < t.nextTripAt) return;
      t.nextTripAt = now + 60_000; // if sealing fails (the lock is busy elsewhere) try again in a minute
      const pruned = await pruneOldTrips(ctx, t.fleet.vehicleId);
      this.stats.pruned += pruned.trips;
      const trip = await startTrip(ctx, t.fleet, this.route);
      this.stats.tripsStarted++;
      t.resetForTrip();
      t.trip = { id: trip.id, state: trip.state };
      t.motion = { alongM: 0, stoppedUntil: -1, stopOffsetM: 0 };
      t.lastStepAt = now;
      t.lastReportAt = -1;
      t.terminal.lockState = 'sealed';
      t.events.push('sealed');
      return;
    }
    const state = t.trip.state;
    if (state === 'closed' || state === 'cancelled') { t.trip = null; t.nextTripAt = -1; return; }
    if (state === 'accepted') { t.trip.state = (await sealTrip(ctx, t.trip.id, t.fleet)).state; return; } // left unsealed by an interrupted start

    const waiting = SIDE_STATES.includes(state as TripState);
    const past = released(state) || t.motion.alongM > this.marks.gateM + 1;
    let holdAt = past ? this.marks.lengthM : this.marks.gateM;
    if (waiting || state === 'unsealed' || (t.releasedAt >= 0 && now - t.releasedAt < LANE_DWELL_MS)) holdAt = Math.min(holdAt, t.motion.alongM);
    const dt = t.lastStepAt < 0 ? this.reportMs : now - t.lastStepAt;
    t.lastStepAt = now;
    const r = step(t.script, t.motion, now, dt, holdAt);
    t.motion = r.motion;
    t.events.push(...r.step.events);

    const atLane = !past && t.motion.alongM >= this.marks.gateM;
    const parked = waiting || (atLane && t.passagePosted);
    const every = parked ? DEMO_PARKED_REPORT_MS : this.reportMs;
    // a quarter second of slack: the loop's timer may fire a little early relative to the clock
    if (t.lastReportAt < 0 || now - t.lastReportAt >= every - 250) { await this.report(t, r.step, now); t.lastReportAt = now; }

    if (state === 'unsealed') { await closeTrip(ctx, t.trip.id); this.stats.tripsClosed++; return; }
    if (atLane && !waiting) await this.atLane(t, now);
    if (past && t.motion.alongM >= this.marks.lengthM) await this.atDestination(t, now);
  }

  private async atLane(t: DemoTruck, now: number) {
    if (!this.lane || t.passagePosted || !t.trip || !AT_LANE_STATES.includes(t.trip.state)) return;
    t.passagePosted = true;
    t.passageId ??= `demo-${t.trip.id}-${now}`;
    const gross = demoGoods(t.fleet.index).reduce((a, g) => a + g.grossKg, 0);
    try {
      const d = await this.lane.post({
        passageId: t.passageId, laneCode: this.lane.lane(t.fleet.index), plates: [t.fleet.plateCn], lockId: t.fleet.terminalId,
        grossKg: Math.round(gross * (1 + (t.noise() - 0.5) * 0.01)), readAt: now,
      });
      this.stats.passages++;
      t.passageId = null;
      if (d.decision === 'release') t.releasedAt = now;
      this.ctx.log.info({ plate: t.fleet.plateCn, decision: d.decision, reasons: d.reasons.filter((x) => x.outcome !== 'pass').map((x) => x.code) }, 'live demo: gate passage');
    } catch (e) {
      t.passagePosted = false; // posted again, with the same passageId, on the next tick
      throw e;
    }
  }

  private async atDestination(t: DemoTruck, now: number) {
    if (!t.trip || t.trip.state !== 'arrived') return; // the platform moves it to arrived when it sees the truck inside
    if (t.arrivedAt < 0) t.arrivedAt = now;
    if (now - t.arrivedAt < DESTINATION_DWELL_MS) return;
    await unsealTrip(this.ctx, t.trip.id);
  }

  private fixAt(t: DemoTruck, time: number, alongM: number, offsetM: number, speedKmh: number, events: LockEventName[] = []): SimFix {
    const p = pointAt(this.corridor, alongM, offsetM);
    // ±3 m of GPS noise
    const lon = p.lon + ((t.noise() - 0.5) * 6) / this.corridor.kx, lat = p.lat + ((t.noise() - 0.5) * 6) / this.corridor.ky;
    const dx = (lon - t.lon) * this.corridor.kx, dy = (lat - t.lat) * this.corridor.ky;
    if (speedKmh > 0 && dx * dx + dy * dy > 25) t.heading = Math.round(((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360);
    else if (t.lon === 0) t.heading = Math.round(p.heading);
    t.lon = lon; t.lat = lat;
    return { time, lon, lat, speedKmh, heading: t.heading % 360, batteryPct: Math.round(t.batteryPct * 10) / 10, events };
  }

  private async report(t: DemoTruck, s: Step, now: number) {
    if (t.lastReportAt >= 0) t.batteryPct = Math.max(0, t.batteryPct - (0.5 * (now - t.lastReportAt)) / 3_600_000);
    const fix = this.fixAt(t, now, s.alongM, s.offsetM, s.speedKmh, t.events.splice(0));
    if (!s.online) {
      if (t.terminal.connected) t.terminal.drop(); // out of coverage
      this.keep(t, fix);
      return;
    }
    if (!t.terminal.authenticated && !(await this.login(t))) { this.keep(t, fix); return; }
    if (t.buffer.length) t.terminal.uploadBacklog(t.buffer.splice(0));
    t.terminal.report(fix);
    this.stats.reports++;
  }

  private keep(t: DemoTruck, fix: SimFix) {
    t.buffer.push(fix);
    if (t.buffer.length > MAX_BUFFERED_FIXES) t.buffer.shift();
    this.stats.buffered++;
  }

  private async login(t: DemoTruck): Promise<boolean> {
    try {
      await withTimeout(t.terminal.login(), LOGIN_TIMEOUT_MS, `login of ${t.fleet.terminalId}`);
      return true;
    } catch (e) {
      t.terminal.drop();
      this.ctx.log.warn({ err: e, terminalId: t.fleet.terminalId }, 'live demo: lock could not log in; keeping its fixes');
      return false;
    }
  }
}
