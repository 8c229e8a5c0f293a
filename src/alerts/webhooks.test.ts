import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AppContext } from '../platform/context.ts';
import { harness, until, type Harness } from '../../test/harness.ts';
import { WebhookDispatcher, signWebhook } from './webhooks.ts';

describe('webhook dispatcher: a delivery run that fails on our side', () => {
  let h: Harness;
  before(async () => { h = await harness('sqlite', { seed: false }); });
  after(async () => { await h.close(); });

  it('is logged and run again after the retry delay, and the pending delivery then goes out', async () => {
    const db = h.p.ctx.store.db, now = h.p.ctx.nowIso();
    await db.insertInto('webhooks').values({ id: 'whk_retry', url: 'http://receiver.test/hook', secret: 's3cret', events: '["alert.*"]', active: 1, created_at: now }).execute();
    const payload = JSON.stringify({ event: 'alert.raised', alert: { id: 'alr_1' } });
    await db.insertInto('webhook_deliveries').values({ webhook_id: 'whk_retry', event: 'alert.raised', payload, state: 'pending', attempts: 0, next_attempt_at: now, last_status: null, last_error: null, created_at: now, updated_at: now }).execute();

    // The receiver is the faked peer; the dispatcher and its database are real.
    const sent: Array<{ url: string; init: RequestInit }> = [];
    const receiver = (async (url: string, init: RequestInit) => { sent.push({ url, init }); return new Response(null, { status: 204 }); }) as unknown as typeof fetch;
    const errors: string[] = [];
    const log = { ...h.p.ctx.log, error: (_o: unknown, msg: string) => errors.push(msg) } as unknown as AppContext['log'];
    const d = new WebhookDispatcher({ ...h.p.ctx, log }, receiver, { retryFailedRunMs: 40 });
    try {
      // Our side fails: the table the run reads is not there for a moment.
      h.p.ctx.store.sqlite!.exec('ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_away');
      d.kick(0);
      await until(() => errors.length > 0);
      assert.deepEqual(errors, ['webhook delivery run failed']);
      assert.equal(sent.length, 0);
      h.p.ctx.store.sqlite!.exec('ALTER TABLE webhook_deliveries_away RENAME TO webhook_deliveries');
      // Nothing else kicks this dispatcher: only its own retry can send the delivery.
      await until(() => sent.length === 1);
      const row = await until(async () => (await db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', 'whk_retry').executeTakeFirstOrThrow()), (r) => r.state === 'delivered');
      assert.equal(row.attempts, 1);
      assert.equal(sent[0].url, 'http://receiver.test/hook');
      const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String((sent[0].init.headers as Record<string, string>)['x-onelock-signature']));
      assert.ok(sig);
      assert.equal(sig![2], signWebhook('s3cret', Number(sig![1]), payload));
    } finally {
      await d.stop();
    }
  });
});
