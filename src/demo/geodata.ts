import fs from 'node:fs';
import type { Geometry } from '../registry/validate.ts';

export interface SeedPlace { name: string; nameZh: string; kind: string; jurisdiction: 'CN' | 'HK'; geometry: Geometry; radiusM: number }
export interface SeedRoute { name: string; geometry: Geometry; corridorWidthM: number; timeLimitH: number; placeNames: string[] }

/** The route's ordered places: origin, the CN and HK boundary control points, destination. */
const ROUTE_PLACES = ['Jinjiang Land Port', 'Shenzhen Bay Port (Shenzhen side)', 'Shenzhen Bay Control Point (HK side)', 'HK International Airport cargo terminals'];

/** Places and the Jinjiang → Shenzhen Bay → HK route, from the copy shipped in the product. */
export function placesAndRoute(): { places: SeedPlace[]; route: SeedRoute } {
  const fc = JSON.parse(fs.readFileSync(new URL('../registry/seed/places-and-routes.geojson', import.meta.url), 'utf8'));
  const places: SeedPlace[] = [];
  let route: SeedRoute | null = null;
  for (const f of fc.features) {
    const pr = f.properties;
    if (f.geometry.type === 'Point') places.push({ name: pr.name, nameZh: pr.nameZh, kind: pr.kind, jurisdiction: pr.jurisdiction, geometry: f.geometry, radiusM: pr.radiusM });
    else if (pr.kind === 'route') route = { name: pr.name, geometry: f.geometry, corridorWidthM: pr.corridorWidthM, timeLimitH: pr.timeLimitH, placeNames: ROUTE_PLACES };
  }
  if (!route) throw new Error('seed geodata has no route');
  return { places, route };
}
