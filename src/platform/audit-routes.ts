import { Type } from 'typebox';
import type { RouteModule } from './http/app.ts';
import { PageQuery, Page } from './http/pagination.ts';
import { verifyAuditChain } from './audit.ts';

export const auditRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  app.get('/api/v1/audit', {
    config: { roles: ['supervisor'] },
    schema: {
      tags: ['audit'], summary: 'Audit entries, newest first (cursor = seq)',
      querystring: Type.Object({ ...PageQuery, subject: Type.Optional(Type.String()), actor: Type.Optional(Type.String()), action: Type.Optional(Type.String()), since: Type.Optional(Type.String({ format: 'date-time' })), until: Type.Optional(Type.String({ format: 'date-time' })) }),
      response: { 200: Page(Type.Any()) },
    },
  }, async (req) => {
    const q = req.query;
    const limit = Math.min(q.limit ?? 50, ctx.settings.pageLimitMax);
    let sel = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(limit + 1);
    if (q.cursor) sel = sel.where('seq', '<', Number(q.cursor));
    if (q.subject) sel = sel.where('subject', '=', q.subject);
    if (q.actor) sel = sel.where('actor', '=', q.actor);
    if (q.action) sel = sel.where('action', '=', q.action);
    if (q.since) sel = sel.where('at', '>=', new Date(q.since).toISOString());
    if (q.until) sel = sel.where('at', '<', new Date(q.until).toISOString());
    const rows = await sel.execute();
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({ seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, subject: r.subject, before: r.before ? JSON.parse(r.before) : null, after: r.after ? JSON.parse(r.after) : null, reason: r.reason, hash: r.hash })),
      nextCursor: rows.length > limit ? String(page[page.length - 1].seq) : null,
    };
  });
  app.get('/api/v1/audit/verify', {
    config: { roles: ['supervisor'] },
    schema: { tags: ['audit'], summary: 'Re-walk the hash chain; names the first edited, inserted or deleted entry', response: { 200: Type.Any() } },
  }, async () => verifyAuditChain(db));
};

export const healthRoutes: RouteModule = (app, ctx) => {
  app.get('/healthz', { config: { roles: 'public' }, schema: { tags: ['ops'], summary: 'Liveness and storage dialect' } }, async () => ({ ok: true, dialect: ctx.store.dialect, time: ctx.nowIso() }));
};
