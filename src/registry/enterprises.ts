import { Type } from 'typebox';
import { registerResource, patchOf, type ResourceSpec } from './resource.ts';
import { checkUscc } from './validate.ts';
import type { RouteModule } from '../platform/http/app.ts';

const Contact = Type.Object({ name: Type.String({ minLength: 1 }), phone: Type.Optional(Type.String()), email: Type.Optional(Type.String({ format: 'email' })) }, { additionalProperties: false });
const Create = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  uscc: Type.String({ description: 'unified social credit code (18 characters, checked)' }),
  creditGrade: Type.Union([Type.Literal('advanced'), Type.Literal('general'), Type.Literal('low')]),
  contacts: Type.Optional(Type.Array(Contact)),
}, { additionalProperties: false });
const Dto = Type.Object({ id: Type.String(), name: Type.String(), uscc: Type.String(), creditGrade: Type.String(), contacts: Type.Array(Contact), version: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String() });

export const enterpriseSpec: ResourceSpec = {
  name: 'enterprise', plural: 'enterprises', table: 'enterprises', idPrefix: 'ent', enterpriseColumn: 'id',
  read: ['enterprise', 'officer', 'supervisor'], write: ['officer', 'supervisor'],
  create: Create, update: patchOf(Create), dto: Dto,
  filters: { creditGrade: { column: 'credit_grade', schema: Type.String() } },
  toRow: (b) => ({ name: b.name, uscc: checkUscc('uscc', b.uscc), credit_grade: b.creditGrade, contacts: JSON.stringify(b.contacts ?? []) }),
  toDto: (r) => ({ id: r.id, name: r.name, uscc: r.uscc, creditGrade: r.credit_grade, contacts: JSON.parse(r.contacts), version: r.version, createdAt: r.created_at, updatedAt: r.updated_at }),
};
export const enterpriseRoutes: RouteModule = (app, ctx) => registerResource(app, ctx, enterpriseSpec);
