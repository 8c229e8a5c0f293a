/** A trip's stored track and its timeline, as JSON, CSV or GeoJSON. */
import { parseInstant } from '../platform/dates.ts';
import { Type } from 'typebox';
import CheapRuler from 'cheap-ruler';
import simplify from 'simplify-js';
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';
import type { RouteModule } from '../platform/http/app.ts';
import { ProblemSchema } from '../platform/http/problem.ts';
import { invalidField } from '../platform/errors.ts';
import { loadTrip } from './trips.ts';

const Format = Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('geojson')]));
const errs = { 200: Type.Any(), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

/** Douglas–Peucker in metres: coordinates are projected locally so the tolerance is a distance. */
export function simplifyTrack<T extends { lon: number; lat: number }>(pts: T[], toleranceM: number): T[] {
  if (pts.length < 3 || toleranceM <= 0) return pts;
  const r = new CheapRuler(pts[0].lat, 'meters') as unknown as { kx: number; ky: number };
  const proj = pts.map((p, i) => ({ x: p.lon * r.kx, y: p.lat * r.ky, i }));
  return (simplify(proj, toleranceM, true) as typeof proj).map((q) => pts[q.i]);
}

function send(reply: FastifyReply, format: string | undefined, name: string, rows: object[], geo: () => unknown): any {
  if (format === 'csv') {
    reply.header('content-disposition', `attachment; filename="${name}.csv"`).type('text/csv; charset=utf-8');
    return '\ufeff' + stringify(rows, { header: true, columns: rows.length ? Object.keys(rows[0]) : ['empty'], cast: { object: (v) => JSON.stringify(v), boolean: (v) => (v ? 'true' : 'false') } });
  }
  if (format === 'geojson') return reply.type('application/geo+json').send(geo());
  return { items: rows };
}

const time = (v: string | undefined, field: string) => {
  if (v === undefined) return undefined;
  const t = parseInstant(v);
  if (t === null) throw invalidField(field, `"${v}" is not an ISO 8601 date-time with a zone`, 'invalid_date');
  return new Date(t).toISOString();
};

export const trackRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  const readers = ['enterprise', 'officer', 'supervisor'] as const;

  app.get('/api/v1/trips/:id/track', {
    config: { roles: readers },
    schema: {
      tags: ['trips'],
      summary: 'Positions in fix-time order; simplifyM thins the line for a zoom level; format=json|csv|geojson. Fixes the impossible-jump filter kept but did not use carry filtered=true; excludeFiltered=true leaves them out',
      params: Type.Object({ id: Type.String() }),
      querystring: Type.Object({
        from: Type.Optional(Type.String()), to: Type.Optional(Type.String()), simplifyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100000 })), format: Format,
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200000, default: 50000 })),
        excludeFiltered: Type.Optional(Type.Boolean({ description: 'leave out fixes flagged by the impossible-jump filter' })),
      }),
      response: { 200: Type.Any(), 400: ProblemSchema, 404: ProblemSchema },
    },
  }, async (req, reply): Promise<any> => {
    const trip = await loadTrip(db, req.params.id, req);
    const q = req.query;
    let sel = db.selectFrom('positions').select(['fix_time', 'lat', 'lon', 'speed_kmh', 'heading', 'battery_pct', 'lock_events', 'late', 'filtered']).where('trip_id', '=', trip.id);
    const from = time(q.from, 'query.from'), to = time(q.to, 'query.to');
    if (from) sel = sel.where('fix_time', '>=', from);
    if (to) sel = sel.where('fix_time', '<', to);
    // Left out before simplifying, so a jump far off the line does not survive Douglas–Peucker as a "corner".
    if (q.excludeFiltered) sel = sel.where('filtered', '=', 0);
    const rows = (await sel.orderBy('fix_time').orderBy('id').limit(q.limit ?? 50000).execute()).map((p) => ({
      fixTime: p.fix_time, lat: p.lat, lon: p.lon, speedKmh: p.speed_kmh, heading: p.heading, batteryPct: p.battery_pct, lockEvents: JSON.parse(p.lock_events) as string[], late: !!p.late, filtered: !!p.filtered,
    }));
    const pts = simplifyTrack(rows, q.simplifyM ?? 0);
    return send(reply, q.format, `track-${trip.id}`, pts, () => ({
      type: 'FeatureCollection',
      features: [{
        type: 'Feature',
        // A LineString has no per-vertex properties: times and filtered run parallel to the coordinates.
        properties: { tripId: trip.id, points: pts.length, from: pts[0]?.fixTime ?? null, to: pts.at(-1)?.fixTime ?? null, times: pts.map((p) => p.fixTime), filtered: pts.map((p) => p.filtered), filteredCount: pts.reduce((n, p) => n + (p.filtered ? 1 : 0), 0) },
        geometry: { type: 'LineString', coordinates: pts.map((p) => [p.lon, p.lat]) },
      }],
    }));
  });

  app.get('/api/v1/trips/:id/events', {
    config: { roles: readers },
    schema: {
      tags: ['trips'], summary: 'Timeline: lifecycle steps, milestones, alerts and gate passages; format=json|csv|geojson',
      params: Type.Object({ id: Type.String() }), querystring: Type.Object({ format: Format }), response: errs,
    },
  }, async (req, reply): Promise<any> => {
    const trip = await loadTrip(db, req.params.id, req);
    const [transitions, milestones, alerts, passages] = await Promise.all([
      db.selectFrom('trip_transitions').selectAll().where('trip_id', '=', trip.id).execute(),
      db.selectFrom('trip_milestones').selectAll().where('trip_id', '=', trip.id).execute(),
      db.selectFrom('alerts').selectAll().where('trip_id', '=', trip.id).execute(),
      req.principal?.role === 'enterprise' ? Promise.resolve([]) : db.selectFrom('passages').selectAll().where('trip_id', '=', trip.id).execute(),
    ]);
    type Ev = { at: string; kind: string; type: string; summary: string; lat: number | null; lon: number | null; late: boolean; ref: string };
    const evs: Ev[] = [
      ...transitions.map((t) => ({ at: t.at, kind: 'lifecycle', type: t.action, summary: `${t.from_state} → ${t.to_state}${t.reason ? ` (${t.reason})` : ''} by ${t.actor}`, lat: null, lon: null, late: false, ref: t.id })),
      ...milestones.map((m) => ({ at: m.at, kind: 'milestone', type: m.type, summary: m.type.replace(/_/g, ' '), lat: m.lat, lon: m.lon, late: !!m.late, ref: m.id })),
      ...alerts.flatMap((a) => [
        { at: a.first_at, kind: 'alert', type: a.type, summary: `${a.severity} ${a.type.replace(/_/g, ' ')} raised`, lat: a.lat, lon: a.lon, late: !!a.late, ref: a.id },
        ...(a.resolved_at ? [{ at: a.resolved_at, kind: 'alert', type: `${a.type}_resolved`, summary: `resolved: ${a.disposition}${a.incident_code ? ` / ${a.incident_code}` : ''}`, lat: a.lat, lon: a.lon, late: false, ref: a.id }] : []),
      ]),
      ...passages.map((p) => ({ at: p.decided_at, kind: 'gate', type: p.override_decision ?? p.decision, summary: `gate decision ${p.decision}${p.override_decision ? ` overridden to ${p.override_decision}` : ''}`, lat: null, lon: null, late: false, ref: p.id })),
    ];
    evs.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.ref < b.ref ? -1 : 1));
    return send(reply, req.query.format, `events-${trip.id}`, evs, () => ({
      type: 'FeatureCollection',
      features: evs.filter((e) => e.lat !== null && e.lon !== null).map((e) => ({ type: 'Feature', properties: { ...e, lat: undefined, lon: undefined }, geometry: { type: 'Point', coordinates: [e.lon, e.lat] } })),
    }));
  });
};
