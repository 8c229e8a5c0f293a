/**
 * Group-commit writer for positions. Callers `write()` a batch and get a promise that resolves only
 * after the transaction holding it has committed, so a device is acknowledged after its data is
 * durable, while the database sees one transaction per few milliseconds instead of one per message.
 * A re-sent position (same device, fix time and serial) is stored once: the unique index drops it.
 */
import type { Store } from './connect.ts';
import type { Bus } from '../bus.ts';
import type { PositionRecord, StoredPosition } from '../../devices/position.ts';

export interface WriteResult { stored: number; duplicates: number }
interface Pending { recs: PositionRecord[]; resolve: (r: WriteResult) => void; reject: (e: unknown) => void }

export const POSITIONS_STORED = 'positions.stored';
export const TRIP_CHANGED = 'trip.changed';

export class PositionWriter {
  private queue: Pending[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  /** device id → its active trip (or null) and when the lock was sealed on it; dropped when a trip changes. */
  private tripOf = new Map<string, BoundTrip | null>();
  readonly stats = { batches: 0, stored: 0, duplicates: 0, lastBatchSize: 0 };

  constructor(private store: Store, private bus: Bus, private opts = { maxBatch: 4000, maxDelayMs: 2 }) {
    bus.subscribe<{ deviceId: string | null }>(TRIP_CHANGED, (m) => { if (m.deviceId) this.tripOf.delete(m.deviceId); });
  }

  write(recs: PositionRecord[]): Promise<WriteResult> {
    if (recs.length === 0) return Promise.resolve({ stored: 0, duplicates: 0 });
    return new Promise((resolve, reject) => {
      this.queue.push({ recs, resolve, reject });
      this.queued += recs.length;
      if (this.queued >= this.opts.maxBatch) this.kick(0);
      else this.kick(this.opts.maxDelayMs);
    });
  }

  private kick(delay: number) {
    if (this.flushing) return; // the running flush re-checks the queue when it ends
    if (this.timer && delay > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = null; this.flushing = this.flush().finally(() => { this.flushing = null; if (this.queue.length) this.kick(0); }); }, delay);
  }

  /** Waits until everything written so far is committed. */
  async drain() {
    while (this.queue.length || this.flushing || this.timer) {
      if (this.flushing) await this.flushing;
      else await new Promise((r) => setTimeout(r, 1));
    }
  }

