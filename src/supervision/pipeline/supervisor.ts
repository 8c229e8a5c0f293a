/**
 * The live supervision pipeline: every committed position of a device bound to a supervised trip
 * goes through that trip's rules (src/supervision, pure) in fix-time order; what they say becomes
 * alerts, milestones and lifecycle actions.
 *
 * - Work is serialised on one queue, so a trip's state is never evaluated by two batches at once
 *   and alerts come out in the order the rules produced them.
 * - Per batch of stored positions, ONE transaction applies the alert signals, inserts milestones
 *   (a repeat is ignored by the unique index), flags filtered fixes and checkpoints rule states
 *   (state + last position id). Alerts are published after the commit. A batch that produced
 *   nothing and has no checkpoint due writes nothing at all.
 * - Checkpoints are coalesced: a trip whose positions produced an output (alert, milestone,
 *   filtered fix) or arrived out of fix-time order is checkpointed in that same transaction; a
 *   trip that only moved along is checkpointed at most every ONELOCK_SUPERVISION_CHECKPOINT_S.
 *   Between two checkpoints, then, every evaluated position was newer than the ones before it
 *   and produced nothing, so replaying the stored positions after the checkpoint in fix-time
 *   order rebuilds the same state and, again, produces nothing: no alert twice, none missed.
 * - A trip is loaded on first use: its context from the registry, its state from the checkpoint,
 *   then every position stored after the checkpoint is replayed (and the result checkpointed).
 *   So a restart (or a failed commit, which evicts the trips it touched) resumes exactly where the
 *   last commit left off.
 * - A route or place change reaches trips already in memory: their context and configuration are
 *   rebuilt from the registry, their rule state kept (checkpointed first, so a restart never
 *   replays positions evaluated under the old settings with the new ones).
 */
import type { Selectable } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { PositionRow, TripRow } from '../../platform/db/schema.ts';
import { POSITIONS_STORED, TRIP_CHANGED } from '../../platform/db/position-writer.ts';
import { registryChanged } from '../../registry/resource.ts';
import type { StoredPosition } from '../../devices/position.ts';
import { ALERT_CHANGED, type AlertSignal } from '../../alerts/alert-model.ts';
import { applySignals, publishAlerts, type AlertDto } from '../../alerts/alert-store.ts';
import { newId } from '../../platform/ids.ts';
import { checkOverdue, checkSignal, evaluate, initTripState, resolveAlert } from '../trip-rules.ts';
import type { AlertType, Fix, MilestoneOutput, RuleOutput, TripRuleState } from '../types.ts';
import { isSupervised, SUPERVISED_STATES, TripContextLoader, type LoadedTrip } from './trip-context-loader.ts';
import { advanceLifecycle, allows, markOverdue } from './lifecycle-actions.ts';

interface LiveTrip extends LoadedTrip {
  state: TripRuleState;
  /** positions.id of the newest position evaluated. */
  lastPositionId: number;
  /** Platform time of the stored checkpoint (jittered at load so trips do not all come due together). */
  savedAt: number;
  /** The state has moved past the stored checkpoint. */
  dirty: boolean;
}

/** A stored position as the pipeline needs it. */
interface Item { id: number; fix: Fix }

/** What one trip contributes to a commit; `save` forces its checkpoint into the transaction. */
interface Work { t: LiveTrip; signals: AlertSignal[]; milestones: { o: MilestoneOutput; fix: Fix | null }[]; filtered: number[]; maxId: number; save: boolean }

const workFor = (t: LiveTrip, save: boolean): Work => ({ t, signals: [], milestones: [], filtered: [], maxId: t.lastPositionId, save });

const fromStored = (p: StoredPosition): Item => ({
  id: p.id,
  fix: { time: p.fixTime, lon: p.lon, lat: p.lat, speedKmh: p.speedKmh, heading: p.heading, batteryPct: p.batteryPct, lockEvents: p.lockEvents.length ? p.lockEvents : undefined, late: p.late },
});
const fromRow = (r: Selectable<PositionRow>): Item => {
  const ev: string[] = JSON.parse(r.lock_events);
  return { id: Number(r.id), fix: { time: Date.parse(r.fix_time), lon: r.lon, lat: r.lat, speedKmh: r.speed_kmh, heading: r.heading, batteryPct: r.battery_pct, lockEvents: ev.length ? ev : undefined, late: r.late === 1 } };
};

