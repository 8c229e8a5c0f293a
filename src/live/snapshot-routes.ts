import { Type } from 'typebox';
import type { RouteModule } from '../platform/http/app.ts';
import { ownEnterprise } from '../platform/http/auth-hooks.ts';
import { severityRank } from '../alerts/alert-model.ts';

/**
 * GET /api/v1/live/snapshot: where every active trip is now, with its state, plate and worst open
 * alert. The map loads this once and then follows the live WebSocket, so it needs no per-trip track
 * requests (5,000 trucks would be 5,000 requests).
 */
export const snapshotRoutes: RouteModule = (app, ctx) => {
  app.get('/api/v1/live/snapshot', {
    config: { roles: ['enterprise', 'officer', 'supervisor'] },
    schema: { tags: ['live'], summary: 'Latest position, state and worst open alert of every active trip', response: { 200: Type.Object({ items: Type.Array(Type.Any()) }) } },
  }, async (req) => {
    const db = ctx.store.db;
    const own = ownEnterprise(req);
    let trips = db.selectFrom('trips').leftJoin('vehicles', 'vehicles.id', 'trips.vehicle_id')
      .select(['trips.id', 'trips.state', 'trips.enterprise_id', 'trips.route_id', 'trips.direction', 'vehicles.plate_cn', 'vehicles.plate_hk'])
      .where('trips.state', 'not in', ['closed', 'cancelled', 'draft', 'submitted']);
    if (own) trips = trips.where('trips.enterprise_id', '=', own);
    const rows = await trips.execute();
    if (!rows.length) return { items: [] };
    const ids = rows.map((r) => r.id);
    const latest = new Map<string, { lat: number; lon: number; heading: number; speed_kmh: number; fix_time: string }>();
    const worst = new Map<string, string>();
    // Chunked so the IN list stays under SQLite's parameter limit.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const last = db.selectFrom('positions').select((eb) => eb.fn.max('id').as('id')).where('trip_id', 'in', chunk).groupBy('trip_id');
      const pos = await db.selectFrom('positions').select(['trip_id', 'lat', 'lon', 'heading', 'speed_kmh', 'fix_time']).where('id', 'in', last).execute();
      for (const p of pos) latest.set(p.trip_id!, p);
      const al = await db.selectFrom('alerts').select(['trip_id', 'severity']).where('trip_id', 'in', chunk).where('state', '!=', 'resolved').execute();
      for (const a of al) if (!worst.has(a.trip_id) || severityRank(a.severity) > severityRank(worst.get(a.trip_id)!)) worst.set(a.trip_id, a.severity);
    }
    return {
      items: rows.map((r) => {
        const p = latest.get(r.id);
        return {
          tripId: r.id, state: r.state, enterpriseId: r.enterprise_id, routeId: r.route_id, direction: r.direction, plate: r.plate_cn ?? r.plate_hk ?? null,
          lat: p?.lat ?? null, lon: p?.lon ?? null, heading: p?.heading ?? null, speedKmh: p?.speed_kmh ?? null, fixTime: p ? new Date(p.fix_time).toISOString() : null,
          alertSeverity: worst.get(r.id) ?? null,
        };
      }),
    };
  });
};
