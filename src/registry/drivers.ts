import { Type } from 'typebox';
import { registerResource, patchOf, type ResourceSpec } from './resource.ts';
import { invalidField } from '../platform/errors.ts';
import type { RouteModule } from '../platform/http/app.ts';

const Create = Type.Object({
  enterpriseId: Type.Optional(Type.String()),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  licenceNo: Type.String({ description: 'driving licence number (mainland 18-char ID format or HK licence)' }),
  phone: Type.Optional(Type.Union([Type.Null(), Type.String()])),
  homeRegion: Type.Optional(Type.Union([Type.Literal('CN'), Type.Literal('HK')])),
}, { additionalProperties: false });
const Dto = Type.Object({ id: Type.String(), enterpriseId: Type.String(), name: Type.String(), licenceNo: Type.String(), phone: Type.Union([Type.Null(), Type.String()]), homeRegion: Type.String(), version: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String() });

export const driverSpec: ResourceSpec = {
  name: 'driver', plural: 'drivers', table: 'drivers', idPrefix: 'drv', enterpriseColumn: 'enterprise_id',
  read: ['enterprise', 'officer', 'supervisor'], write: ['enterprise', 'officer', 'supervisor'],
  create: Create, update: patchOf(Create), dto: Dto,
  filters: { enterpriseId: { column: 'enterprise_id', schema: Type.String() } },
  toRow: (b) => {
    const licence = String(b.licenceNo).trim().toUpperCase();
    if (!/^(\d{17}[\dX]|[A-Z]{1,2}\d{6}\(?[\dA]\)?)$/.test(licence)) throw invalidField('licenceNo', 'must be a mainland ID-format licence (18 characters) or an HK identity-format number', 'invalid_licence_no');
    if (b.phone && !/^\+?[\d\s-]{6,20}$/.test(b.phone)) throw invalidField('phone', 'must be a phone number', 'invalid_phone');
    return { enterprise_id: b.enterpriseId, name: b.name, licence_no: licence, phone: b.phone ?? null, home_region: b.homeRegion ?? 'CN' };
  },
  toDto: (r) => ({ id: r.id, enterpriseId: r.enterprise_id, name: r.name, licenceNo: r.licence_no, phone: r.phone, homeRegion: r.home_region, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at }),
};
export const driverRoutes: RouteModule = (app, ctx) => registerResource(app, ctx, driverSpec);
