import CheapRuler from 'cheap-ruler';
import type { Geometry } from './validate.ts';

/** Whether a point lies in a place: a circle (Point + radius) or a Polygon (holes respected). */
export function inPlace(geometry: Geometry, radiusM: number | null, lon: number, lat: number): boolean {
  if (geometry.type === 'Point') {
    const ruler = new CheapRuler(geometry.coordinates[1], 'meters');
    return ruler.distance([lon, lat], geometry.coordinates as [number, number]) <= (radiusM ?? 0);
  }
  if (geometry.type === 'Polygon') {
    const [outer, ...holes] = geometry.coordinates;
    return inRing(outer, lon, lat) && !holes.some((h) => inRing(h, lon, lat));
  }
  return false;
}

function inRing(ring: number[][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
