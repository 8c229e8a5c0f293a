import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { Principal, Role } from '../auth/principal.ts';
import { forbidden, unauthorized } from '../errors.ts';
import { hashApiKey } from '../auth/tokens.ts';
import { registryChanged } from '../bus.ts';

export type Access = readonly Role[] | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route. Required on every route: a route without it refuses to register. */
    roles?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  roles: Access;
}

/** Registers the auth hooks and returns the route table they enforce (used by the role-matrix test). */
export function installAuth(app: FastifyInstance, ctx: AppContext): RouteEntry[] {
  const table: RouteEntry[] = [];
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (r) => {
    if (r.url.startsWith('/docs') || r.url.startsWith('/assets') || (r.prefix === '' && r.url === '/*')) return;
    const roles = (r.config as { roles?: Access } | undefined)?.roles;
    if (!roles) throw new Error(`route ${r.method} ${r.url} has no explicit roles; every endpoint needs one`);
    for (const m of [r.method].flat()) if (m !== 'HEAD') table.push({ method: m, url: r.url, roles });
  });
  // Authentication and the role check both run before the body is validated, so a caller without
  // the role learns nothing about the route's input shape.
  // API keys are checked on every lane reading; a short cache keeps the database out of that path.
  // Revocation clears it at once (the revoke route publishes API_KEY_REVOKED).
  const keyCache = new Map<string, { p: Principal; until: number }>();
  ctx.bus.subscribe(API_KEY_REVOKED, () => keyCache.clear());
  const users = new UserCache(ctx);
  app.addHook('onRequest', async (req) => {
    req.principal = await authenticate(req, ctx, keyCache, users);
    const roles = req.routeOptions.config?.roles;
    if (!roles || roles === 'public') return;
    if (!req.principal) throw unauthorized();
    if (!roles.includes(req.principal.role)) throw forbidden(`role ${req.principal.role} may not ${req.method} ${req.routeOptions.url}`);
  });
  return table;
}

export const API_KEY_REVOKED = 'api_key.revoked';

async function authenticate(req: FastifyRequest, ctx: AppContext, cache: Map<string, { p: Principal; until: number }>, users: UserCache): Promise<Principal | null> {
  const h = req.headers.authorization;
  const apiKey = (req.headers['x-api-key'] as string | undefined) ?? (h?.startsWith('ApiKey ') ? h.slice(7) : undefined);
  if (apiKey) {
    const hash = hashApiKey(apiKey);
    const hit = cache.get(hash);
    if (hit && hit.until > ctx.clock.now()) return hit.p;
    const row = await ctx.store.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
    if (!row) throw unauthorized('unknown or revoked API key');
    const p: Principal = { id: row.id, name: row.label, role: row.role as Role, enterpriseId: null, administration: (row.administration as Principal['administration']) ?? null, subjectId: row.subject_id };
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { p, until: ctx.clock.now() + 30_000 });
    return p;
  }
  if (h?.startsWith('Bearer ')) return users.current(await ctx.tokens.verify(h.slice(7)));
  // Browsers cannot set headers on a WebSocket handshake; the live feed accepts ?token= instead.
  const q = req.query as { token?: string } | undefined;
  if (q?.token && req.url.startsWith('/api/v1/live')) return users.current(await ctx.tokens.verify(q.token));
  return null;
}

/**
 * A token names a user; what the user may do is what the users table says now. A disabled user's
 * token stops working at once (not when it expires), and a role, enterprise or administration
 * change applies to the next request. Rows are kept a few seconds and dropped when a user changes.
 */
class UserCache {
  private rows = new Map<string, { row: { role: string; enterprise_id: string | null; administration: string | null; disabled: number } | null; until: number }>();
  constructor(private ctx: AppContext) {
    ctx.bus.subscribe<{ id: string }>(registryChanged('user'), (m) => { this.rows.delete(m.id); });
  }

  async current(p: Principal): Promise<Principal> {
    const now = this.ctx.clock.now();
    let hit = this.rows.get(p.id);
    if (!hit || hit.until <= now) {
      const row = (await this.ctx.store.db.selectFrom('users').select(['role', 'enterprise_id', 'administration', 'disabled']).where('id', '=', p.id).executeTakeFirst()) ?? null;
      if (this.rows.size > 10_000) this.rows.clear();
      this.rows.set(p.id, (hit = { row, until: now + 5_000 }));
    }
    if (!hit.row || hit.row.disabled) throw unauthorized('this user is disabled or no longer exists');
    return { ...p, role: hit.row.role as Role, enterpriseId: hit.row.enterprise_id, administration: (hit.row.administration as Principal['administration']) ?? null };
  }
}

/** The enterprise an enterprise user is confined to, or null for customs roles (which see all). */
export const ownEnterprise = (req: FastifyRequest): string | null =>
  req.principal?.role === 'enterprise' ? req.principal.enterpriseId ?? '__none__' : null;
