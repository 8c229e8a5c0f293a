import { Type } from 'typebox';
import { registerResource, patchOf, type ResourceSpec } from './resource.ts';
import { checkGeometry } from './validate.ts';
import { invalidField } from '../platform/errors.ts';
import type { RouteModule } from '../platform/http/app.ts';

export const PLACE_KINDS = ['land_port', 'boundary_control_point', 'destination', 'rest_area', 'orchard', 'packing_house', 'seaport', 'inspection_site', 'other'] as const;
const Create = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  nameZh: Type.Optional(Type.Union([Type.Null(), Type.String()])),
  kind: Type.Union(PLACE_KINDS.map((k) => Type.Literal(k))),
  jurisdiction: Type.Union([Type.Literal('CN'), Type.Literal('HK')]),
  geometry: Type.Any({ description: 'GeoJSON Point (with radiusM, a circle) or Polygon' }),
  radiusM: Type.Optional(Type.Union([Type.Null(), Type.Number({ exclusiveMinimum: 0, maximum: 50000 })])),
}, { additionalProperties: false });
const Dto = Type.Object({ id: Type.String(), name: Type.String(), nameZh: Type.Union([Type.Null(), Type.String()]), kind: Type.String(), jurisdiction: Type.String(), geometry: Type.Any(), radiusM: Type.Union([Type.Null(), Type.Number()]), version: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String() });

export const placeSpec: ResourceSpec = {
  name: 'place', plural: 'places', table: 'places', idPrefix: 'plc',
  read: ['enterprise', 'officer', 'supervisor', 'gate'], write: ['supervisor'],
  create: Create, update: patchOf(Create), dto: Dto,
  filters: { kind: { column: 'kind', schema: Type.String() }, jurisdiction: { column: 'jurisdiction', schema: Type.String() } },
  toRow: (b) => {
    const g = checkGeometry('geometry', b.geometry, ['Point', 'Polygon']);
    if (g.type === 'Point' && !b.radiusM) throw invalidField('radiusM', 'a Point place is a circle and needs radiusM', 'invalid_geometry');
    return { name: b.name, name_zh: b.nameZh ?? null, kind: b.kind, jurisdiction: b.jurisdiction, geometry: JSON.stringify(g), radius_m: g.type === 'Point' ? b.radiusM : null };
  },
  toDto: (r) => ({ id: r.id, name: r.name, nameZh: r.name_zh, kind: r.kind, jurisdiction: r.jurisdiction, geometry: JSON.parse(r.geometry), radiusM: r.radius_m, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at }),
};
export const placeRoutes: RouteModule = (app, ctx) => registerResource(app, ctx, placeSpec);
