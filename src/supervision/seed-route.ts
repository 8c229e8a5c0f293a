/**
 * The real seed route and its places (src/registry/seed/places-and-routes.geojson) as a
 * TripContext: for tests, the emulator and benches. The platform builds contexts from the
 * registry instead; this only reads the seed file.
 */
import { readFileSync } from 'node:fs';
import { buildCorridor, type CorridorIndex, type LonLat } from './corridor.ts';
import { circleFence, type Fence } from './geofence.ts';
import type { TripContext } from './types.ts';

interface SeedFeature {
  geometry: { type: string; coordinates: number[] | number[][] };
  properties: { name: string; kind: string; radiusM?: number; corridorWidthM?: number; timeLimitH?: number };
}

export interface SeedRoute {
  corridor: CorridorIndex;
  corridorWidthM: number;
  timeLimitH: number;
  /** Every Point place of the seed as a circle fence, by name. */
  fences: Record<string, Fence>;
  restAreas: Fence[];
  places: TripContext['places'];
}

let cached: SeedRoute | null = null;

export function loadSeedRoute(): SeedRoute {
  if (cached) return cached;
  const url = new URL('../registry/seed/places-and-routes.geojson', import.meta.url);
  const fc = JSON.parse(readFileSync(url, 'utf8')) as { features: SeedFeature[] };
  const line = fc.features.find((f) => f.geometry.type === 'LineString')!;
  const fences: Record<string, Fence> = {};
  for (const f of fc.features) {
    if (f.geometry.type !== 'Point') continue;
    const [lon, lat] = f.geometry.coordinates as number[];
    fences[f.properties.name] = circleFence(f.properties.name, lon, lat, f.properties.radiusM ?? 0, f.properties.name);
  }
  const restAreas = fc.features.filter((f) => f.properties.kind === 'rest_area').map((f) => fences[f.properties.name]);
  cached = {
    corridor: buildCorridor((line.geometry.coordinates as number[][]).map((c) => [c[0], c[1]] as LonLat)),
    corridorWidthM: line.properties.corridorWidthM ?? 500,
    timeLimitH: line.properties.timeLimitH ?? 14,
    fences,
    restAreas,
    places: {
      origin: fences['Jinjiang Land Port'],
      boundary: fences['Shenzhen Bay Port (Shenzhen side)'],
      border: fences['Shenzhen Bay Control Point (HK side)'],
      destination: fences['HK International Airport cargo terminals'],
    },
  };
  return cached;
}

/** A TripContext on the seed route departing at `departureTime`. */
export function seedTripContext(departureTime: number, over: Partial<TripContext> = {}): TripContext {
  const r = loadSeedRoute();
  return {
    corridor: r.corridor,
    corridorWidthM: r.corridorWidthM,
    allowedStopZones: r.restAreas,
    places: r.places,
    deadline: departureTime + r.timeLimitH * 3_600_000,
    departureTime,
    ...over,
  };
}
