/**
 * Field validators shared by the registry and transit APIs. Each throws a 400 that names the field
 * and carries a stable code; each is a pure function.
 */
import { invalidField } from '../platform/errors.ts';

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character of a unified social credit code (GB 32100-2015). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARS[(31 - (sum % 31)) % 31];
}

export function checkUscc(field: string, v: string): string {
  const code = v.trim().toUpperCase();
  if (!/^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/.test(code)) throw invalidField(field, 'must be an 18-character unified social credit code', 'invalid_uscc');
  if (usccCheckChar(code.slice(0, 17)) !== code[17]) throw invalidField(field, 'check character does not match (GB 32100-2015)', 'invalid_uscc');
  return code;
}

// Province abbreviation, issuing-authority letter, then 5 (or 6 for new-energy) characters;
// cross-border trucks often carry a 粤Z…港/澳 plate, whose last character is 港 or 澳.
const CN_PLATE = /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学港澳]$/;
export function checkCnPlate(field: string, v: string): string {
  const p = v.trim().toUpperCase().replace(/[\s·.-]/g, '');
  if (!CN_PLATE.test(p)) throw invalidField(field, `"${v}" is not a mainland plate (e.g. 闽C12345 or 粤Z1234港)`, 'invalid_plate');
  return p;
}
// Hong Kong: up to two letters then up to four digits (personalised plates are out of scope for freight).
export function checkHkPlate(field: string, v: string): string {
  const p = v.trim().toUpperCase().replace(/\s/g, '');
  if (!/^[A-HJ-NPR-Z]{1,2}[1-9]\d{0,3}$/.test(p)) throw invalidField(field, `"${v}" is not a Hong Kong plate (e.g. XY1234)`, 'invalid_plate');
  return p;
}

export function checkHsCode(field: string, v: string): string {
  const c = v.replace(/[.\s]/g, '');
  if (!/^\d{6}(\d{2}){0,2}$/.test(c)) throw invalidField(field, 'HS code must have 6, 8 or 10 digits', 'invalid_hs_code');
  return c;
}

// ISO 6346: owner (3 letters) + category (U/J/Z) + 6 digits + check digit.
export function checkContainerNo(field: string, v: string): string {
  const c = v.trim().toUpperCase();
  if (!/^[A-Z]{3}[UJZ]\d{7}$/.test(c)) throw invalidField(field, 'container number must look like ABCU1234565 (ISO 6346)', 'invalid_container_no');
  const val = (ch: string) => {
    if (/\d/.test(ch)) return +ch;
    const n = ch.charCodeAt(0) - 55; // A=10, skipping multiples of 11
    return n + Math.floor((n - 1) / 10);
  };
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += val(c[i]) * 2 ** i;
  if ((sum % 11) % 10 !== +c[10]) throw invalidField(field, 'container check digit does not match (ISO 6346)', 'invalid_container_no');
  return c;
}

export function checkCurrency(field: string, v: string): string {
  if (!/^[A-Z]{3}$/.test(v)) throw invalidField(field, 'currency must be an ISO 4217 code such as CNY', 'invalid_currency');
  return v;
}

type Position = number[];
function checkPosition(field: string, p: unknown): Position {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((n) => typeof n === 'number' && Number.isFinite(n)))
    throw invalidField(field, 'a position is [longitude, latitude]', 'invalid_geometry');
  const [lon, lat] = p as number[];
  if (lon < -180 || lon > 180) throw invalidField(field, `longitude ${lon} is outside -180..180`, 'invalid_coordinates');
  if (lat < -90 || lat > 90) throw invalidField(field, `latitude ${lat} is outside -90..90`, 'invalid_coordinates');
  return p as Position;
}

export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'LineString'; coordinates: Position[] };

/** Validates GeoJSON geometry of the allowed types, naming the failing path. */
export function checkGeometry(field: string, g: unknown, allowed: Array<Geometry['type']>): Geometry {
  if (!g || typeof g !== 'object') throw invalidField(field, 'must be a GeoJSON geometry object', 'invalid_geometry');
  const { type, coordinates } = g as { type: unknown; coordinates: unknown };
  if (!allowed.includes(type as Geometry['type'])) throw invalidField(`${field}.type`, `must be one of ${allowed.join(', ')}`, 'invalid_geometry');
  if (type === 'Point') return { type, coordinates: checkPosition(`${field}.coordinates`, coordinates) };
  if (type === 'LineString') {
    if (!Array.isArray(coordinates) || coordinates.length < 2) throw invalidField(`${field}.coordinates`, 'a LineString needs at least 2 positions', 'invalid_geometry');
    const pts = coordinates.map((p, i) => checkPosition(`${field}.coordinates[${i}]`, p));
    if (pts.every((p) => p[0] === pts[0]![0] && p[1] === pts[0]![1])) throw invalidField(`${field}.coordinates`, 'a LineString needs two different positions', 'invalid_geometry');
    return { type, coordinates: pts };
  }
  if (!Array.isArray(coordinates) || coordinates.length < 1) throw invalidField(`${field}.coordinates`, 'a Polygon needs at least one ring', 'invalid_geometry');
  const rings = coordinates.map((ring, r) => {
    if (!Array.isArray(ring) || ring.length < 4) throw invalidField(`${field}.coordinates[${r}]`, 'a ring needs at least 4 positions', 'invalid_geometry');
    const pts = ring.map((p, i) => checkPosition(`${field}.coordinates[${r}][${i}]`, p));
    const [a, b] = [pts[0], pts[pts.length - 1]];
    if (a[0] !== b[0] || a[1] !== b[1]) throw invalidField(`${field}.coordinates[${r}]`, 'a ring must be closed (first position = last)', 'invalid_geometry');
    const crossing = selfCrossing(pts);
    if (crossing) throw invalidField(`${field}.coordinates[${r}]`, `the ring crosses itself (edges ${crossing[0]} and ${crossing[1]})`, 'invalid_geometry');
    return pts;
  });
  return { type: 'Polygon', coordinates: rings };
}

/** Rings longer than this are not checked for crossings (the O(n²) test would cost more than it saves). */
const MAX_CROSSING_CHECK = 2000;

/**
 * The first two edges of a closed ring that cross or touch, other than neighbours meeting at their
 * shared vertex; null for a simple ring. A bow-tie fence has no inside and outside that the
 * point-in-polygon test could agree on.
 */
export function selfCrossing(ring: Position[]): [number, number] | null {
  const n = ring.length - 1; // edges; the last position repeats the first
  if (n < 3 || n > MAX_CROSSING_CHECK) return null;
  const orient = (p: Position, q: Position, r: Position) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  const onSeg = (p: Position, q: Position, r: Position) => Math.min(p[0], r[0]) <= q[0] && q[0] <= Math.max(p[0], r[0]) && Math.min(p[1], r[1]) <= q[1] && q[1] <= Math.max(p[1], r[1]);
  const meet = (p1: Position, p2: Position, p3: Position, p4: Position) => {
    const [d1, d2, d3, d4] = [orient(p3, p4, p1), orient(p3, p4, p2), orient(p1, p2, p3), orient(p1, p2, p4)];
    if (d1 !== d2 && d3 !== d4 && d1 !== 0 && d2 !== 0 && d3 !== 0 && d4 !== 0) return true;
    return (d1 === 0 && onSeg(p3, p1, p4)) || (d2 === 0 && onSeg(p3, p2, p4)) || (d3 === 0 && onSeg(p1, p3, p2)) || (d4 === 0 && onSeg(p1, p4, p2));
  };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue; // neighbours share a vertex
      if (meet(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return [i, j];
    }
  }
  return null;
}