  private async flush() {
    // At most maxBatch records per transaction: under a backlog, taking the whole queue made one
    // synchronous SQLite commit block the event loop for seconds (no reads, no acks, no timers),
    // which grew the backlog further. The rest waits for the next flush, kicked when this one ends.
    let take = 0, n = 0;
    while (take < this.queue.length && (take === 0 || n + this.queue[take].recs.length <= this.opts.maxBatch)) n += this.queue[take++].recs.length;
    const batch = this.queue.splice(0, take);
    this.queued -= n;
    try {
      const results = this.store.sqlite ? this.commitSqlite(batch) : await this.commitPg(batch);
      this.stats.batches++;
      for (let i = 0; i < batch.length; i++) batch[i].resolve(results.counts[i]);
      if (results.stored.length) this.bus.publish(POSITIONS_STORED, results.stored);
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }

  private stmts?: { insert: any; trip: any; device: any };
  private commitSqlite(batch: Pending[]) {
    const db = this.store.sqlite!;
    const s = (this.stmts ??= {
      insert: db.prepare(`INSERT INTO positions (device_id, trip_id, fix_time, received_at, serial, lat, lon, altitude_m, speed_kmh, heading, alarm, status, battery_pct, lock_events, items, late, source, raw)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
      trip: db.prepare(`SELECT t.id, t.enterprise_id AS enterpriseId, (SELECT min(s.opened_at) FROM seal_sessions s WHERE s.trip_id = t.id) AS since FROM trips t WHERE t.active_device_id = ?`),
      device: db.prepare(`UPDATE devices SET last_seen_at = ?, battery_pct = coalesce(?, battery_pct) WHERE id = ? AND (last_seen_at IS NULL OR last_seen_at < ?)`),
    });
    const stored: StoredPosition[] = [];
    const counts: WriteResult[] = [];
    const latest = new Map<string, PositionRecord>();
    db.transaction(() => {
      for (const p of batch) {
        let n = 0;
        for (const r of p.recs) {
          let bound = this.tripOf.get(r.deviceId);
          if (bound === undefined) { const row = s.trip.get(r.deviceId) as { id: string; enterpriseId: string; since: string | null } | undefined; bound = row ? boundTrip(row.id, row.enterpriseId, row.since) : null; this.tripOf.set(r.deviceId, bound); }
          const trip = tripAt(bound, r.fixTime);
          const tripId = trip?.id ?? null;
          const fix = new Date(r.fixTime).toISOString();
          const res = s.insert.run(r.deviceId, tripId, fix, new Date(r.receivedAt).toISOString(), r.serial, r.lat, r.lon, r.altitudeM, r.speedKmh, r.heading, r.alarm, r.status, r.batteryPct, JSON.stringify(r.lockEvents), JSON.stringify(r.items), r.late ? 1 : 0, r.source, r.raw);
          if (res.changes) { n++; stored.push(storedOf(r, Number(res.lastInsertRowid), tripId, trip?.enterpriseId ?? null)); const l = latest.get(r.deviceId); if (!l || l.fixTime < r.fixTime) latest.set(r.deviceId, r); }
        }
        counts.push({ stored: n, duplicates: p.recs.length - n });
      }
      for (const r of latest.values()) { const t = new Date(r.fixTime).toISOString(); s.device.run(t, r.batteryPct, r.deviceId, t); }
    })();
    this.account(stored.length, counts);
    return { stored, counts };
  }

  private async commitPg(batch: Pending[]) {
    const db = this.store.db;
    const stored: StoredPosition[] = [];
    const counts: WriteResult[] = [];
    await db.transaction().execute(async (trx) => {
      const devs = [...new Set(batch.flatMap((p) => p.recs.map((r) => r.deviceId)).filter((d) => !this.tripOf.has(d)))];
      if (devs.length) {
        const rows = await trx.selectFrom('trips').select(['id', 'enterprise_id', 'active_device_id'])
          .select((eb) => eb.selectFrom('seal_sessions').select((e) => e.fn.min('opened_at').as('m')).whereRef('seal_sessions.trip_id', '=', 'trips.id').as('since'))
          .where('active_device_id', 'in', devs).execute();
        for (const d of devs) { const t = rows.find((r) => r.active_device_id === d); this.tripOf.set(d, t ? boundTrip(t.id, t.enterprise_id, (t.since as string | null) ?? null) : null); }
      }
      const latest = new Map<string, PositionRecord>();
      for (const p of batch) {
        const values = p.recs.map((r) => ({
          device_id: r.deviceId, trip_id: tripAt(this.tripOf.get(r.deviceId) ?? null, r.fixTime)?.id ?? null, fix_time: new Date(r.fixTime).toISOString(), received_at: new Date(r.receivedAt).toISOString(),
          serial: r.serial, lat: r.lat, lon: r.lon, altitude_m: r.altitudeM, speed_kmh: r.speedKmh, heading: r.heading, alarm: r.alarm, status: r.status,
          battery_pct: r.batteryPct, lock_events: JSON.stringify(r.lockEvents), items: JSON.stringify(r.items), late: r.late ? 1 : 0, source: r.source, raw: r.raw,
        }));
        const ins = await trx.insertInto('positions').values(values).onConflict((oc) => oc.columns(['device_id', 'fix_time', 'serial']).doNothing()).returning(['id', 'device_id', 'fix_time', 'serial']).execute();
        const keys = new Map(ins.map((i) => [`${i.device_id}|${i.fix_time}|${i.serial}`, Number(i.id)]));
        let n = 0;
        for (const r of p.recs) {
          const id = keys.get(`${r.deviceId}|${new Date(r.fixTime).toISOString()}|${r.serial}`);
          if (id !== undefined) {
            n++;
            const t = tripAt(this.tripOf.get(r.deviceId) ?? null, r.fixTime);
            stored.push(storedOf(r, id, t?.id ?? null, t?.enterpriseId ?? null));
            const l = latest.get(r.deviceId); if (!l || l.fixTime < r.fixTime) latest.set(r.deviceId, r);
          }
        }
        counts.push({ stored: n, duplicates: p.recs.length - n });
      }
      for (const r of latest.values()) {
        const t = new Date(r.fixTime).toISOString();
        await trx.updateTable('devices').set((eb) => ({ last_seen_at: t, battery_pct: eb.fn.coalesce(eb.val(r.batteryPct), 'battery_pct') as any }))
          .where('id', '=', r.deviceId).where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', t)])).execute();
      }
    });
    this.account(stored.length, counts);
    return { stored, counts };
  }

  private account(n: number, counts: WriteResult[]) {
    this.stats.stored += n;
    this.stats.duplicates += counts.reduce((a, c) => a + c.duplicates, 0);
    this.stats.lastBatchSize = counts.reduce((a, c) => a + c.stored + c.duplicates, 0);
  }
}

/**
 * A fix taken this long before its lock was sealed on a trip still counts as the trip's: the seal
 * is stamped by the platform's clock, the fix by the lock's, and a lock already reporting at the
 * origin when the officer seals it belongs there. Far less than the hours between one trip's
 * close at the destination and the lock's next seal at the origin.
 */
export const SEAL_CLOCK_ALLOWANCE_MS = 15 * 60_000;

interface BoundTrip { id: string; enterpriseId: string; boundFrom: number }
const boundTrip = (id: string, enterpriseId: string, since: string | null): BoundTrip =>
  ({ id, enterpriseId, boundFrom: since ? Date.parse(since) - SEAL_CLOCK_ALLOWANCE_MS : -Infinity });

/**
 * The trip a fix belongs to: the lock's active trip, unless the fix was taken before the lock was
 * sealed on it. A lock that uploads its buffer (0x0704, or a late HTTP batch) after being sealed
 * on its next trip would otherwise put its previous trip's track, perhaps another enterprise's,
 * on the new one and through its rules; such a fix is stored for the device alone.
 */
const tripAt = (t: BoundTrip | null, fixTime: number): BoundTrip | null => (t && fixTime >= t.boundFrom ? t : null);

/**
 * The stored position, field by field, from one literal. `{ ...r, id, tripId, enterpriseId }`
 * measured worse at 10,000 positions/s: those copies were promoted to the old generation although
 * they die within milliseconds (~14 MB/s in a writer-only run), and every full collection they
 * brought on (one per ~15 s) was followed by event-loop stalls of 100-150 ms.
 */
function storedOf(r: PositionRecord, id: number, tripId: string | null, enterpriseId: string | null): StoredPosition {
  return {
    deviceId: r.deviceId, terminalId: r.terminalId, fixTime: r.fixTime, receivedAt: r.receivedAt, serial: r.serial, lat: r.lat, lon: r.lon,
    altitudeM: r.altitudeM, speedKmh: r.speedKmh, heading: r.heading, alarm: r.alarm, status: r.status, batteryPct: r.batteryPct,
    lockEvents: r.lockEvents, late: r.late, source: r.source, id, tripId, enterpriseId,
  };
}
