import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { actorOf } from '../auth/principal.ts';

/**
 * Creating POSTs honour Idempotency-Key: the first response (status + body) is stored per caller,
 * key and route, and a retry gets it back unchanged without running the handler again.
 */
export function installIdempotency(app: FastifyInstance, ctx: AppContext) {
  const db = ctx.store.db;
  const ident = (req: any) => ({ key: String(req.headers['idempotency-key']), actor: actorOf(req.principal), route: `${req.method} ${req.routeOptions.url}` });
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || !req.headers['idempotency-key']) return;
    const id = ident(req);
    const hit = await db.selectFrom('idempotency_keys').selectAll().where('key', '=', id.key).where('actor', '=', id.actor).where('route', '=', id.route).executeTakeFirst();
    if (hit) {
      reply.header('idempotent-replay', 'true').status(hit.status).type('application/json').send(hit.body);
      return reply;
    }
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method !== 'POST' || !req.headers['idempotency-key'] || reply.getHeader('idempotent-replay')) return payload;
    if (reply.statusCode >= 500 || typeof payload !== 'string') return payload;
    const id = ident(req);
    await db.insertInto('idempotency_keys').values({ ...id, status: reply.statusCode, body: payload, created_at: ctx.nowIso() }).onConflict((oc) => oc.doNothing()).execute();
    return payload;
  });
}
