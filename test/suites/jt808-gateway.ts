import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, until, type DbKind, type Harness } from '../harness.ts';
import { world, tripIn, fixAt, act, type World } from './fixtures.ts';
import { EmulatedTerminal } from '../../src/sim/terminal.ts';
import { ensureSimDevices } from '../../src/sim/devices.ts';
import { encodeMessage, frameContent, escapeAndFrame, encodeBody, deviceTimeOf } from '../../src/devices/jt808/index.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const waitFor = <T>(fn: () => Promise<T> | T, what: string, ms = 5000) => until(fn, (v) => !!v, ms, what);

export function jt808GatewaySuite(kind: DbKind, skip: string | false = false) {
  describe(`JT/T 808 gateway over TCP (${kind})`, { skip }, () => {
    let h: Harness, w: World, port: number;
    const terms: EmulatedTerminal[] = [];
    let tids: string[] = [];
    const term = (tid: string) => { const t = new EmulatedTerminal(tid, { host: '127.0.0.1', port }); terms.push(t); return t; };
    const rows = async (terminalId: string) => {
      const d = await h.p.ctx.store.db.selectFrom('devices').select('id').where('terminal_id', '=', terminalId).executeTakeFirstOrThrow();
      return h.p.ctx.store.db.selectFrom('positions').selectAll().where('device_id', '=', d.id).orderBy('fix_time').execute();
    };
    let fixT = Date.parse('2026-11-28T01:00:00Z');
    const fix = () => ({ time: (fixT += 1000), lat: 24.75, lon: 118.55, speedKmh: 50, heading: 90, batteryPct: 77 });

    before(async () => {
      h = await harness(kind); w = await world(h);
      port = await h.p.jt808.listen(0, '127.0.0.1');
      tids = (await ensureSimDevices(h.p.ctx, 13, '0707')).terminalIds;
    });
    after(async () => { for (const t of terms) t.drop(); await h?.close(); });

    it('a registered lock gets its auth code (idempotently) and authenticates; a wrong code is refused', async () => {
      const t = term(tids[0]!);
      await t.connect();
      assert.equal(await t.register(), 0);
      const dev = await h.p.ctx.store.db.selectFrom('devices').select('auth_code').where('terminal_id', '=', tids[0]!).executeTakeFirstOrThrow();
      assert.equal(t.authCode, dev.auth_code);
      assert.equal(await t.register(), 0, 'registering again is answered the same way');
      assert.equal(t.authCode, dev.auth_code);
      assert.equal(await t.authenticate('wrong'), 1);
      assert.equal(await t.authenticate(), 0);
      assert.equal((await t.heartbeat())?.result, 0);
      assert.ok(h.p.jt808.sessionOf(tids[0]!));
    });

    it('a lock that seals a trip is not given its auth code by a registration (result 3), and still authenticates with the code it has', async () => {
      const { deviceId } = await tripIn(w, 'in_transit');
      const dev = await h.p.ctx.store.db.selectFrom('devices').select(['terminal_id', 'auth_code']).where('id', '=', deviceId).executeTakeFirstOrThrow();
      const spoof = term(dev.terminal_id);
      await spoof.connect();
      const before = h.p.jt808.stats.registrationsRefused;
      assert.equal(await spoof.register(), 3);
      assert.equal(spoof.authCode, null, 'no code handed out');
      assert.equal(await spoof.authenticate('guess'), 1);
      assert.equal(h.p.jt808.stats.registrationsRefused, before + 1);
      spoof.drop();
      const lock = term(dev.terminal_id);
      lock.authCode = dev.auth_code;
      await lock.login();
      assert.ok(h.p.jt808.sessionOf(dev.terminal_id));
      lock.drop();
    });

    it('an unknown terminal gets result 4; data before authentication is answered 1 and never stored', async () => {
      const u = term('099999999999');
      await u.connect();
      assert.equal(await u.register(), 4);
      assert.equal(u.authCode, null);
      const before = Number((await h.p.ctx.store.db.selectFrom('positions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const r = await u.request(0x0200, u.locationOf(fix()));
      assert.equal(r.result, 1);
      const k = term(tids[1]!); // registered, but not authenticated on this connection
      await k.connect();
      assert.equal((await k.request(0x0200, k.locationOf(fix())))?.result, 1);
      await h.p.ctx.positions.drain();
      const after = Number((await h.p.ctx.store.db.selectFrom('positions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      assert.equal(after, before);
    });

    it('every acknowledged position is stored (acks counted against rows), with lock events, battery, items and the raw frame', async () => {
      const ts = tids.slice(2, 6).map(term);
      await Promise.all(ts.map((t) => t.login()));
      for (let i = 0; i < 25; i++) {
        for (const t of ts) { if (i === 10) t.injectEvent('shell_tamper'); t.report(fix()); }
      }
      await waitFor(() => ts.every((t) => t.acked === 25), 'all acks');
      for (const t of ts) {
        const rs = await rows(t.terminalId);
        assert.equal(rs.length, t.acked, `rows of ${t.terminalId}`);
        assert.equal(rs.filter((r) => JSON.parse(r.lock_events).includes('shell_tamper')).length, 1);
        assert.ok(rs.every((r) => r.battery_pct === 77 && r.source === 'jt808' && r.raw.startsWith('0200') && r.late === 0));
        assert.ok(JSON.parse(rs[0]!.items).items.some((it: any) => it.id === 0xe1));
      }
    });

    it('a position re-sent after a reconnect (same serial and fix time) is stored once', async () => {
      const t = term(tids[6]!);
      await t.login();
      const f = fix();
      const serial = t.report(f);
      await waitFor(() => t.acked === 1, 'first ack');
      const wire = encodeMessage({ header: { msgId: 0x0200, version: 2013, terminalId: t.terminalId, serial }, body: t.locationOf(f) });
      t.drop();
      await t.login();
      t.unacked.set(serial, { wire, sentAt: performance.now(), count: 1 });
      t.write(wire);
      await waitFor(() => t.acked === 2, 'ack of the re-sent report');
      assert.equal((await rows(t.terminalId)).length, 1);
    });

    it('a 0x0704 blind-area batch (type 1) is stored late; a normal batch (type 0) is not', async () => {
      const t = term(tids[7]!);
      await t.login();
      t.uploadBacklog([fix(), fix(), fix()], 1);
      t.uploadBacklog([fix(), fix()], 0);
      await waitFor(() => t.acked === 5, 'batch acks');
      const rs = await rows(t.terminalId);
      assert.deepEqual(rs.map((r) => r.late), [1, 1, 1, 0, 0]);
    });

    it('a frame with a bad checksum is counted and not acknowledged', async () => {
      const t = term(tids[8]!);
      await t.login();
      const content = frameContent({ msgId: 0x0200, version: 2013, terminalId: t.terminalId, serial: 4000 }, encodeBody(0x0200, t.locationOf(fix()), 2013));
      content[content.length - 1] ^= 0x55;
      const before = h.p.jt808.stats.errors.bad_checksum ?? 0;
      const got = t.received.length;
      t.write(escapeAndFrame(content));
      await waitFor(() => (h.p.jt808.stats.errors.bad_checksum ?? 0) === before + 1, 'bad checksum counted');
      await sleep(150);
      assert.equal(t.received.length, got, 'no answer to a bad frame');
      await h.p.ctx.positions.drain();
      assert.equal((await rows(t.terminalId)).length, 0);
    });

    it('an encrypted body (RSA bit set) is answered unsupported and stored nowhere; the session and the server go on', async () => {
      const t = term(tids[12]!);
      await t.login();
      const before = h.p.jt808.stats.errors.encrypted_unsupported ?? 0;
      for (const [msgId, body] of [[0x0200, encodeBody(0x0200, t.locationOf(fix()), 2013)], [0x0704, encodeBody(0x0704, { type: 1, locations: [t.locationOf(fix())] } as any, 2013)]] as const) {
        // what used to end the process: the position reader took the undecoded body for a location
        t.write(escapeAndFrame(frameContent({ msgId, version: 2013, terminalId: t.terminalId, serial: 4100 + msgId, encryption: 1 } as any, body)));
      }
      await waitFor(() => (h.p.jt808.stats.errors.encrypted_unsupported ?? 0) === before + 2, 'both counted');
      await waitFor(() => t.received.filter((m) => m === 0x8001).length >= 3, 'both answered'); // + the authentication's
      t.report(fix());
      await waitFor(() => t.acked === 1, 'the next plain report is acknowledged');
      await h.p.ctx.positions.drain();
      assert.equal((await rows(t.terminalId)).length, 1);
    });

    it('one live session per terminal: a new login closes the old connection', async () => {
      const a = term(tids[9]!), b = term(tids[9]!);
      await a.login();
      b.authCode = a.authCode;
      await b.login();
      await waitFor(() => !a.connected, 'old connection closed');
      assert.equal(h.p.jt808.sessionOf(tids[9]!)?.socket.remotePort, b.socket!.localPort);
      b.report(fix());
      await waitFor(() => b.acked === 1, 'ack on the new session');
    });

    it('sub-packages are reassembled; a missing part is asked for again with 0x8003', async () => {
      const t = term(tids[10]!);
      await t.login();
      const body = encodeBody(0x0704, { type: 1, locations: [t.locationOf(fix()), t.locationOf(fix())] }, 2013);
      const half = Math.ceil(body.length / 2);
      const part = (i: number, serial: number) => escapeAndFrame(frameContent({ msgId: 0x0704, version: 2013, terminalId: t.terminalId, serial, package: { total: 2, index: i } }, i === 1 ? body.subarray(0, half) : body.subarray(half)));
      t.write(part(1, 500));
      await sleep(100);
      h.clock.advance(6000);
      await waitFor(() => t.received.includes(0x8003), '0x8003 re-send request', 3000);
      t.unacked.set(500, { wire: Buffer.alloc(0), sentAt: performance.now(), count: 2 });
      t.write(part(2, 501)); // answered with the serial of package 1
      await waitFor(() => t.acked === 2, 'reassembled batch acknowledged');
      assert.equal((await rows(t.terminalId)).length, 2);
    });

    it('sub-packages: a message of 300 parts is asked for 255 at a time without harm; parts before login are refused, not kept', async () => {
      const before = h.p.jt808.stats.unauthenticated;
      const stranger = term(tids[11]!);
      await stranger.connect();
      stranger.write(escapeAndFrame(frameContent({ msgId: 0x0704, version: 2013, terminalId: stranger.terminalId, serial: 1, package: { total: 2, index: 1 } }, Buffer.alloc(10))));
      await waitFor(() => h.p.jt808.stats.unauthenticated === before + 1, 'refused before login');
      stranger.drop();
      const t = term(tids[10]!);
      await t.login();
      const sent = t.received.length;
      // one part of 300: the 0x8003 asking for the other 299 once overflowed its one-byte count inside the sweep timer and ended the process
      t.write(escapeAndFrame(frameContent({ msgId: 0x0704, version: 2013, terminalId: t.terminalId, serial: 900, package: { total: 300, index: 1 } }, Buffer.alloc(0))));
      await sleep(100);
      h.clock.advance(6000);
      await waitFor(() => t.received.slice(sent).includes(0x8003), '0x8003 re-send request', 3000);
      t.report(fix());
      await waitFor(() => t.acked >= 1, 'the session goes on');
    });

    it('a downlink command is sent to the live session and matched to the reply; an offline lock is 409 and records nothing', async () => {
      const t = term(tids[11]!);
      await t.login();
      const dev = await h.p.ctx.store.db.selectFrom('devices').select('id').where('terminal_id', '=', t.terminalId).executeTakeFirstOrThrow();
      const url = `/api/v1/devices/${dev.id}/commands`;
      const s = await h.req('POST', url, { token: w.officer, body: { type: 'set_params', params: [{ id: 0x0029, value: 15 }] } });
      assert.equal(s.status, 202, JSON.stringify(s.body));
      assert.equal(s.body.msgId, '0x8103');
      await waitFor(async () => (await h.req('GET', url, { token: w.officer })).body.items.find((c: any) => c.id === s.body.id)?.state === 'acknowledged', 'set_params acknowledged');
      assert.equal(t.params.get(0x0029), 15);
      const q = await h.req('POST', url, { token: w.supervisor, body: { type: 'query_params' } });
      const done = await waitFor(async () => (await h.req('GET', url, { token: w.officer })).body.items.find((c: any) => c.id === q.body.id && c.state === 'acknowledged'), 'query answered');
      assert.ok(done.reply.params.some((p: any) => p.id === 0x0029 && p.value === 15));
      assert.equal((await h.req('POST', url, { token: w.ent, body: { type: 'query_params' } })).status, 403);
      assert.equal((await h.req('POST', url, { token: w.officer, body: { type: 'passthrough', passthroughType: 0xf0, data: 'zz' } })).status, 400);
      t.drop();
      await waitFor(() => !h.p.jt808.sessionOf(t.terminalId), 'session gone');
      const n = (await h.req('GET', url, { token: w.officer })).body.items.length;
      const off = await h.req('POST', url, { token: w.officer, body: { type: 'unlock' } });
      assert.equal(off.status, 409); assert.equal(off.body.code, 'device_offline');
      assert.equal((await h.req('GET', url, { token: w.officer })).body.items.length, n);
    });

    it('a lock that seals a trip is not opened by a device command: 409 lock_on_active_trip, nothing sent or recorded', async () => {
      const { tripId, deviceId } = await tripIn(w, 'in_transit');
      const dev = await h.p.ctx.store.db.selectFrom('devices').select(['terminal_id', 'auth_code']).where('id', '=', deviceId).executeTakeFirstOrThrow();
      const t = term(dev.terminal_id);
      t.authCode = dev.auth_code;
      await t.login();
      const url = `/api/v1/devices/${deviceId}/commands`;
      for (const type of ['unlock', 'lock']) {
        const r = await h.req('POST', url, { token: w.officerHk, body: { type } });
        assert.equal(r.status, 409, JSON.stringify(r.body)); assert.equal(r.body.code, 'lock_on_active_trip'); assert.equal(r.body.tripId ?? r.body.errors?.tripId ?? tripId, tripId);
      }
      assert.deepEqual((await h.req('GET', url, { token: w.officer })).body.items, []);
      assert.equal(t.lockState === 'unsealed', false);
      assert.equal((await h.req('GET', `/api/v1/trips/${tripId}`, { token: w.officer })).body.state, 'in_transit');
      t.drop();
    });

    it("the trip's authorised unseal sends the profile's unlock to a live lock, and records device_offline when it is not", async () => {
      const { tripId, deviceId } = await tripIn(w, 'arrived');
      const dev = await h.p.ctx.store.db.selectFrom('devices').select(['terminal_id', 'auth_code']).where('id', '=', deviceId).executeTakeFirstOrThrow();
      const t = term(dev.terminal_id);
      t.authCode = dev.auth_code;
      await t.login();
      await fixAt(w, deviceId, w.destGeometry.coordinates[0]!, w.destGeometry.coordinates[1]!);
      const r = await act(w, tripId, 'unseal', {}, w.officerHk);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const cmd = await waitFor(async () => (await h.req('GET', `/api/v1/devices/${deviceId}/commands`, { token: w.officer })).body.items.find((c: any) => c.type === 'unlock' && c.state === 'acknowledged'), 'unlock acknowledged');
      assert.equal(cmd.tripId, tripId); assert.equal(cmd.msgId, '0x8105');
      assert.equal(t.lockState, 'unsealed');

      const off = await tripIn(w, 'unsealed'); // its lock never connected
      assert.equal((await h.req('GET', `/api/v1/trips/${off.tripId}`, { token: w.officer })).body.state, 'unsealed');
      const rec = await waitFor(async () => (await h.req('GET', `/api/v1/devices/${off.deviceId}/commands`, { token: w.officer })).body.items[0], 'offline unlock recorded');
      assert.equal(rec.state, 'failed'); assert.equal(rec.result, 'device_offline'); assert.equal(rec.type, 'unlock');
    });
  });
}
