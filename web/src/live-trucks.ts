import type { LiveMsg } from './api.ts';

/**
 * The live map's truck state, kept outside React: the snapshot, then every position and alert
 * event from the live feed, applied in place. The map takes what changed since its last redraw
 * (`takeChanges`) as a diff, so a second of updates for 1,000 trucks sends 1,000 features to the
 * map's worker, not 5,000, and React re-renders nothing per message.
 */
export interface Truck {
  tripId: string; state: string; plate: string | null; lat: number | null; lon: number | null; heading: number | null;
  speedKmh: number | null; fixTime: string | null; alertSeverity: string | null;
  /** open alerts of this trip seen on the live feed, id → severity */
  alerts?: Record<string, string>;
}
const RANK: Record<string, number> = { info: 1, warning: 2, critical: 3 };

export type TruckFeature = GeoJSON.Feature<GeoJSON.Point, { tripId: string; state: string; heading: number; alert: string; crit: 0 | 1 }>;

export const truckFeature = (x: Truck): TruckFeature => ({
  type: 'Feature', geometry: { type: 'Point', coordinates: [x.lon!, x.lat!] },
  properties: { tripId: x.tripId, state: x.state, heading: x.heading ?? 0, alert: x.alertSeverity ?? 'none', crit: x.alertSeverity === 'critical' ? 1 : 0 },
});

export class LiveTrucks {
  readonly trucks = new Map<string, Truck>();
  readonly received = { positions: 0, alerts: 0 };
  private changed = new Set<string>();
  private reloaded = true;

  /** Replaces everything with a snapshot (first load, or after the feed reported a gap). */
  reset(items: Truck[]) {
    this.trucks.clear();
    for (const x of items) this.trucks.set(x.tripId, x);
    this.changed.clear();
    this.reloaded = true;
  }

  /** Applies one live-feed message; true when a truck on the map changed. */
  apply(m: LiveMsg): boolean {
    if (m.type !== 'event') return false;
    const d = m.data;
    if (m.kind === 'position') {
      this.received.positions++;
      let x = this.trucks.get(d.tripId);
      if (!x) this.trucks.set(d.tripId, (x = { tripId: d.tripId, state: 'in_transit', plate: null, lat: null, lon: null, heading: null, speedKmh: null, fixTime: null, alertSeverity: null }));
      x.lat = d.lat; x.lon = d.lon; x.heading = d.heading; x.speedKmh = d.speedKmh; x.fixTime = d.fixTime;
    } else if (m.kind === 'alert' && d.tripId) {
      this.received.alerts++;
      const x = this.trucks.get(d.tripId);
      if (!x) return false;
      x.alerts ??= {};
      if (d.state === 'resolved') delete x.alerts[d.id]; else x.alerts[d.id] = d.severity;
      const worst = Object.values(x.alerts).sort((a, b) => RANK[b] - RANK[a])[0];
      if ((worst ?? null) === x.alertSeverity) return false;
      x.alertSeverity = worst ?? null;
    } else return false;
    this.changed.add(d.tripId);
    return true;
  }

  get dirty() { return this.reloaded || this.changed.size > 0; }

  /** What the map needs since the last call: every placed truck after a reset, else the changed ones. */
  takeChanges(): { all: boolean; features: TruckFeature[] } {
    const all = this.reloaded;
    const ids = all ? this.trucks.keys() : this.changed.values();
    const features: TruckFeature[] = [];
    for (const id of ids) { const x = this.trucks.get(id); if (x && x.lat !== null && x.lon !== null) features.push(truckFeature(x)); }
    this.changed.clear();
    this.reloaded = false;
    return { all, features };
  }
}
