import { Type } from 'typebox';
import type { Kysely } from 'kysely';
import { registerResource, patchOf, checkEnterprise, type ResourceSpec } from './resource.ts';
import { hashPassword } from '../platform/auth/password.ts';
import { invalidField } from '../platform/errors.ts';
import type { RouteModule } from '../platform/http/app.ts';

const Role = Type.Union([Type.Literal('enterprise'), Type.Literal('officer'), Type.Literal('supervisor')]);
const Create = Type.Object({
  username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[a-zA-Z0-9._@-]+$' }),
  displayName: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.Optional(Type.String({ minLength: 10, description: 'at least 10 characters; stored only as an scrypt hash' })),
  role: Role,
  enterpriseId: Type.Optional(Type.Union([Type.Null(), Type.String()])),
  administration: Type.Optional(Type.Union([Type.Null(), Type.Literal('CN'), Type.Literal('HK')])),
  disabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
const Dto = Type.Object({ id: Type.String(), username: Type.String(), displayName: Type.String(), role: Type.String(), enterpriseId: Type.Union([Type.Null(), Type.String()]), administration: Type.Union([Type.Null(), Type.String()]), disabled: Type.Boolean(), version: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String() });

export const userSpec: ResourceSpec = {
  name: 'user', plural: 'users', table: 'users', idPrefix: 'usr',
  read: ['supervisor'], write: ['supervisor'],
  create: Create, update: patchOf(Create), dto: Dto,
  filters: { role: { column: 'role', schema: Role }, enterpriseId: { column: 'enterprise_id', schema: Type.String() } },
  toRow: async (b, _req, ctx, existing) => {
    if (b.role === 'enterprise') {
      if (!b.enterpriseId) throw invalidField('enterpriseId', 'an enterprise user belongs to an enterprise');
      await checkEnterprise(ctx.store.db as Kysely<any>, b.enterpriseId);
    } else if (!b.administration) throw invalidField('administration', 'a customs user belongs to an administration (CN or HK)');
    if (!existing && !b.password) throw invalidField('password', 'required for a new user');
    return {
      username: b.username, display_name: b.displayName, role: b.role,
      enterprise_id: b.role === 'enterprise' ? b.enterpriseId : null,
      administration: b.role === 'enterprise' ? null : b.administration,
      disabled: b.disabled ? 1 : 0,
      password_hash: b.password ? await hashPassword(b.password) : existing.password_hash,
    };
  },
  toDto: (r) => ({ id: r.id, username: r.username, displayName: r.display_name, role: r.role, enterpriseId: r.enterprise_id, administration: r.administration, disabled: !!r.disabled, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at }),
};
export const userRoutes: RouteModule = (app, ctx) => registerResource(app, ctx, userSpec);
