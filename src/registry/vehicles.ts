import { Type } from 'typebox';
import { registerResource, patchOf, type ResourceSpec } from './resource.ts';
import { checkCnPlate, checkHkPlate } from './validate.ts';
import type { RouteModule } from '../platform/http/app.ts';

const Create = Type.Object({
  enterpriseId: Type.Optional(Type.String({ description: 'owner; set automatically for enterprise users' })),
  plateCn: Type.String({ description: 'mainland plate, e.g. 闽C12345 or 粤Z1234港' }),
  plateHk: Type.Optional(Type.Union([Type.Null(), Type.String({ description: 'Hong Kong plate, e.g. XY1234' })])),
  kind: Type.Optional(Type.Union([Type.Literal('tractor'), Type.Literal('box_truck'), Type.Literal('van')])),
}, { additionalProperties: false });
const Dto = Type.Object({ id: Type.String(), enterpriseId: Type.String(), plateCn: Type.String(), plateHk: Type.Union([Type.Null(), Type.String()]), kind: Type.String(), version: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String() });

export const vehicleSpec: ResourceSpec = {
  name: 'vehicle', plural: 'vehicles', table: 'vehicles', idPrefix: 'veh', enterpriseColumn: 'enterprise_id',
  read: ['enterprise', 'officer', 'supervisor', 'gate'], write: ['enterprise', 'officer', 'supervisor'],
  create: Create, update: patchOf(Create), dto: Dto,
  filters: { enterpriseId: { column: 'enterprise_id', schema: Type.String() }, plateCn: { column: 'plate_cn', schema: Type.String() }, plateHk: { column: 'plate_hk', schema: Type.String() } },
  toRow: (b) => ({
    enterprise_id: b.enterpriseId,
    plate_cn: checkCnPlate('plateCn', b.plateCn),
    plate_hk: b.plateHk ? checkHkPlate('plateHk', b.plateHk) : null,
    kind: b.kind ?? 'tractor',
  }),
  toDto: (r) => ({ id: r.id, enterpriseId: r.enterprise_id, plateCn: r.plate_cn, plateHk: r.plate_hk, kind: r.kind, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at }),
};
export const vehicleRoutes: RouteModule = (app, ctx) => registerResource(app, ctx, vehicleSpec);
