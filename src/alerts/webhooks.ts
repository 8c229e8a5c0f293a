/**
 * Alert webhooks for outside systems. Each alert change becomes a delivery row per matching hook
 * (so nothing is lost across a restart), sent with an HMAC-SHA256 signature over
 * "<timestamp>.<body>" and retried with exponential backoff; every attempt is in the delivery log.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.ts';
import type { RouteModule } from '../platform/http/app.ts';
import { ProblemSchema } from '../platform/http/problem.ts';
import { PageQuery, pageOf, Page } from '../platform/http/pagination.ts';
import { actorOf } from '../platform/auth/principal.ts';
import { newId } from '../platform/ids.ts';
import { invalidField, notFound } from '../platform/errors.ts';
import { ALERT_CHANGED } from './alert-model.ts';
import type { AlertDto } from './alert-store.ts';

/** After a delivery run that failed (not a receiver's failure: ours), the next one. */
const RETRY_FAILED_RUN_MS = 5_000;

export const MAX_ATTEMPTS = 8;
export const backoffMs = (attempt: number) => Math.min(3600_000, 1000 * 2 ** (attempt - 1));
export const signWebhook = (secret: string, ts: number, body: string) => createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<number> = Promise.resolve(0);
  private stopped = false;
  private abort = new AbortController();
  constructor(private ctx: AppContext, private fetchImpl: typeof fetch = fetch, private opts = { retryFailedRunMs: RETRY_FAILED_RUN_MS }) {
    ctx.bus.subscribe<AlertDto>(ALERT_CHANGED, (a) => void this.enqueue(a).catch((e) => ctx.log.error({ err: e }, 'webhook enqueue failed')));
  }

  async enqueue(a: AlertDto) {
    const hooks = await this.ctx.store.db.selectFrom('webhooks').selectAll().where('active', '=', 1).execute();
    const event = a.state === 'resolved' ? 'alert.resolved' : a.version === 1 ? 'alert.raised' : 'alert.updated';
    const now = this.ctx.nowIso();
    const due = hooks.filter((h) => (JSON.parse(h.events) as string[]).some((e) => e === event || e === 'alert.*'));
    if (!due.length) return;
    await this.ctx.store.db.insertInto('webhook_deliveries').values(due.map((h) => ({ webhook_id: h.id, event, payload: JSON.stringify({ event, alert: a }), state: 'pending' as const, attempts: 0, next_attempt_at: now, last_status: null, last_error: null, created_at: now, updated_at: now }))).execute();
    this.kick();
  }

  kick(delay = 0) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    // A failed run (the database busy or full) is logged and tried again in a few seconds: the rows
    // stay pending, and without a retry here they waited for the next alert or a restart.
    this.timer = setTimeout(() => void this.runDue().catch((e) => { if (this.stopped) return; this.ctx.log.error({ err: e }, 'webhook delivery run failed'); this.kick(this.opts.retryFailedRunMs); }), delay);
    this.timer.unref();
  }

  /** Sends everything due now; runs never overlap (a call waits for the one in progress). */
  runDue(): Promise<number> {
    this.chain = this.chain.catch(() => 0).then(() => this.runOnce());
    return this.chain;
  }

  private async runOnce(): Promise<number> {
    let n = 0;
    {
      const db = this.ctx.store.db;
      const due = await db.selectFrom('webhook_deliveries').innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
        .select(['webhook_deliveries.id', 'webhook_deliveries.payload', 'webhook_deliveries.attempts', 'webhook_deliveries.event', 'webhooks.url', 'webhooks.secret'])
        .where('webhook_deliveries.state', '=', 'pending').where('webhook_deliveries.next_attempt_at', '<=', this.ctx.nowIso()).orderBy('webhook_deliveries.id').limit(100).execute();
      for (const d of due) {
        if (this.stopped) break; // left pending: the next start sends it
        n++;
        const ts = Math.floor(this.ctx.clock.now() / 1000);
        let status: number | null = null, error: string | null = null;
        try {
          const res = await this.fetchImpl(d.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-onelock-event': d.event, 'x-onelock-delivery': String(d.id), 'x-onelock-signature': `t=${ts},v1=${signWebhook(d.secret, ts, d.payload)}` }, body: d.payload, signal: AbortSignal.any([AbortSignal.timeout(5000), this.abort.signal]) });
          status = res.status;
          if (!res.ok) error = `HTTP ${res.status}`;
        } catch (e) { error = (e as Error).message; }
        if (this.stopped) break; // shutting down mid-request is not the receiver's failure: no attempt counted
        const attempts = d.attempts + 1;
        const state = !error ? 'delivered' : attempts >= MAX_ATTEMPTS ? 'failed' : 'pending';
        await db.updateTable('webhook_deliveries').set({ state, attempts, last_status: status, last_error: error, updated_at: this.ctx.nowIso(), next_attempt_at: new Date(this.ctx.clock.now() + backoffMs(attempts)).toISOString() }).where('id', '=', d.id).execute();
      }
      const next = await db.selectFrom('webhook_deliveries').select('next_attempt_at').where('state', '=', 'pending').orderBy('next_attempt_at').limit(1).executeTakeFirst();
      if (next && !this.stopped) this.kick(Math.max(100, Date.parse(next.next_attempt_at) - this.ctx.clock.now()));
    }
    return n;
  }

  /** No new runs; waits for the one in progress, so the store can close under no query of ours. */
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.chain.catch(() => 0);
  }
}