/** Rows per multi-row checkpoint upsert (4 parameters each, well under SQLite's limit). */
const UPSERT_CHUNK = 500;
/** Trips loaded per round of queries. */
const LOAD_CHUNK = 500;
/** Trips checked per timer step. */
const TICK_CHUNK = 1000;
/** Supervised trip rows read per query by the timer (12,000 in one read held the event loop ~20 ms). */
const TICK_READ_PAGE = 2000;

export class Supervisor {
  private trips = new Map<string, LiveTrip>();
  private queue: Promise<unknown> = Promise.resolve();
  private unsubs: (() => void)[] = [];
  private loader: TripContextLoader;
  private closed = false;
  readonly stats = { batches: 0, positions: 0, alerts: 0, milestones: 0, checkpoints: 0, transactions: 0, errors: 0 };

  constructor(private ctx: AppContext) {
    this.loader = new TripContextLoader(ctx);
    this.unsubs.push(
      ctx.bus.subscribe<StoredPosition[]>(POSITIONS_STORED, (batch) => this.receive(batch)),
      ctx.bus.subscribe<{ tripId: string; state: string }>(TRIP_CHANGED, (m) => {
        // A trip that leaves supervision (unsealed, closed, cancelled) is dropped from memory.
        if (!isSupervised(m.state)) void this.enqueue(async () => { this.trips.delete(m.tripId); });
      }),
      ctx.bus.subscribe<AlertDto>(ALERT_CHANGED, (a) => {
        if (a.state === 'resolved') void this.enqueue(() => this.onResolved(a.tripId, a.type as AlertType));
      }),
      ctx.bus.subscribe<{ id: string }>(registryChanged('route'), (m) => { void this.enqueue(() => this.onRouteChanged(m.id)); }),
      ctx.bus.subscribe<{ id: string }>(registryChanged('place'), (m) => { void this.enqueue(() => this.onPlaceChanged(m.id)); }),
    );
  }

  /** Number of trips held in memory. */
  get activeTrips() { return this.trips.size; }

  private get checkpointMs() { return this.ctx.settings.supervisionCheckpointS * 1000; }

  /**
   * Stored batches wait in the open inbox segment; one queued step evaluates the whole segment, so
   * when the pipeline falls behind, the batches that piled up meanwhile are evaluated and committed
   * together (fewer, larger transactions) instead of one step each. Any other step closes the
   * segment, so positions never overtake an officer's resolve, a route change or a tick.
   */
  private inbox: StoredPosition[][] | null = null;

  private receive(batch: StoredPosition[]) {
    if (!this.inbox) {
      const seg: StoredPosition[][] = (this.inbox = []);
      this.queue = this.run(() => {
        if (this.inbox === seg) this.inbox = null;
        return this.onPositions(seg.length === 1 ? seg[0] : seg.flat());
      });
    }
    this.inbox.push(batch);
  }

