/**
 * Builds a trip's rule context from the registry: the route's corridor (indexed once per route
 * version and shared by every trip on it), its stop zones, the trip's places by role, the unseal
 * zone (= the destination) and the deadline.
 *
 * Place roles: the route's place_ids are [origin, CN boundary, HK boundary, destination]; the
 * trip's own origin and destination take precedence over the route's ends.
 */
import type { AppContext } from '../../platform/context.ts';
import type { PlaceRow, RouteRow, TripRow } from '../../platform/db/schema.ts';
import { corridorFromGeoJSON, type CorridorIndex } from '../corridor.ts';
import { fenceFromPlace, type Fence } from '../geofence.ts';
import type { RuleConfig, TripContext } from '../types.ts';
import { tripRuleConfig } from './rule-settings.ts';

/** Trip states whose positions the rules evaluate: from sealing until the seal is removed. */
export const SUPERVISED_STATES = ['sealed', 'in_transit', 'at_boundary', 'handed_over', 'arrived', 'overdue', 'inspection', 'held', 'suspended'] as const;
export const isSupervised = (state: string) => (SUPERVISED_STATES as readonly string[]).includes(state);

export interface LoadedTrip {
  tripId: string;
  deviceId: string | null;
  context: TripContext;
  config: RuleConfig;
}

const fenceOf = (p: PlaceRow): Fence => fenceFromPlace({ id: p.id, name: p.name, geometry: JSON.parse(p.geometry), radiusM: p.radius_m });

export class TripContextLoader {
  /** route id + version → corridor: indexing a 610 km line once, not per trip. */
  private corridors = new Map<string, CorridorIndex>();
  private fences = new Map<string, Fence>();

  constructor(private ctx: AppContext) {}

  private async places(ids: string[]): Promise<Map<string, Fence>> {
    const missing = ids.filter((id) => !this.fences.has(id));
    if (missing.length) {
      const rows = await this.ctx.store.db.selectFrom('places').selectAll().where('id', 'in', [...new Set(missing)]).execute();
      for (const r of rows) this.fences.set(r.id, fenceOf(r));
    }
    const out = new Map<string, Fence>();
    for (const id of ids) { const f = this.fences.get(id); if (f) out.set(id, f); }
    return out;
  }

  async load(trip: TripRow): Promise<LoadedTrip> {
    const route: RouteRow = await this.ctx.store.db.selectFrom('routes').selectAll().where('id', '=', trip.route_id).executeTakeFirstOrThrow();
    const key = `${route.id}@${route.version}`;
    let corridor = this.corridors.get(key);
    if (!corridor) this.corridors.set(key, (corridor = corridorFromGeoJSON(JSON.parse(route.geometry))));
    const placeIds: string[] = JSON.parse(route.place_ids);
    const stopIds: string[] = JSON.parse(route.stop_zone_ids);
    const f = await this.places([...placeIds, ...stopIds, trip.origin_place_id, trip.destination_place_id]);
    const origin = f.get(trip.origin_place_id) ?? f.get(placeIds[0]);
    const destination = f.get(trip.destination_place_id) ?? f.get(placeIds[placeIds.length - 1]);
    // Two ends only: no boundary places. Three: one boundary (CN side). Four: both sides.
    const boundary = placeIds.length >= 3 ? f.get(placeIds[1]) : undefined;
    const border = placeIds.length >= 4 ? f.get(placeIds[2]) : undefined;
    const config = tripRuleConfig(this.ctx.settings, route.rule_overrides);
    // deadline_at = seal time + limit (trips.ts seal effect), so the seal time follows from it.
    const deadline = trip.deadline_at ? Date.parse(trip.deadline_at) : Date.parse(trip.created_at) + trip.time_limit_min * 60_000;
    const context: TripContext = {
      corridor,
      // The route's own width, unless its rule overrides name one explicitly.
      corridorWidthM: 'corridorWidthM' in JSON.parse(route.rule_overrides || '{}') ? config.corridorWidthM : route.corridor_width_m,
      allowedStopZones: stopIds.map((id) => f.get(id)).filter((x): x is Fence => !!x),
      places: { origin, boundary, border, destination },
      unsealZone: destination,
      deadline,
      departureTime: deadline - trip.time_limit_min * 60_000,
    };
    return { tripId: trip.id, deviceId: trip.device_id, context, config };
  }
}
