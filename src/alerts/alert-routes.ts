import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { RouteModule } from '../platform/http/app.ts';
import type { AppContext } from '../platform/context.ts';
import type { AlertRow } from '../platform/db/schema.ts';
import { ProblemSchema } from '../platform/http/problem.ts';
import { PageQuery, pageOf, Page } from '../platform/http/pagination.ts';
import { ownEnterprise } from '../platform/http/auth-hooks.ts';
import { actorOf } from '../platform/auth/principal.ts';
import { newId } from '../platform/ids.ts';
import { conflict, notFound, invalidField } from '../platform/errors.ts';
import { alertDto, publishAlerts } from './alert-store.ts';
import { DISPOSITIONS, INCIDENT_CODES, ALERT_TYPES, SEVERITIES, ALERT_STATES } from './alert-model.ts';

const errs = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const Id = Type.Object({ id: Type.String() });
const lit = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const customs = ['officer', 'supervisor'] as const;

async function load(ctx: AppContext, id: string, req: FastifyRequest) {
  const row = await ctx.store.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  const own = ownEnterprise(req);
  if (!row || (own && row.enterprise_id !== own)) throw notFound('alert', id);
  return row;
}

/** One officer action on an alert: state guard, version guard, comment, audit, live update. */
async function act(ctx: AppContext, req: FastifyRequest, id: string, action: string, from: string[], set: Partial<AlertRow>, comment?: string, reason?: string) {
  const row = await ctx.change(async (trx, audit) => {
    const cur = await trx.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!cur) throw notFound('alert', id);
    if (!from.includes(cur.state)) throw conflict('illegal_transition', `cannot ${action} an alert that is ${cur.state}`, { state: cur.state, action });
    const next = { ...cur, ...set, version: cur.version + 1, updated_at: ctx.nowIso() };
    const r = await trx.updateTable('alerts').set({ ...set, version: next.version, updated_at: next.updated_at }).where('id', '=', id).where('version', '=', cur.version).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw conflict('version_conflict', `alert ${id} changed concurrently; reload and retry`);
    if (comment) await trx.insertInto('alert_comments').values({ id: newId('cmt', ctx.clock.now()), alert_id: id, author: actorOf(req.principal), body: comment, at: ctx.nowIso() }).execute();
    await audit({ actor: actorOf(req.principal), action: `alert.${action}`, subject: id, before: { state: cur.state, assigneeId: cur.assignee_id }, after: { state: next.state, assigneeId: next.assignee_id, disposition: next.disposition, incidentCode: next.incident_code }, reason: reason ?? comment ?? null });
    return next;
  });
  publishAlerts(ctx, [row]);
  return alertDto(row);
}

