/**
 * Route corridor index: built once per route, queried on every position.
 *
 * The route is projected once with cheap-ruler's factors at the route's mid latitude
 * (x = lon·kx, y = lat·ky, in metres), so a point-to-segment distance is plain planar
 * arithmetic with no allocation. A flatbush index over the segment bounding boxes (in the
 * same projected metres) answers the fallback query. `locate` first tries the segments
 * around the last matched one (the hint) and only falls back to the index when the point
 * is not close to them, so a truck driving along the route costs ~4 segment tests per fix.
 *
 * Error: a 610 km route spans ~2.5° of latitude; one set of factors is within ~1% there
 * (≈5 m at a 500 m corridor edge), which is well inside GPS noise.
 */
import CheapRuler from 'cheap-ruler';
import Flatbush from 'flatbush';

export type LonLat = readonly [number, number];

export interface CorridorIndex {
  /** Number of segments (vertices − 1). */
  readonly segments: number;
  /** Projected vertex coordinates in metres. */
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  /** Along-route distance (m) at each vertex. */
  readonly cum: Float64Array;
  readonly lengthM: number;
  /** cheap-ruler factors (metres per degree) at the route's mid latitude. */
  readonly kx: number;
  readonly ky: number;
  /** A hint match closer than this is accepted without the global query (squared metres). */
  readonly accept2: number;
  readonly tree: Flatbush;
  readonly coordinates: readonly LonLat[];
}

export interface Located {
  /** Distance from the route (m). */
  distanceM: number;
  /** Index of the nearest segment. */
  segment: number;
  /** Distance along the route to the nearest point (m). */
  alongM: number;
}

export interface CorridorOptions {
  /**
   * A match on the hint segments within this distance is taken as final (default 1000 m).
   * Set it at or above the corridor width so an on-route truck never needs the index.
   */
  acceptM?: number;
}

export function buildCorridor(coordinates: readonly LonLat[], opts: CorridorOptions = {}): CorridorIndex {
  if (coordinates.length < 2) throw new Error('a route needs at least two coordinates');
  let minLat = Infinity, maxLat = -Infinity;
  for (const c of coordinates) {
    if (c[1] < minLat) minLat = c[1];
    if (c[1] > maxLat) maxLat = c[1];
  }
  const ruler = new CheapRuler((minLat + maxLat) / 2, 'meters');
  const n = coordinates.length;
  const xs = new Float64Array(n), ys = new Float64Array(n), cum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = coordinates[i][0] * ruler.kx;
    ys[i] = coordinates[i][1] * ruler.ky;
    if (i > 0) cum[i] = cum[i - 1] + Math.hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]);
  }
  const tree = new Flatbush(n - 1);
  for (let i = 0; i < n - 1; i++) {
    tree.add(Math.min(xs[i], xs[i + 1]), Math.min(ys[i], ys[i + 1]), Math.max(xs[i], xs[i + 1]), Math.max(ys[i], ys[i + 1]));
  }
  tree.finish();
  const acceptM = opts.acceptM ?? 1000;
  return {
    segments: n - 1,
    xs,
    ys,
    cum,
    lengthM: cum[n - 1],
    kx: ruler.kx,
    ky: ruler.ky,
    accept2: acceptM * acceptM,
    tree,
    coordinates: coordinates.map((c) => [c[0], c[1]] as const),
  };
}

/** A route corridor from a GeoJSON LineString (geometry or feature). */
export function corridorFromGeoJSON(
  g: { type: 'LineString'; coordinates: number[][] } | { type: 'Feature'; geometry: { type: 'LineString'; coordinates: number[][] } },
  opts?: CorridorOptions,
): CorridorIndex {
  const geom = g.type === 'Feature' ? g.geometry : g;
  return buildCorridor(geom.coordinates.map((c) => [c[0], c[1]] as const), opts);
}

// Scratch for the segment test: parameter t of the last call (no allocation on the hot path).
let segT = 0;

