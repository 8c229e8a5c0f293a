/**
 * Drives a seeded fleet along the route the way its locks would: every truck reports every
 * `intervalS` seconds over the HTTP ingest with a device key, trucks staggered so a steady
 * share of the fleet reports each second. A few trucks drive 1.5 km off the corridor and a few
 * report a cut wire once, so the rules raise real alerts that reach the map over the live feed.
 */
import type { FleetTruck } from './fleet-seed.ts';

const R = 6_371_000;
const rad = (d: number) => (d * Math.PI) / 180;
const metres = (a: number[], b: number[]) => {
  const dLat = rad(b[1] - a[1]), dLon = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
};
const bearing = (a: number[], b: number[]) => {
  const y = Math.sin(rad(b[0] - a[0])) * Math.cos(rad(b[1]));
  const x = Math.cos(rad(a[1])) * Math.sin(rad(b[1])) - Math.sin(rad(a[1])) * Math.cos(rad(b[1])) * Math.cos(rad(b[0] - a[0]));
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
};

/** A point `m` metres along the line, with the heading of its segment. */
export function along(coords: number[][], cum: number[], m: number): { lon: number; lat: number; heading: number } {
  const total = cum[cum.length - 1];
  const d = Math.max(0, Math.min(total, m));
  let i = 1;
  while (i < cum.length - 1 && cum[i] < d) i++;
  const a = coords[i - 1], b = coords[i], f = cum[i] > cum[i - 1] ? (d - cum[i - 1]) / (cum[i] - cum[i - 1]) : 0;
  return { lon: a[0] + (b[0] - a[0]) * f, lat: a[1] + (b[1] - a[1]) * f, heading: Math.round(bearing(a, b)) };
}

export interface DriveOptions { base: string; key: string; route: number[][]; trucks: FleetTruck[]; intervalS: number }

export class FleetDriver {
  posted = 0;
  errors: string[] = [];
  private cum: number[];
  private t0 = Date.now();
  private tick = 0;
  private timer: NodeJS.Timeout | null = null;
  private inflight = new Set<Promise<void>>();
  private speed: number[];

  constructor(private o: DriveOptions) {
    this.cum = [0];
    for (let i = 1; i < o.route.length; i++) this.cum.push(this.cum[i - 1] + metres(o.route[i - 1], o.route[i]));
    this.speed = o.trucks.map((_, i) => 60 + ((i * 37) % 31)); // 60…90 km/h
  }

  get routeLengthM() { return this.cum[this.cum.length - 1]; }

  /** Truck `i`'s fix at time `at`; the off-route trucks sit 1.5 km north of the road. */
  fix(i: number, at: number, serial: number, lockEvents?: string[]) {
    const t = this.o.trucks[i];
    const m = t.startAt * this.routeLengthM + (this.speed[i] * (at - this.t0)) / 3600;
    const p = along(this.o.route, this.cum, m);
    const off = i % 100 === 7 ? 0.0135 : 0;
    return { terminalId: t.terminalId, fixTime: new Date(at).toISOString(), serial: serial % 65536, lat: +(p.lat + off).toFixed(6), lon: +p.lon.toFixed(6), speedKmh: this.speed[i], heading: p.heading, batteryPct: 80, ...(lockEvents ? { lockEvents } : {}) };
  }

  private async post(positions: unknown[]) {
    for (let k = 0; k < positions.length; k += 2500) {
      const r = await fetch(`${this.o.base}/api/v1/ingest/positions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': this.o.key }, body: JSON.stringify({ positions: positions.slice(k, k + 2500) }) });
      if (!r.ok) this.errors.push(`${r.status} ${await r.text()}`);
      else this.posted += ((await r.json()) as { stored: number }).stored;
    }
  }

  /** One fix from every truck, so the snapshot has them all on the map before the page opens. */
  async placeAll() {
    const at = Date.now() - 1000;
    await this.post(this.o.trucks.map((_, i) => this.fix(i, at, 0)));
  }

  /** Each second, the trucks whose turn it is report; stops with `stop()`. */
  start() {
    const slots = this.o.intervalS;
    const step = () => {
      this.tick++;
      const slot = this.tick % slots, at = Date.now(), serial = 1 + Math.floor(this.tick / slots);
      const batch = [];
      for (let i = slot; i < this.o.trucks.length; i += slots) batch.push(this.fix(i, at, serial, i % 500 === 3 && serial === 2 ? ['wire_cut'] : undefined));
      const p = this.post(batch).catch((e) => { this.errors.push(String(e)); }).finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    };
    this.timer = setInterval(step, 1000);
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.inflight);
  }
}
