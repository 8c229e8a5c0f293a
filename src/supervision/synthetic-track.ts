/**
 * Deterministic synthetic tracks along a real route, for tests, the emulator and benches:
 * constant speed and report interval, optional lateral deviations, stops, GPS noise and dead
 * zones (whose fixes come back separately as a late blind-area batch). Same seed, same track.
 */
import { pointAt, type CorridorIndex } from './corridor.ts';
import type { Fix } from './types.ts';

export interface SyntheticTrackOptions {
  corridor: CorridorIndex;
  startTime: number;
  speedKmh: number;
  /** Report interval (ms). */
  intervalMs: number;
  seed?: number;
  /** Along-route range to drive (m); defaults to the whole route. */
  fromM?: number;
  toM?: number;
  /** Constant lateral offset (m, + = left of travel). */
  offsetM?: number;
  /**
   * Lateral offsets within along-route ranges (real deviations). The truck leaves and rejoins
   * the route over rampM (default |offsetM|, a 45° turn-off), so no fix is an impossible jump.
   */
  deviations?: { fromM: number; toM: number; offsetM: number; rampM?: number }[];
  /** Stationary periods: at along-route atM (plus offset) for durationMs, speed 0. */
  stops?: { atM: number; durationMs: number; offsetM?: number }[];
  /** GPS noise: Gaussian σ in metres on each axis, per fix. */
  noiseM?: number;
  /** Dead zones (along-route ranges): fixes there are not reported live but returned in gapFixes, flagged late. */
  gaps?: { fromM: number; toM: number }[];
  /** Battery at start and drain per hour (%), reported when batteryPct is given. */
  batteryPct?: number;
  batteryDrainPctPerHour?: number;
  /** Stay at the end of the range this long (stationary fixes). */
  dwellAtEndMs?: number;
}

export interface SyntheticTrack {
  /** Fixes reported live, in time order. */
  fixes: Fix[];
  /** Fixes recorded in dead zones, in time order, late=true (upload them as a backfill batch). */
  gapFixes: Fix[];
  endTime: number;
}

/** mulberry32: a small, fast, seedable PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(r: () => number): number {
  const u = Math.max(r(), 1e-12), v = r();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function syntheticTrack(o: SyntheticTrackOptions): SyntheticTrack {
  const ix = o.corridor;
  const r = rng(o.seed ?? 1);
  const fromM = o.fromM ?? 0, toM = Math.min(o.toM ?? ix.lengthM, ix.lengthM);
  const stepM = (o.speedKmh * o.intervalMs) / 3_600_000 * 1000;
  const stops = (o.stops ?? []).slice().sort((a, b) => a.atM - b.atM);
  const fixes: Fix[] = [], gapFixes: Fix[] = [];
  let t = o.startTime;
  let stopIdx = 0;

  const lateral = (s: number) => {
    let off = o.offsetM ?? 0;
    for (const d of o.deviations ?? []) {
      if (s < d.fromM || s > d.toM) continue;
      const ramp = d.rampM ?? Math.abs(d.offsetM);
      off += ramp > 0 ? d.offsetM * Math.min(1, (s - d.fromM) / ramp, (d.toM - s) / ramp) : d.offsetM;
    }
    return off;
  };
  const inGap = (s: number) => (o.gaps ?? []).some((g) => s >= g.fromM && s <= g.toM);
  const emit = (s: number, off: number, speed: number) => {
    const p = pointAt(ix, s, off);
    let lon = p.lon, lat = p.lat;
    if (o.noiseM) {
      lon += (gaussian(r) * o.noiseM) / ix.kx;
      lat += (gaussian(r) * o.noiseM) / ix.ky;
    }
    const f: Fix = { time: t, lon, lat, speedKmh: speed, heading: Math.round(p.heading) };
    if (o.batteryPct !== undefined) {
      const b = o.batteryPct - ((o.batteryDrainPctPerHour ?? 0) * (t - o.startTime)) / 3_600_000;
      f.batteryPct = Math.max(0, Math.round(b * 10) / 10);
    }
    if (inGap(s)) gapFixes.push({ ...f, late: true });
    else fixes.push(f);
    t += o.intervalMs;
  };

  for (let s = fromM; ; s += stepM) {
    if (s > toM) s = toM;
    while (stopIdx < stops.length && stops[stopIdx].atM <= s) {
      const st = stops[stopIdx++];
      const end = t + st.durationMs;
      const off = st.offsetM ?? lateral(st.atM);
      while (t < end) emit(st.atM, off, 0);
    }
    emit(s, lateral(s), o.speedKmh);
    if (s >= toM) break;
  }
  if (o.dwellAtEndMs) {
    const end = t + o.dwellAtEndMs;
    while (t < end) emit(toM, lateral(toM), 0);
  }
  return { fixes, gapFixes, endTime: t - o.intervalMs };
}