export const webhookRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  const tags = ['webhooks'];
  app.post('/api/v1/webhooks', {
    config: { roles: ['supervisor'] },
    schema: { tags, summary: 'Register a webhook for alert events; the signing secret is returned once', body: Type.Object({ url: Type.String({ format: 'uri' }), events: Type.Array(Type.Union([Type.Literal('alert.raised'), Type.Literal('alert.updated'), Type.Literal('alert.resolved'), Type.Literal('alert.*')]), { minItems: 1 }) }, { additionalProperties: false }), response: { 201: Type.Any(), 400: ProblemSchema } },
  }, async (req, reply) => {
    if (!/^https?:\/\//.test(req.body.url)) throw invalidField('url', 'must be an http(s) URL', 'invalid_url');
    const row = { id: newId('whk', ctx.clock.now()), url: req.body.url, secret: randomBytes(24).toString('base64url'), events: JSON.stringify(req.body.events), active: 1, created_at: ctx.nowIso() };
    await ctx.change(async (trx, audit) => {
      await trx.insertInto('webhooks').values(row).execute();
      await audit({ actor: actorOf(req.principal), action: 'webhook.create', subject: row.id, after: { url: row.url, events: req.body.events } });
    });
    reply.status(201);
    return { id: row.id, url: row.url, events: req.body.events, secret: row.secret };
  });
  app.get('/api/v1/webhooks', {
    config: { roles: ['supervisor'] },
    schema: { tags, summary: 'Registered webhooks (secrets are not shown)' },
  }, async () => ({ items: (await db.selectFrom('webhooks').selectAll().orderBy('id').execute()).map((w) => ({ id: w.id, url: w.url, events: JSON.parse(w.events), active: !!w.active, createdAt: w.created_at })) }));
  app.delete('/api/v1/webhooks/:id', {
    config: { roles: ['supervisor'] },
    schema: { tags, summary: 'Deactivate a webhook', params: Type.Object({ id: Type.String() }), response: { 204: Type.Null(), 404: ProblemSchema } },
  }, async (req, reply) => {
    await ctx.change(async (trx, audit) => {
      const r = await trx.updateTable('webhooks').set({ active: 0 }).where('id', '=', req.params.id).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw notFound('webhook', req.params.id);
      await audit({ actor: actorOf(req.principal), action: 'webhook.deactivate', subject: req.params.id });
    });
    reply.status(204);
  });
  app.get('/api/v1/webhooks/:id/deliveries', {
    config: { roles: ['supervisor'] },
    schema: { tags, summary: 'Delivery log: attempts, status, last error', params: Type.Object({ id: Type.String() }), querystring: Type.Object({ ...PageQuery }), response: { 200: Page(Type.Any()) } },
  }, async (req) => pageOf(db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', req.params.id), 'id', { ...req.query, cursor: req.query.cursor ? (Number(req.query.cursor) as any) : undefined }, ctx.settings.pageLimitMax)
    .run((d) => ({ id: d.id, event: d.event, state: d.state, attempts: d.attempts, lastStatus: d.last_status, lastError: d.last_error, nextAttemptAt: d.next_attempt_at, createdAt: d.created_at, updatedAt: d.updated_at })));
};