  /** Runs `fn` after everything queued before it; a failure is logged and does not stop the queue. */
  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    this.inbox = null;
    const p = this.queue.then(() => (this.closed ? (undefined as T) : fn()));
    this.queue = p.catch((e) => this.failed(e));
    return p;
  }

  private run(fn: () => Promise<void>): Promise<void> {
    return this.queue.then(() => (this.closed ? undefined : fn())).catch((e) => this.failed(e));
  }

  private failed(e: unknown) { this.stats.errors++; this.ctx.log.error({ err: e }, 'supervision step failed'); }

  /** Waits until everything queued so far is done (tests, shutdown). */
  async idle() { await this.ctx.positions.drain(); await this.queue; }

  /** Resume after a (re)start: every supervised trip is loaded, which replays what its checkpoint has not seen. */
  start(): Promise<void> {
    return this.enqueue(async () => {
      const rows = await this.ctx.store.db.selectFrom('trips').selectAll().where('state', 'in', [...SUPERVISED_STATES]).where('active_device_id', 'is not', null).execute();
      for (let i = 0; i < rows.length; i += LOAD_CHUNK) {
        const replay = await this.loadMany(rows.slice(i, i + LOAD_CHUNK).map((r) => r.id), rows.slice(i, i + LOAD_CHUNK));
        await this.commit([...replay].map(([t, items]) => this.replayWork(t, items)));
      }
    });
  }

  /** Checkpoints every trip whose state moved past its checkpoint, then stops listening. */
  async close() {
    await this.idle();
    await this.enqueue(() => this.commit([...this.trips.values()].filter((t) => t.dirty).map((t) => workFor(t, true))));
    this.closed = true;
    for (const u of this.unsubs) u();
  }

  /** Every supervised trip's id and state, a page at a time with a yield between pages. */
  private async activeTripStates() {
    const rows: { id: string; state: string }[] = [];
    for (let after = ''; ;) {
      const page = await this.ctx.store.db.selectFrom('trips').select(['id', 'state']).where('state', 'in', [...SUPERVISED_STATES]).where('active_device_id', 'is not', null)
        .where('id', '>', after).orderBy('id').limit(TICK_READ_PAGE).execute();
      for (const r of page) rows.push(r);
      if (page.length < TICK_READ_PAGE) return rows;
      after = page[page.length - 1].id;
      await new Promise((r) => setImmediate(r));
    }
  }

  /** The trip in memory, loading it (and replaying what its checkpoint has not seen) if needed. */
  private async ensure(tripId: string): Promise<LiveTrip | null> {
    const have = this.trips.get(tripId);
    if (have) return have;
    const replay = await this.loadMany([tripId]);
    await this.commit([...replay].map(([t, items]) => this.replayWork(t, items)));
    return this.trips.get(tripId) ?? null;
  }

  /**
   * Loads supervised trips into memory in a few queries (trips, checkpoints, positions after the
   * checkpoints): context from the registry, state from the checkpoint. Returns, per trip loaded,
   * the stored positions its checkpoint has not seen, for the caller to evaluate.
   */
  private async loadMany(ids: string[], rows?: TripRow[]): Promise<Map<LiveTrip, Item[]>> {
    const db = this.ctx.store.db;
    const out = new Map<LiveTrip, Item[]>();
    for (let i = 0; i < ids.length; i += LOAD_CHUNK) {
      const part = ids.slice(i, i + LOAD_CHUNK).filter((id) => !this.trips.has(id));
      if (!part.length) continue;
      const trips = (rows ?? (await db.selectFrom('trips').selectAll().where('id', 'in', part).execute())).filter((r) => part.includes(r.id) && isSupervised(r.state));
      if (!trips.length) continue;
      const tripIds = trips.map((r) => r.id);
      const cps = new Map((await db.selectFrom('rule_checkpoints').selectAll().where('trip_id', 'in', tripIds).execute()).map((c) => [c.trip_id, c]));
      const now = this.ctx.clock.now();
      let from = Infinity;
      const loaded: LiveTrip[] = [];
      for (const row of trips) {
        const l = await this.loader.load(row);
        const cp = cps.get(row.id);
        const t: LiveTrip = {
          ...l,
          state: cp ? JSON.parse(cp.state) : initTripState(l.context, l.config),
          lastPositionId: cp ? Number(cp.position_id) : 0,
          savedAt: now - Math.random() * this.checkpointMs,
          dirty: false,
        };
        this.trips.set(row.id, t);
        loaded.push(t);
        if (t.lastPositionId < from) from = t.lastPositionId;
      }
      const byTrip = new Map(loaded.map((t) => [t.tripId, t]));
      const stored = await db.selectFrom('positions').selectAll().where('trip_id', 'in', tripIds).where('id', '>', from).orderBy('id').execute();
      for (const r of stored) {
        const t = byTrip.get(r.trip_id!);
        if (!t || Number(r.id) <= t.lastPositionId) continue;
        let a = out.get(t);
        if (!a) out.set(t, (a = []));
        a.push(fromRow(r));
      }
    }
    return out;
  }

  /** A replay is done once: keep its result. */
  private replayWork(t: LiveTrip, items: Item[]): Work {
    const w = this.evaluateItems(t, items);
    w.save = true;
    return w;
  }

  private async onPositions(batch: StoredPosition[]) {
    const byTrip = new Map<string, Item[]>();
    for (const p of batch) {
      if (!p.tripId) continue;
      let a = byTrip.get(p.tripId);
      if (!a) byTrip.set(p.tripId, (a = []));
      a.push(fromStored(p));
    }
    const missing = [...byTrip.keys()].filter((id) => !this.trips.has(id));
    // Newly loaded trips: their replay already holds this batch's positions (stored before they were published).
    const replayed = missing.length ? await this.loadMany(missing) : new Map<LiveTrip, Item[]>();
    const work: Work[] = [];
    for (const [t, items] of replayed) { work.push(this.replayWork(t, items)); byTrip.delete(t.tripId); }
    for (const [tripId, items] of byTrip) {
      const t = this.trips.get(tripId);
      if (t) work.push(this.evaluateItems(t, items));
    }
    this.stats.batches++;
    await this.commit(work);
  }

  /** Evaluates a trip's new positions in fix-time order (ties by storage order). */
  private evaluateItems(t: LiveTrip, items: Item[]): Work {
    const w = workFor(t, false);
    const fresh = items.filter((i) => i.id > t.lastPositionId).sort((a, b) => a.fix.time - b.fix.time || a.id - b.id);
    if (!fresh.length) return w;
    // Out of order with what was evaluated before: a replay from an older checkpoint would sort
    // these among the earlier ones and see a different sequence, so keep this state now.
    if (t.state.lastEvalTime >= 0 && fresh[0].fix.time < t.state.lastEvalTime) w.save = true;
    for (const i of fresh) {
      const r = evaluate(t.state, i.fix, t.context, t.config);
      for (let k = 0; k < r.outputs.length; k++) this.collect(w, r.outputs[k], i.fix, i.id);
      if (i.id > w.maxId) w.maxId = i.id;
    }
    t.dirty = true;
    this.stats.positions += fresh.length;
    return w;
  }

  private collect(w: Work, o: RuleOutput, fix: Fix | null, positionId: number | null) {
    const s = w.t.state;
    w.save = true;
    w.t.dirty = true;
    if (o.kind === 'filtered') { if (positionId !== null) w.filtered.push(positionId); return; }
    if (o.kind === 'milestone') { w.milestones.push({ o, fix }); return; }
    w.signals.push({
      kind: o.kind === 'clear' ? 'clear' : 'raise', tripId: w.t.tripId, deviceId: w.t.deviceId, type: o.type, severity: o.severity, time: o.time, late: o.late,
      lat: fix ? fix.lat : s.goodTime >= 0 ? s.goodLat : null, lon: fix ? fix.lon : s.goodTime >= 0 ? s.goodLon : null,
      detail: positionId !== null ? { ...o.detail, positionId } : o.detail,
    });
  }

  /** One transaction for everything the rules said about these trips, then the live feed and lifecycle. */
  private async commit(work: Work[]) {
    if (!work.length) return;
    const ctx = this.ctx;
    const now = ctx.clock.now();
    const due = this.checkpointMs;
    const saves = work.filter((w) => w.save || (w.t.dirty && now - w.t.savedAt >= due));
    const signals = work.flatMap((w) => w.signals);
    let changed: Awaited<ReturnType<typeof applySignals>> = [];
    if (saves.length || signals.length || work.some((w) => w.milestones.length || w.filtered.length)) {
      try {
        changed = await ctx.change(async (trx, audit) => {
          const rows = signals.length ? await applySignals(trx, ctx, signals, audit) : [];
          for (const w of work) {
            for (const { o, fix } of w.milestones) {
              await trx.insertInto('trip_milestones').values({
                id: newId('mst', now), trip_id: w.t.tripId, type: o.type, at: new Date(o.time).toISOString(), lat: fix?.lat ?? null, lon: fix?.lon ?? null,
                late: o.late ? 1 : 0, place_id: typeof o.detail.place === 'string' ? o.detail.place : null,
              }).onConflict((oc) => oc.columns(['trip_id', 'type']).doNothing()).execute();
            }
            if (w.filtered.length) await trx.updateTable('positions').set({ filtered: 1 }).where('id', 'in', w.filtered).execute();
          }
          const at = new Date(now).toISOString();
          for (let i = 0; i < saves.length; i += UPSERT_CHUNK) {
            const values = saves.slice(i, i + UPSERT_CHUNK).map((w) => ({ trip_id: w.t.tripId, state: JSON.stringify(w.t.state), position_id: w.maxId, updated_at: at }));
            await trx.insertInto('rule_checkpoints').values(values)
              .onConflict((oc) => oc.column('trip_id').doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), position_id: eb.ref('excluded.position_id'), updated_at: eb.ref('excluded.updated_at') }))).execute();
          }
          return rows;
        });
      } catch (e) {
        // The in-memory states ran ahead of the database: forget them; the next use reloads the
        // checkpoint and replays the stored positions.
        for (const w of work) this.trips.delete(w.t.tripId);
        throw e;
      }
      this.stats.transactions++;
      this.stats.checkpoints += saves.length;
      for (const w of saves) { w.t.savedAt = now; w.t.dirty = false; }
    }
    for (const w of work) w.t.lastPositionId = w.maxId;
    this.stats.alerts += changed.length;
    publishAlerts(ctx, changed);
    const moved = work.filter((w) => w.milestones.length);
    for (const w of moved) this.stats.milestones += w.milestones.length;
    if (moved.length) await advanceLifecycle(ctx, moved.map((w) => ({ tripId: w.t.tripId, milestones: w.milestones.map((m) => m.o) })));
  }

  /**
   * Timer step at the platform clock's now: signal loss and overdue for every supervised trip, a
   * critical overdue marks the trip overdue where the transition table allows it, and trips idle
   * since their last checkpoint interval are checkpointed. Trips no longer supervised are dropped.
   * The trips are checked TICK_CHUNK at a time, each chunk its own queued step, so positions that
   * arrive meanwhile wait for one chunk, not for all 10,000 trips.
   */
  async tick(): Promise<void> {
    const now = this.ctx.clock.now();
    // Read outside the queue: positions are evaluated between the pages, not after all of them.
    const supervised = await this.activeTripStates();
    // Undefined when the step failed or the supervisor closed: no chunks then.
    const rows = await this.enqueue(async () => {
      const active = new Set(supervised.map((r) => r.id));
      for (const id of this.trips.keys()) if (!active.has(id)) this.trips.delete(id);
      // Supervised but never heard from (sealed, the lock silent): loaded so signal loss can fire.
      const missing = supervised.filter((r) => !this.trips.has(r.id)).map((r) => r.id);
      if (missing.length) await this.commit([...(await this.loadMany(missing))].map(([t, items]) => this.replayWork(t, items)));
      return supervised;
    });
    // setImmediate between chunks: SQLite answers synchronously, so without it the chunks ran back
    // to back as microtasks (~120 ms for 10,000 trips) and no socket was read meanwhile.
    for (let i = 0; i < (rows?.length ?? 0); i += TICK_CHUNK) {
      if (i) await new Promise((r) => setImmediate(r));
      await this.enqueue(() => this.tickChunk(rows.slice(i, i + TICK_CHUNK), now));
    }
  }

  private async tickChunk(rows: { id: string; state: string }[], now: number) {
    const work: Work[] = [];
    for (const row of rows) {
      const t = this.trips.get(row.id);
      if (!t) continue;
      const handled = t.state.overdueHandled;
      const sig = checkSignal(t.state, now, t.config).outputs, od = checkOverdue(t.state, now, t.context, t.config).outputs;
      // forgetting a resolved overdue changes the state without an output: saved now, or a restart would bring it back
      if (!sig.length && !od.length) { if (t.state.overdueHandled !== handled) work.push(workFor(t, true)); else if (t.dirty) work.push(workFor(t, false)); continue; }
      const w = workFor(t, true);
      for (const o of sig) this.collect(w, o, null, null);
      for (const o of od) this.collect(w, o, null, null);
      work.push(w);
    }
    await this.commit(work);
    for (const row of rows) {
      const t = this.trips.get(row.id);
      if (t && t.state.open.overdue === 'critical' && allows('mark_overdue', row.state)) await markOverdue(this.ctx, t.tripId, t.context.deadline);
    }
  }

  /** An officer resolved an alert: the rules forget it (so a new occurrence raises a new alert), checkpointed. */
  private async onResolved(tripId: string, type: AlertType) {
    const t = await this.ensure(tripId);
    if (!t || t.state.open[type] === undefined) return;
    resolveAlert(t.state, type);
    t.dirty = true;
    await this.commit([workFor(t, true)]);
  }

  private async onRouteChanged(routeId: string) {
    this.loader.forgetRoute(routeId);
    await this.reload([...this.trips.values()].filter((t) => t.routeId === routeId));
  }

  private async onPlaceChanged(placeId: string) {
    const hit = [...this.trips.values()].filter((t) => this.loader.routeUses(t.routeId, placeId) || t.context.places.origin?.id === placeId || t.context.places.destination?.id === placeId);
    this.loader.forgetPlace(placeId);
    await this.reload(hit);
  }

  /** New context and configuration from the registry for trips in memory; their rule state stays. */
  private async reload(trips: LiveTrip[]) {
    if (!trips.length) return;
    await this.commit(trips.filter((t) => t.dirty).map((t) => workFor(t, true)));
    for (let i = 0; i < trips.length; i += UPSERT_CHUNK) {
      const rows = await this.ctx.store.db.selectFrom('trips').selectAll().where('id', 'in', trips.slice(i, i + UPSERT_CHUNK).map((t) => t.tripId)).execute();
      for (const row of rows) {
        const t = this.trips.get(row.id);
        if (!t) continue;
        const loaded = await this.loader.load(row);
        t.context = loaded.context;
        t.config = loaded.config;
      }
    }
  }
}
