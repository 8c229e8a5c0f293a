import { Type } from 'typebox';
import type { Kysely } from 'kysely';
import { registerResource, patchOf, type ResourceSpec } from './resource.ts';
import { checkGeometry } from './validate.ts';
import { invalidField } from '../platform/errors.ts';
import { checkRuleOverrides } from '../supervision/pipeline/rule-settings.ts';
import type { RouteModule } from '../platform/http/app.ts';
import type { AppContext } from '../platform/context.ts';

const Create = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  geometry: Type.Any({ description: 'GeoJSON LineString of the assigned road' }),
  corridorWidthM: Type.Optional(Type.Number({ minimum: 50, maximum: 10000, default: 500 })),
  stopZoneIds: Type.Optional(Type.Array(Type.String(), { description: 'places where stopping is allowed' })),
  placeIds: Type.Array(Type.String(), { minItems: 2, description: 'ordered places: origin, …, destination' }),
  timeLimitMin: Type.Integer({ minimum: 10, maximum: 7 * 24 * 60 }),
  ruleOverrides: Type.Optional(Type.Record(Type.String(), Type.Any(), { description: 'per-route rule thresholds' })),
}, { additionalProperties: false });
const Dto = Type.Object({ id: Type.String(), name: Type.String(), geometry: Type.Any(), corridorWidthM: Type.Number(), stopZoneIds: Type.Array(Type.String()), placeIds: Type.Array(Type.String()), timeLimitMin: Type.Integer(), ruleOverrides: Type.Any(), version: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String() });

async function checkPlaces(ctx: AppContext, field: string, ids: string[]) {
  if (!ids.length) return;
  const found = await (ctx.store.db as Kysely<any>).selectFrom('places').select('id').where('id', 'in', ids).execute();
  const have = new Set(found.map((r) => r.id));
  ids.forEach((id, i) => { if (!have.has(id)) throw invalidField(`${field}[${i}]`, `place ${id} does not exist`, 'unknown_place'); });
}

export const routeSpec: ResourceSpec = {
  name: 'route', plural: 'routes', table: 'routes', idPrefix: 'rte',
  read: ['enterprise', 'officer', 'supervisor', 'gate'], write: ['supervisor'],
  create: Create, update: patchOf(Create), dto: Dto,
  toRow: async (b, _req, ctx) => {
    const g = checkGeometry('geometry', b.geometry, ['LineString']);
    await checkPlaces(ctx, 'placeIds', b.placeIds);
    await checkPlaces(ctx, 'stopZoneIds', b.stopZoneIds ?? []);
    if (b.ruleOverrides) checkRuleOverrides(b.ruleOverrides);
    return { name: b.name, geometry: JSON.stringify(g), corridor_width_m: b.corridorWidthM ?? 500, stop_zone_ids: JSON.stringify(b.stopZoneIds ?? []), place_ids: JSON.stringify(b.placeIds), time_limit_min: b.timeLimitMin, rule_overrides: JSON.stringify(b.ruleOverrides ?? {}) };
  },
  toDto: (r) => ({ id: r.id, name: r.name, geometry: JSON.parse(r.geometry), corridorWidthM: r.corridor_width_m, stopZoneIds: JSON.parse(r.stop_zone_ids), placeIds: JSON.parse(r.place_ids), timeLimitMin: r.time_limit_min, ruleOverrides: JSON.parse(r.rule_overrides), version: r.version, createdAt: r.created_at, updatedAt: r.updated_at }),
};
export const routeRoutes: RouteModule = (app, ctx) => registerResource(app, ctx, routeSpec);