function segDist2(ix: CorridorIndex, s: number, px: number, py: number): number {
  const ax = ix.xs[s], ay = ix.ys[s];
  const dx = ix.xs[s + 1] - ax, dy = ix.ys[s + 1] - ay;
  const l2 = dx * dx + dy * dy;
  let t = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  segT = t;
  const ex = ax + dx * t - px, ey = ay + dy * t - py;
  return ex * ex + ey * ey;
}

/**
 * Nearest point of the route to (lon, lat). With `hintSegment` (the segment matched for the
 * previous fix) the segments hint−1 … hint+2 are tried first; a match within `acceptM` is final.
 * Otherwise the flatbush index gives the exact nearest segment. Pass `out` to avoid allocating.
 */
export function locate(ix: CorridorIndex, lon: number, lat: number, hintSegment = -1, out?: Located): Located {
  const px = lon * ix.kx, py = lat * ix.ky;
  const last = ix.segments - 1;
  let best2 = Infinity, bestSeg = -1, bestT = 0;
  if (hintSegment >= 0 && hintSegment <= last) {
    const lo = hintSegment > 0 ? hintSegment - 1 : 0;
    const hi = hintSegment + 2 < last ? hintSegment + 2 : last;
    for (let s = lo; s <= hi; s++) {
      const d2 = segDist2(ix, s, px, py);
      if (d2 < best2) {
        best2 = d2;
        bestSeg = s;
        bestT = segT;
      }
    }
  }
  if (!(best2 <= ix.accept2)) {
    if (bestSeg < 0) {
      const near = ix.tree.neighbors(px, py, 1);
      bestSeg = near[0];
      best2 = segDist2(ix, bestSeg, px, py);
      bestT = segT;
    }
    // Every segment that can be nearer than the current best has its box within that radius.
    const r = Math.sqrt(best2);
    const cands = ix.tree.search(px - r, py - r, px + r, py + r);
    for (let k = 0; k < cands.length; k++) {
      const s = cands[k];
      const d2 = segDist2(ix, s, px, py);
      // Ties go to the segment nearest the hint, then the lower index (stable progress).
      if (d2 < best2 || (d2 === best2 && hintSegment >= 0 && Math.abs(s - hintSegment) < Math.abs(bestSeg - hintSegment))) {
        best2 = d2;
        bestSeg = s;
        bestT = segT;
      }
    }
  }
  const o = out ?? { distanceM: 0, segment: 0, alongM: 0 };
  o.distanceM = Math.sqrt(best2);
  o.segment = bestSeg;
  o.alongM = ix.cum[bestSeg] + bestT * (ix.cum[bestSeg + 1] - ix.cum[bestSeg]);
  return o;
}

/** Planar distance in metres between two lon/lat points with the corridor's factors. */
export function corridorDistance(ix: CorridorIndex, lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dx = (lon1 - lon2) * ix.kx, dy = (lat1 - lat2) * ix.ky;
  return Math.sqrt(dx * dx + dy * dy);
}

/**
 * The point at `alongM` along the route, shifted `offsetM` to the left of the direction of
 * travel (negative = right); with the bearing of travel in degrees (0 = north, clockwise).
 */
export function pointAt(ix: CorridorIndex, alongM: number, offsetM = 0): { lon: number; lat: number; heading: number } {
  const a = Math.max(0, Math.min(ix.lengthM, alongM));
  let lo = 0, hi = ix.segments - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ix.cum[mid] <= a) lo = mid;
    else hi = mid - 1;
  }
  const s = lo;
  const len = ix.cum[s + 1] - ix.cum[s];
  const t = len > 0 ? (a - ix.cum[s]) / len : 0;
  const dx = ix.xs[s + 1] - ix.xs[s], dy = ix.ys[s + 1] - ix.ys[s];
  const norm = Math.hypot(dx, dy) || 1;
  const x = ix.xs[s] + dx * t + (-dy / norm) * offsetM;
  const y = ix.ys[s] + dy * t + (dx / norm) * offsetM;
  const heading = ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
  return { lon: x / ix.kx, lat: y / ix.ky, heading };
}
