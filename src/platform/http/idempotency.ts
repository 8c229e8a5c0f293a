import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { actorOf } from '../auth/principal.ts';
import { AppError } from '../errors.ts';

/**
 * Creating POSTs honour Idempotency-Key: the first successful response (status + body) is stored
 * per caller, key and path, and a retry gets it back unchanged without running the handler again.
 * A refused request is not stored (the caller may correct it and send it again under the same key),
 * and the key replays only the request it was first used with: another body under it is a 422.
 */
export function installIdempotency(app: FastifyInstance, ctx: AppContext) {
  const db = ctx.store.db;
  const ident = (req: any) => ({ key: String(req.headers['idempotency-key']), actor: actorOf(req.principal), route: `${req.method} ${String(req.url).split('?')[0]}` });
  const hashOf = (req: any) => createHash('sha256').update(JSON.stringify(req.body ?? null)).digest('hex');
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || !req.headers['idempotency-key']) return;
    const id = ident(req);
    const hit = await db.selectFrom('idempotency_keys').selectAll().where('key', '=', id.key).where('actor', '=', id.actor).where('route', '=', id.route).executeTakeFirst();
    if (!hit) return;
    if (hit.request_hash && hit.request_hash !== hashOf(req))
      throw new AppError(422, 'idempotency_key_reused', `Idempotency-Key ${id.key} was used for a different request to ${id.route}; use a new key for a new request`);
    reply.header('idempotent-replay', 'true').status(hit.status).type('application/json').send(hit.body);
    return reply;
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method !== 'POST' || !req.headers['idempotency-key'] || reply.getHeader('idempotent-replay')) return payload;
    if (reply.statusCode < 200 || reply.statusCode >= 300 || typeof payload !== 'string') return payload;
    const id = ident(req);
    await db.insertInto('idempotency_keys').values({ ...id, status: reply.statusCode, body: payload, created_at: ctx.nowIso(), request_hash: hashOf(req) }).onConflict((oc) => oc.doNothing()).execute();
    return payload;
  });
}
