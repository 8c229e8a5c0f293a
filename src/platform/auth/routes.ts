import { Type } from 'typebox';
import type { RouteModule } from '../http/app.ts';
import { ProblemSchema } from '../http/problem.ts';
import { verifyPassword } from './password.ts';
import { ROLES, actorOf, type Principal } from './principal.ts';
import { newApiKey, hashApiKey } from './tokens.ts';
import { newId } from '../ids.ts';
import { unauthorized } from '../errors.ts';
import { API_KEY_REVOKED } from '../http/auth-hooks.ts';

// Verifying against a real hash when the user is unknown keeps login time flat, so response time
// does not reveal which usernames exist.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export const authRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  app.post('/api/v1/auth/login', {
    config: { roles: 'public' },
    schema: {
      tags: ['auth'], summary: 'Log in with username and password; returns a short-lived signed token',
      body: Type.Object({ username: Type.String({ minLength: 1 }), password: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String(), user: Type.Any() }), 400: ProblemSchema, 401: ProblemSchema },
    },
  }, async (req) => {
    const { username, password } = req.body;
    const u = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    const ok = await verifyPassword(password, u?.password_hash ?? DUMMY_HASH).catch(() => false);
    if (!u || !ok || u.disabled) {
      await ctx.change((_t, audit) => audit({ actor: `anonymous:${username}`, action: 'auth.login_failed', subject: u?.id ?? `username:${username}`, reason: u?.disabled ? 'disabled' : 'bad credentials' }));
      throw unauthorized('wrong username or password');
    }
    const p: Principal = { id: u.id, name: u.display_name, role: u.role as Principal['role'], enterpriseId: u.enterprise_id, administration: u.administration as Principal['administration'] };
    await ctx.change((_t, audit) => audit({ actor: actorOf(p), action: 'auth.login', subject: u.id }));
    const t = await ctx.tokens.issue(p);
    return { ...t, user: { id: u.id, username: u.username, displayName: u.display_name, role: u.role, enterpriseId: u.enterprise_id, administration: u.administration } };
  });

  app.get('/api/v1/auth/me', {
    config: { roles: ROLES },
    schema: { tags: ['auth'], summary: 'Who the token belongs to', response: { 200: Type.Any() } },
  }, async (req) => req.principal);

  app.post('/api/v1/api-keys', {
    config: { roles: ['supervisor'] },
    schema: {
      tags: ['auth'], summary: 'Issue an API key for a gate controller, peer node or device ingest; the key is shown once',
      body: Type.Object({ role: Type.Union([Type.Literal('gate'), Type.Literal('peer'), Type.Literal('device')]), label: Type.String({ minLength: 1, maxLength: 200 }), subjectId: Type.Optional(Type.String()), administration: Type.Optional(Type.Union([Type.Literal('CN'), Type.Literal('HK')])) }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.String(), key: Type.String(), role: Type.String(), label: Type.String() }), 400: ProblemSchema },
    },
  }, async (req, reply) => {
    const b = req.body;
    const key = newApiKey(b.role);
    const row = { id: newId('key', ctx.clock.now()), key_hash: hashApiKey(key), role: b.role, label: b.label, subject_id: b.subjectId ?? null, administration: b.administration ?? null, created_at: ctx.nowIso(), revoked_at: null };
    await ctx.change(async (trx, audit) => {
      await trx.insertInto('api_keys').values(row).execute();
      await audit({ actor: actorOf(req.principal), action: 'api_key.issue', subject: row.id, after: { role: b.role, label: b.label, subjectId: row.subject_id } });
    });
    reply.status(201);
    return { id: row.id, key, role: b.role, label: b.label };
  });

  app.delete('/api/v1/api-keys/:id', {
    config: { roles: ['supervisor'] },
    schema: { tags: ['auth'], summary: 'Revoke an API key', params: Type.Object({ id: Type.String() }), response: { 204: Type.Null(), 404: ProblemSchema } },
  }, async (req, reply) => {
    const { id } = req.params;
    await ctx.change(async (trx, audit) => {
      const r = await trx.updateTable('api_keys').set({ revoked_at: ctx.nowIso() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw Object.assign(new Error(`api key ${id} not found or already revoked`), { statusCode: 404, code: 'not_found' });
      await audit({ actor: actorOf(req.principal), action: 'api_key.revoke', subject: id });
    });
    ctx.bus.publish(API_KEY_REVOKED, { id });
    reply.status(204);
  });
};