export const alertRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  const tags = ['alerts'];

  app.get('/api/v1/alerts', {
    config: { roles: ['enterprise', 'officer', 'supervisor'] },
    schema: {
      tags, summary: 'List alerts; enterprises see their own trips\' alerts (read-only)',
      querystring: Type.Object({
        ...PageQuery, severity: Type.Optional(lit(SEVERITIES)), type: Type.Optional(lit(ALERT_TYPES)), state: Type.Optional(lit(ALERT_STATES)),
        tripId: Type.Optional(Type.String()), late: Type.Optional(Type.Boolean()),
        bbox: Type.Optional(Type.String({ description: 'area: minLon,minLat,maxLon,maxLat' })),
        since: Type.Optional(Type.String({ format: 'date-time' })), until: Type.Optional(Type.String({ format: 'date-time' })),
      }),
      response: { 200: Page(Type.Any()), ...errs },
    },
  }, async (req) => {
    const q = req.query;
    let sel = db.selectFrom('alerts').selectAll();
    const own = ownEnterprise(req);
    if (own) sel = sel.where('enterprise_id', '=', own);
    if (q.severity) sel = sel.where('severity', '=', q.severity as any);
    if (q.type) sel = sel.where('type', '=', q.type);
    if (q.state) sel = sel.where('state', '=', q.state as any);
    if (q.tripId) sel = sel.where('trip_id', '=', q.tripId);
    if (q.late !== undefined) sel = sel.where('late', '=', q.late ? 1 : 0);
    if (q.since) sel = sel.where('last_at', '>=', new Date(q.since).toISOString());
    if (q.until) sel = sel.where('first_at', '<', new Date(q.until).toISOString());
    if (q.bbox) {
      const b = q.bbox.split(',').map(Number);
      if (b.length !== 4 || b.some((n) => !Number.isFinite(n)) || b[0] > b[2] || b[1] > b[3]) throw invalidField('query.bbox', 'must be minLon,minLat,maxLon,maxLat', 'invalid_geometry');
      sel = sel.where('lon', '>=', b[0]).where('lat', '>=', b[1]).where('lon', '<=', b[2]).where('lat', '<=', b[3]);
    }
    return pageOf(sel, 'id', q, ctx.settings.pageLimitMax).run(alertDto);
  });

  app.get('/api/v1/alerts/:id', {
    config: { roles: ['enterprise', 'officer', 'supervisor'] },
    schema: { tags, summary: 'An alert with its comment thread', params: Id, response: { 200: Type.Any(), ...errs } },
  }, async (req) => {
    const row = await load(ctx, req.params.id, req);
    const comments = await db.selectFrom('alert_comments').selectAll().where('alert_id', '=', row.id).orderBy('at').orderBy('id').execute();
    return { ...alertDto(row), comments: comments.map((c) => ({ id: c.id, author: c.author, body: c.body, at: c.at })) };
  });

  app.post('/api/v1/alerts/:id/acknowledge', {
    config: { roles: customs },
    schema: { tags, summary: 'open → acknowledged', params: Id, body: Type.Optional(Type.Object({ comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false })), response: { 200: Type.Any(), ...errs } },
  }, async (req) => act(ctx, req, req.params.id, 'acknowledge', ['open'], { state: 'acknowledged', acknowledged_at: ctx.nowIso(), acknowledged_by: actorOf(req.principal) }, req.body?.comment));

  app.post('/api/v1/alerts/:id/resolve', {
    config: { roles: customs },
    schema: {
      tags, summary: 'open | acknowledged → resolved, with a disposition (and an incident code for a real incident)', params: Id,
      body: Type.Object({ disposition: lit(DISPOSITIONS), incidentCode: Type.Optional(lit(INCIDENT_CODES)), comment: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
      response: { 200: Type.Any(), ...errs },
    },
  }, async (req) => {
    const b = req.body;
    if (b.disposition === 'violation_confirmed' && !b.incidentCode) throw invalidField('incidentCode', 'a confirmed violation needs an incident code', 'incident_code_required');
    return act(ctx, req, req.params.id, 'resolve', ['open', 'acknowledged'], { state: 'resolved', resolved_at: ctx.nowIso(), resolved_by: actorOf(req.principal), disposition: b.disposition, incident_code: b.incidentCode ?? null }, b.comment);
  });

  app.post('/api/v1/alerts/:id/assign', {
    config: { roles: customs },
    schema: { tags, summary: 'Assign to an officer', params: Id, body: Type.Object({ assigneeId: Type.String() }, { additionalProperties: false }), response: { 200: Type.Any(), ...errs } },
  }, async (req) => {
    const u = await db.selectFrom('users').select(['id', 'role']).where('id', '=', req.body.assigneeId).executeTakeFirst();
    if (!u || (u.role !== 'officer' && u.role !== 'supervisor')) throw invalidField('assigneeId', 'must be an officer or supervisor', 'unknown_user');
    return act(ctx, req, req.params.id, 'assign', ['open', 'acknowledged'], { assignee_id: u.id });
  });

  app.post('/api/v1/alerts/:id/comments', {
    config: { roles: customs },
    schema: { tags, summary: 'Add to the comment thread', params: Id, body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), response: { 201: Type.Any(), ...errs } },
  }, async (req, reply) => {
    await load(ctx, req.params.id, req);
    const c = { id: newId('cmt', ctx.clock.now()), alert_id: req.params.id, author: actorOf(req.principal), body: req.body.body, at: ctx.nowIso() };
    await ctx.change(async (trx, audit) => {
      await trx.insertInto('alert_comments').values(c).execute();
      await audit({ actor: c.author, action: 'alert.comment', subject: c.alert_id, after: { comment: c.body } });
    });
    reply.status(201);
    return { id: c.id, author: c.author, body: c.body, at: c.at };
  });
};

/**
 * Escalation: an alert left unacknowledged longer than its severity allows is marked escalated,
 * audited and re-published, so the live queue and webhooks see it again. Run by a timer.
 */
export async function escalateStaleAlerts(ctx: AppContext, limits: { criticalS: number; warningS: number }) {
  const now = ctx.clock.now();
  const stale = await ctx.store.db.selectFrom('alerts').selectAll().where('state', '=', 'open').where('escalated_at', 'is', null)
    .where((eb) => eb.or([
      eb.and([eb('severity', '=', 'critical'), eb('created_at', '<=', new Date(now - limits.criticalS * 1000).toISOString())]),
      eb.and([eb('severity', '=', 'warning'), eb('created_at', '<=', new Date(now - limits.warningS * 1000).toISOString())]),
    ])).execute();
  if (!stale.length) return [];
  const at = ctx.nowIso();
  const rows = await ctx.change(async (trx, audit) => {
    const out: AlertRow[] = [];
    for (const a of stale) {
      await trx.updateTable('alerts').set({ escalated_at: at, version: a.version + 1, updated_at: at }).where('id', '=', a.id).where('version', '=', a.version).execute();
      await audit({ actor: 'system:escalation', action: 'alert.escalate', subject: a.id, reason: `unacknowledged since ${a.created_at}` });
      out.push({ ...a, escalated_at: at, version: a.version + 1, updated_at: at });
    }
    return out;
  });
  publishAlerts(ctx, rows);
  return rows;
}
