/** A downlink command the lock never answers is recorded timed_out (and audited) after the configured timeout. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { harness, until, type Harness } from './harness.ts';
import { EmulatedTerminal } from '../src/sim/terminal.ts';
import { ensureSimDevices } from '../src/sim/devices.ts';
import { encodeMessage } from '../src/devices/jt808/index.ts';

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

describe('JT/T 808 downlink command answered after its timeout', () => {
  let h: Harness, t: EmulatedTerminal;
  before(async () => {
    h = await harness('sqlite', { settings: { jt808CommandTimeoutS: 1 } });
    const port = await h.p.jt808.listen(0, '127.0.0.1');
    const [tid] = (await ensureSimDevices(h.p.ctx, 1, '0708')).terminalIds;
    t = new EmulatedTerminal(tid!, { host: '127.0.0.1', port });
    await t.login();
  });
  after(async () => { t?.drop(); await h?.close(); });

  it('records what the lock did: timed_out, then acknowledged with its reply, audited as late', async () => {
    const token = await h.login('supervisor');
    const dev = await h.p.ctx.store.db.selectFrom('devices').select('id').where('terminal_id', '=', t.terminalId).executeTakeFirstOrThrow();
    const url = `/api/v1/devices/${dev.id}/commands`;
    t.answerCommands = false;
    const s = await h.req('POST', url, { token, body: { type: 'set_params', params: [{ id: 0x0029, value: 20 }] } });
    assert.equal(s.status, 202, JSON.stringify(s.body));
    const state = async () => (await h.req('GET', url, { token })).body.items.find((c: any) => c.id === s.body.id);
    await until(state, (c) => c.state === 'timed_out', 4000);
    t.answerHeld();
    const done = await until(state, (c) => c.state !== 'timed_out', 3000, 'the late reply recorded');
    assert.equal(done.state, 'acknowledged');
    assert.equal(done.result, 'ok');
    assert.ok(done.repliedAt, 'replied_at set');
    assert.equal(t.params.get(0x0029), 20, 'the lock applied it');
    const audit = await h.p.ctx.store.db.selectFrom('audit_log').selectAll().where('subject', '=', s.body.id).where('action', '=', 'device.command_result').orderBy('seq').execute();
    assert.deepEqual(audit.map((a) => JSON.parse(a.after as string)), [{ state: 'timed_out', result: 'no_reply' }, { state: 'acknowledged', result: 'ok', late: true }]);
  });

  it('ignores a second reply to the same command and a reply to a serial it never sent', async () => {
    const token = await h.login('supervisor');
    const dev = await h.p.ctx.store.db.selectFrom('devices').select('id').where('terminal_id', '=', t.terminalId).executeTakeFirstOrThrow();
    const url = `/api/v1/devices/${dev.id}/commands`;
    t.answerCommands = true;
    const s = await h.req('POST', url, { token, body: { type: 'set_params', params: [{ id: 0x0029, value: 25 }] } });
    const state = async () => (await h.req('GET', url, { token })).body.items.find((c: any) => c.id === s.body.id);
    const first = await until(state, (c) => c.state === 'acknowledged', 3000);
    // the same answer again, and one to a serial nobody used: neither changes or adds anything
    const reply = (serial: number, answerSerial: number, result: number) =>
      t.write(encodeMessage({ header: { msgId: 0x0001, version: 2013, terminalId: t.terminalId, serial }, body: { answerSerial, answerMsgId: 0x8103, result } }));
    reply(0x7001, first.serial, 1);
    reply(0x7002, 0xfff0, 0);
    await t.heartbeat(); // answered after both replies were handled (one connection, in order)
    const again = await state();
    assert.equal(again.state, 'acknowledged');
    assert.equal(again.result, 'ok');
    const audit = await h.p.ctx.store.db.selectFrom('audit_log').select('seq').where('subject', '=', s.body.id).where('action', '=', 'device.command_result').execute();
    assert.equal(audit.length, 1);
  });
});
