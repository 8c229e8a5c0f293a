/**
 * Builds a trip's rule context from the registry: the route's corridor (indexed once per route
 * version and shared by every trip on it), its stop zones, the trip's places by role, the unseal
 * zone (= the destination) and the deadline.
 *
 * Place roles: the route's place_ids are [origin, CN boundary, HK boundary, destination]; the
 * trip's own origin and destination take precedence over the route's ends.
 *
 * Everything that depends only on the route (corridor, width, stop zones, boundary places, the
 * merged rule configuration) is built once per route and shared by reference, so 10,000 trips on
 * one route hold one corridor and one RuleConfig. A registry change (`route.changed`,
 * `place.changed`) forgets what it touched: `forgetRoute` / `forgetPlace`.
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
  routeId: string;
  deviceId: string | null;
  context: TripContext;
  config: RuleConfig;
}

/** The parts of a trip context that only depend on the route (and its places). */
interface RoutePart {
  version: number;
  corridor: CorridorIndex;
  corridorWidthM: number;
  allowedStopZones: readonly Fence[];
  placeIds: string[];
  /** Every place this route's trips read: route places and stop zones. */
  uses: Set<string>;
  config: RuleConfig;
}

const fenceOf = (p: PlaceRow): Fence => fenceFromPlace({ id: p.id, name: p.name, geometry: JSON.parse(p.geometry), radiusM: p.radius_m });

export class TripContextLoader {
  private routes = new Map<string, RoutePart>();
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

  private async route(routeId: string): Promise<RoutePart> {
    const have = this.routes.get(routeId);
    if (have) return have;
    const route: RouteRow = await this.ctx.store.db.selectFrom('routes').selectAll().where('id', '=', routeId).executeTakeFirstOrThrow();
    const placeIds: string[] = JSON.parse(route.place_ids);
    const stopIds: string[] = JSON.parse(route.stop_zone_ids);
    const f = await this.places([...placeIds, ...stopIds]);
    const config = tripRuleConfig(this.ctx.settings, route.rule_overrides);
    const part: RoutePart = {
      version: route.version,
      corridor: corridorFromGeoJSON(JSON.parse(route.geometry)),
      // The route's own width, unless its rule overrides name one explicitly.
      corridorWidthM: 'corridorWidthM' in JSON.parse(route.rule_overrides || '{}') ? config.corridorWidthM : route.corridor_width_m,
      allowedStopZones: stopIds.map((id) => f.get(id)).filter((x): x is Fence => !!x),
      placeIds,
      uses: new Set([...placeIds, ...stopIds]),
      config,
    };
    this.routes.set(routeId, part);
    return part;
  }

  /** The route changed: its next load reads it again. */
  forgetRoute(routeId: string) { this.routes.delete(routeId); }

  /** A place changed: its fence and every route that uses it are read again on next load. */
  forgetPlace(placeId: string) {
    this.fences.delete(placeId);
    for (const [id, r] of this.routes) if (r.uses.has(placeId)) this.routes.delete(id);
  }

  async load(trip: TripRow): Promise<LoadedTrip> {
    const r = await this.route(trip.route_id);
    const f = await this.places([...r.placeIds, trip.origin_place_id, trip.destination_place_id]);
    const { placeIds } = r;
    const origin = f.get(trip.origin_place_id) ?? f.get(placeIds[0]);
    const destination = f.get(trip.destination_place_id) ?? f.get(placeIds[placeIds.length - 1]);
    // Two ends only: no boundary places. Three: one boundary (CN side). Four: both sides.
    const boundary = placeIds.length >= 3 ? f.get(placeIds[1]) : undefined;
    const border = placeIds.length >= 4 ? f.get(placeIds[2]) : undefined;
    // deadline_at = seal time + limit (trips.ts seal effect), so the seal time follows from it.
    const deadline = trip.deadline_at ? Date.parse(trip.deadline_at) : Date.parse(trip.created_at) + trip.time_limit_min * 60_000;
    const context: TripContext = {
      corridor: r.corridor,
      corridorWidthM: r.corridorWidthM,
      allowedStopZones: r.allowedStopZones,
      places: { origin, boundary, border, destination },
      unsealZone: destination,
      deadline,
      departureTime: deadline - trip.time_limit_min * 60_000,
    };
    return { tripId: trip.id, routeId: trip.route_id, deviceId: trip.device_id, context, config: r.config };
  }

  /** Whether trips on `routeId` read `placeId` through their route (call before forgetPlace). */
  routeUses(routeId: string, placeId: string) { return this.routes.get(routeId)?.uses.has(placeId) ?? false; }
}
