/**
 * The live feed's memory: every position and alert change gets a monotonically increasing event ID
 * and sits in a ring buffer, so a client that reconnects with its last event ID is sent what it
 * missed (or told there is a gap if the buffer has moved past it).
 */
import type { Bus } from '../platform/bus.ts';
import { POSITIONS_STORED } from '../platform/db/position-writer.ts';
import type { StoredPosition } from '../devices/position.ts';
import { ALERT_CHANGED } from '../alerts/alert-model.ts';
import type { AlertDto } from '../alerts/alert-store.ts';

export interface LiveEvent {
  id: number;
  kind: 'position' | 'alert';
  tripId: string | null;
  enterpriseId: string | null;
  lon: number | null;
  lat: number | null;
  data: unknown;
  /** The event as sent to clients, serialised once on first send and shared by every client. */
  wire?: string;
}

export interface LiveFilter {
  positions: 'none' | 'all' | { tripIds: string[] } | { bbox: [number, number, number, number] };
  alerts: boolean;
  /** Enterprise users only ever see their own trips. */
  enterpriseId: string | null;
}

export function matches(f: LiveFilter, e: LiveEvent): boolean {
  if (f.enterpriseId && e.enterpriseId !== f.enterpriseId) return false;
  if (e.kind === 'alert') return f.alerts;
  const p = f.positions;
  if (p === 'none') return false;
  if (p === 'all') return true;
  if ('tripIds' in p) return !!e.tripId && p.tripIds.includes(e.tripId);
  const [x0, y0, x1, y1] = p.bbox;
  return e.lon !== null && e.lat !== null && e.lon >= x0 && e.lon <= x1 && e.lat >= y0 && e.lat <= y1;
}

export class LiveHub {
  private ring: LiveEvent[];
  private next = 1;
  private listeners = new Set<(e: LiveEvent) => void>();

  constructor(bus: Bus, private capacity = 50_000) {
    this.ring = new Array(capacity);
    bus.subscribe<StoredPosition[]>(POSITIONS_STORED, (batch) => {
      for (const p of batch) {
        if (!p.tripId) continue;
        this.emit({ kind: 'position', tripId: p.tripId, enterpriseId: p.enterpriseId, lon: p.lon, lat: p.lat, data: { tripId: p.tripId, deviceId: p.deviceId, terminalId: p.terminalId, fixTime: new Date(p.fixTime).toISOString(), lat: p.lat, lon: p.lon, speedKmh: p.speedKmh, heading: p.heading, batteryPct: p.batteryPct, lockEvents: p.lockEvents, late: p.late } });
      }
    });
    bus.subscribe<AlertDto>(ALERT_CHANGED, (a) => this.emit({ kind: 'alert', tripId: a.tripId, enterpriseId: a.enterpriseId, lon: a.lon, lat: a.lat, data: a }));
  }

  get lastId() { return this.next - 1; }

  private emit(e: Omit<LiveEvent, 'id'>) {
    const ev = e as LiveEvent;
    ev.id = this.next++;
    this.ring[ev.id % this.capacity] = ev;
    for (const l of this.listeners) l(ev);
  }

  /**
   * Events after `lastId` (a whole number) still in the buffer; `gap` is true when some were
   * already overwritten, or when `lastId` is one this hub never gave out (the server restarted:
   * IDs start again at 1, and what happened meanwhile is not in the buffer).
   */
  since(lastId: number): { events: LiveEvent[]; gap: boolean } {
    const oldest = Math.max(1, this.next - this.capacity);
    const from = Math.max(lastId + 1, oldest);
    const events: LiveEvent[] = [];
    for (let id = from; id < this.next; id++) events.push(this.ring[id % this.capacity]);
    return { events, gap: lastId + 1 < oldest || lastId >= this.next };
  }

  listen(fn: (e: LiveEvent) => void) {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }
}
