/** A downlink command the lock never answers is recorded timed_out (and audited) after the configured timeout. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { harness, until, type Harness } from './harness.ts';
import { EmulatedTerminal } from '../src/sim/terminal.ts';
import { ensureSimDevices } from '../src/sim/devices.ts';

describe('JT/T 808 downlink command without a reply', () => {
  let h: Harness, t: EmulatedTerminal;
  before(async () => {
    h = await harness('sqlite', { settings: { jt808CommandTimeoutS: 1 } });
    const port = await h.p.jt808.listen(0, '127.0.0.1');
    const [tid] = (await ensureSimDevices(h.p.ctx, 1, '0707')).terminalIds;
    t = new EmulatedTerminal(tid!, { host: '127.0.0.1', port });
    await t.login();
  });
  after(async () => { t?.drop(); await h?.close(); });

  it('is sent, stays sent while the lock is silent, then is timed_out with no_reply and audited', async () => {
    const token = await h.login('supervisor');
    const dev = await h.p.ctx.store.db.selectFrom('devices').select('id').where('terminal_id', '=', t.terminalId).executeTakeFirstOrThrow();
    const url = `/api/v1/devices/${dev.id}/commands`;
    t.answerCommands = false;
    const before = t.received.length;
    const sentAt = Date.now();
    const s = await h.req('POST', url, { token, body: { type: 'set_params', params: [{ id: 0x0029, value: 15 }] } });
    assert.equal(s.status, 202, JSON.stringify(s.body));
    const state = async () => (await h.req('GET', url, { token })).body.items.find((c: any) => c.id === s.body.id);
    await until(() => t.received.slice(before).includes(0x8103));
    assert.equal((await state()).state, 'sent');
    const done = await until(state, (c) => c.state !== 'sent', 4000);
    assert.equal(done.state, 'timed_out');
    assert.equal(done.result, 'no_reply');
    assert.ok(Date.now() - sentAt >= 900, 'not before the timeout');
    assert.equal(t.params.get(0x0029), 30, 'the lock never applied it');
    const audit = await h.p.ctx.store.db.selectFrom('audit_log').selectAll().where('subject', '=', s.body.id).where('action', '=', 'device.command_result').execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(JSON.parse(audit[0]!.after as string), { state: 'timed_out', result: 'no_reply' });
  });
});
