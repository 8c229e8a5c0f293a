/**
 * Geofences: a place is a circle (centre + radiusM) or a GeoJSON Polygon (holes respected).
 * Each fence is compiled once with cheap-ruler factors at its own latitude into projected
 * metres, so a test is a bounding-box reject plus planar arithmetic with no allocation.
 */
import CheapRuler from 'cheap-ruler';

export interface Fence {
  readonly id: string;
  readonly name?: string;
  readonly kind: 'circle' | 'polygon';
  readonly kx: number;
  readonly ky: number;
  /** Projected bounding box (m). */
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Circle: projected centre and radius. */
  readonly cx: number;
  readonly cy: number;
  readonly radiusM: number;
  /** Polygon: rings as interleaved projected x,y (closed or not; treated as closed). */
  readonly rings: readonly Float64Array[];
}

export type PlaceGeometry = { type: 'Point'; coordinates: number[] } | { type: 'Polygon'; coordinates: number[][][] };

export function circleFence(id: string, lon: number, lat: number, radiusM: number, name?: string): Fence {
  const r = new CheapRuler(lat, 'meters');
  const cx = lon * r.kx, cy = lat * r.ky;
  return { id, name, kind: 'circle', kx: r.kx, ky: r.ky, cx, cy, radiusM, rings: [], minX: cx - radiusM, minY: cy - radiusM, maxX: cx + radiusM, maxY: cy + radiusM };
}

export function polygonFence(id: string, coordinates: number[][][], name?: string): Fence {
  if (!coordinates.length || coordinates[0].length < 3) throw new Error(`fence ${id}: a polygon needs a ring of at least 3 points`);
  let lat0 = 0;
  for (const p of coordinates[0]) lat0 += p[1];
  const r = new CheapRuler(lat0 / coordinates[0].length, 'meters');
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const rings = coordinates.map((ring) => {
    const a = new Float64Array(ring.length * 2);
    ring.forEach((p, i) => {
      const x = p[0] * r.kx, y = p[1] * r.ky;
      a[2 * i] = x;
      a[2 * i + 1] = y;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    });
    return a;
  });
  return { id, name, kind: 'polygon', kx: r.kx, ky: r.ky, cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, radiusM: 0, rings, minX, minY, maxX, maxY };
}

/** A fence from a place as the registry stores it (Point + radiusM, or Polygon). */
export function fenceFromPlace(place: { id: string | number; name?: string; geometry: PlaceGeometry; radiusM?: number | null }): Fence {
  const g = place.geometry;
  if (g.type === 'Point') return circleFence(String(place.id), g.coordinates[0], g.coordinates[1], place.radiusM ?? 0, place.name);
  return polygonFence(String(place.id), g.coordinates, place.name);
}

function inRing(ring: Float64Array, x: number, y: number): boolean {
  let inside = false;
  const n = ring.length >> 1;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[2 * i], yi = ring[2 * i + 1], xj = ring[2 * j], yj = ring[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function ringDist2(ring: Float64Array, x: number, y: number): number {
  let best = Infinity;
  const n = ring.length >> 1;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const ax = ring[2 * j], ay = ring[2 * j + 1];
    const dx = ring[2 * i] - ax, dy = ring[2 * i + 1] - ay;
    const l2 = dx * dx + dy * dy;
    let t = l2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / l2 : 0;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
    const ex = ax + dx * t - x, ey = ay + dy * t - y;
    const d2 = ex * ex + ey * ey;
    if (d2 < best) best = d2;
  }
  return best;
}

/** Signed distance (m) from the fence boundary: negative inside, positive outside. */
export function fenceSignedDistance(f: Fence, lon: number, lat: number): number {
  const x = lon * f.kx, y = lat * f.ky;
  if (f.kind === 'circle') {
    const dx = x - f.cx, dy = y - f.cy;
    return Math.sqrt(dx * dx + dy * dy) - f.radiusM;
  }
  let d2 = Infinity;
  for (const r of f.rings) {
    const d = ringDist2(r, x, y);
    if (d < d2) d2 = d;
  }
  const d = Math.sqrt(d2);
  return insidePolygon(f, x, y) ? -d : d;
}

function insidePolygon(f: Fence, x: number, y: number): boolean {
  if (!inRing(f.rings[0], x, y)) return false;
  for (let k = 1; k < f.rings.length; k++) if (inRing(f.rings[k], x, y)) return false;
  return true;
}

/**
 * Whether (lon, lat) is inside the fence grown by `marginM` (a negative margin shrinks a circle;
 * for polygons a non-zero margin uses the exact distance to the boundary).
 */
export function inFence(f: Fence, lon: number, lat: number, marginM = 0): boolean {
  const x = lon * f.kx, y = lat * f.ky;
  const m = marginM > 0 ? marginM : 0;
  if (x < f.minX - m || x > f.maxX + m || y < f.minY - m || y > f.maxY + m) return false;
  if (f.kind === 'circle') {
    const dx = x - f.cx, dy = y - f.cy;
    const r = f.radiusM + marginM;
    return r >= 0 && dx * dx + dy * dy <= r * r;
  }
  if (marginM === 0) return insidePolygon(f, x, y);
  return fenceSignedDistance(f, lon, lat) <= marginM;
}

/** Whether the point is inside any of the fences. */
export function inAnyFence(fences: readonly Fence[], lon: number, lat: number, marginM = 0): Fence | null {
  for (let i = 0; i < fences.length; i++) if (inFence(fences[i], lon, lat, marginM)) return fences[i];
  return null;
}
