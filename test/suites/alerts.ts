/** Alert workflow, escalation, the live WebSocket feed (with resume) and signed webhooks. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { harness, until, type DbKind, type Harness } from '../harness.ts';
import { applySignals, publishAlerts } from '../../src/alerts/alert-store.ts';
import { escalateStaleAlerts } from '../../src/alerts/alert-routes.ts';
import { signWebhook } from '../../src/alerts/webhooks.ts';
import { world, tripIn, type World } from './fixtures.ts';

export function alertsSuite(kind: DbKind, skip: string | false = false) {
  describe(`alerts, live feed and webhooks (${kind})`, { skip }, () => {
    let h: Harness, w: World;
    before(async () => { h = await harness(kind); w = await world(h); });
    after(async () => h?.close());
    const raise = async (tripId: string, type: string, severity: 'warning' | 'critical', extra: object = {}) => {
      const rows = await h.p.ctx.change((trx, audit) => applySignals(trx, h.p.ctx, [{ kind: 'raise', tripId, deviceId: null, type, severity, time: h.clock.now(), late: false, lat: 24.7, lon: 118.5, ...extra }], audit));
      publishAlerts(h.p.ctx, rows);
      return rows[0];
    };

    it('one open alert per trip and type: a repeat updates it and can raise its severity', async () => {
      const { tripId } = await tripIn(w, 'in_transit');
      const a = await raise(tripId, 'unauthorised_stop', 'warning');
      const b = await raise(tripId, 'unauthorised_stop', 'critical');
      assert.equal(a.id, b.id); assert.equal(b.occurrences, 2); assert.equal(b.severity, 'critical');
      const list = await h.req('GET', `/api/v1/alerts?tripId=${tripId}`, { token: w.officer });
      assert.equal(list.body.items.length, 1);
    });

    it('officers acknowledge and resolve with disposition and incident code; enterprises only read their own', async () => {
      const { tripId } = await tripIn(w, 'in_transit');
      const a = await raise(tripId, 'route_deviation', 'warning');
      assert.equal((await h.req('POST', `/api/v1/alerts/${a.id}/acknowledge`, { token: w.ent, body: {} })).status, 403);
      assert.equal((await h.req('GET', `/api/v1/alerts/${a.id}`, { token: w.ent })).status, 200);
      assert.equal((await h.req('GET', `/api/v1/alerts/${a.id}`, { token: w.entOther })).status, 404);
      const ack = await h.req('POST', `/api/v1/alerts/${a.id}/acknowledge`, { token: w.officer, body: { comment: 'calling the driver' } });
      assert.equal(ack.body.state, 'acknowledged');
      const needsCode = await h.req('POST', `/api/v1/alerts/${a.id}/resolve`, { token: w.officer, body: { disposition: 'violation_confirmed', comment: 'left the corridor' } });
      assert.equal(needsCode.status, 400); assert.equal(needsCode.body.code, 'incident_code_required');
      const res = await h.req('POST', `/api/v1/alerts/${a.id}/resolve`, { token: w.officer, body: { disposition: 'violation_confirmed', incidentCode: 'deviated_from_route', comment: 'left the corridor for 12 km' } });
      assert.equal(res.body.state, 'resolved'); assert.equal(res.body.incidentCode, 'deviated_from_route');
      const again = await h.req('POST', `/api/v1/alerts/${a.id}/acknowledge`, { token: w.officer, body: {} });
      assert.equal(again.status, 409);
      const detail = (await h.req('GET', `/api/v1/alerts/${a.id}`, { token: w.officer })).body;
      assert.deepEqual(detail.comments.map((c: any) => c.body), ['calling the driver', 'left the corridor for 12 km']);
      const audit = (await h.req('GET', `/api/v1/audit?subject=${a.id}`, { token: w.supervisor })).body.items.map((e: any) => e.action);
      assert.deepEqual(audit, ['alert.resolve', 'alert.acknowledge', 'alert.raise']);
      // a new occurrence after resolution opens a new alert
      const b = await raise(tripId, 'route_deviation', 'warning');
      assert.notEqual(b.id, a.id);
      const filtered = await h.req('GET', `/api/v1/alerts?tripId=${tripId}&state=resolved`, { token: w.officer });
      assert.deepEqual(filtered.body.items.map((x: any) => x.id), [a.id]);
      const inBox = await h.req('GET', `/api/v1/alerts?bbox=118,24,119,25&tripId=${tripId}`, { token: w.officer });
      assert.equal(inBox.body.items.length, 2);
      const outBox = await h.req('GET', `/api/v1/alerts?bbox=100,10,101,11&tripId=${tripId}`, { token: w.officer });
      assert.equal(outBox.body.items.length, 0);
    });

    it('an alert left unacknowledged too long escalates once', async () => {
      const { tripId } = await tripIn(w, 'in_transit');
      const a = await raise(tripId, 'tamper', 'critical');
      assert.equal((await escalateStaleAlerts(h.p.ctx, { criticalS: 120, warningS: 900 })).filter((r) => r.id === a.id).length, 0);
      h.clock.advance(121_000);
      const esc = await escalateStaleAlerts(h.p.ctx, { criticalS: 120, warningS: 900 });
      assert.ok(esc.some((r) => r.id === a.id));
      assert.equal((await escalateStaleAlerts(h.p.ctx, { criticalS: 120, warningS: 900 })).filter((r) => r.id === a.id).length, 0);
      assert.ok((await h.req('GET', `/api/v1/alerts/${a.id}`, { token: w.officer })).body.escalatedAt);
      Object.assign(w, await (await import('./fixtures.ts')).world(h));
    });

    it('live feed: authenticated, filtered, and resumable from the last event ID', async () => {
      const { tripId } = await tripIn(w, 'in_transit');
      const other = await tripIn(w, 'in_transit');
      const got: any[] = [];
      const ws = await h.p.app.injectWS(`/api/v1/live?token=${w.officer}`);
      ws.on('message', (m: Buffer) => got.push(JSON.parse(String(m))));
      ws.send(JSON.stringify({ subscribe: { positions: { tripIds: [tripId] }, alerts: true }, throttleMs: 250 }));
      await until(() => got.some((m) => m.type === 'subscribed'));
      const a = await raise(tripId, 'low_battery', 'warning');
      await until(() => got.some((m) => m.type === 'event' && m.kind === 'alert' && m.data.id === a.id));
      const lastId = got.filter((m) => m.type === 'event').at(-1).id;
      ws.terminate();
      // missed while disconnected
      const b = await raise(other.tripId, 'low_battery', 'critical');
      const c = await raise(tripId, 'signal_lost', 'warning');
      const got2: any[] = [];
      const ws2 = await h.p.app.injectWS(`/api/v1/live?token=${w.officer}`);
      ws2.on('message', (m: Buffer) => got2.push(JSON.parse(String(m))));
      ws2.send(JSON.stringify({ subscribe: { positions: 'none', alerts: true }, lastEventId: lastId }));
      await until(() => got2.some((m) => m.type === 'subscribed'));
      const replayed = got2.filter((m) => m.type === 'event').map((m) => m.data.id);
      assert.deepEqual(replayed, [b.id, c.id]);
      ws2.terminate();
      // an enterprise only gets its own trips' events
      const got3: any[] = [];
      const ws3 = await h.p.app.injectWS(`/api/v1/live?token=${w.entOther}`);
      ws3.on('message', (m: Buffer) => got3.push(JSON.parse(String(m))));
      ws3.send(JSON.stringify({ subscribe: { positions: 'all', alerts: true }, lastEventId: 0 }));
      await until(() => got3.some((m) => m.type === 'subscribed'));
      assert.equal(got3.filter((m) => m.type === 'event').length, 0);
      ws3.send('not json');
      await until(() => got3.some((m) => m.type === 'error' && m.code === 'malformed_json'));
      ws3.terminate();
      await assert.rejects(h.p.app.injectWS('/api/v1/live'), 'no token, no socket');
    });

    it('live feed: a client following a few trips may take every fix unthrottled; a wide subscription stays throttled', async () => {
      const { tripId, deviceId } = await tripIn(w, 'in_transit');
      const terminalId = (await h.req('GET', `/api/v1/devices/${deviceId}`, { token: w.officer })).body.terminalId;
      const follow: any[] = [], wide: any[] = [];
      const ws = await h.p.app.injectWS(`/api/v1/live?token=${w.officer}`);
      ws.on('message', (m: Buffer) => follow.push(JSON.parse(String(m))));
      ws.send(JSON.stringify({ subscribe: { positions: { tripIds: [tripId] } }, throttleMs: 0 }));
      const ws2 = await h.p.app.injectWS(`/api/v1/live?token=${w.officer}`);
      ws2.on('message', (m: Buffer) => wide.push(JSON.parse(String(m))));
      ws2.send(JSON.stringify({ subscribe: { positions: 'all' }, throttleMs: 0 }));
      await until(() => follow.some((m) => m.type === 'subscribed') && wide.some((m) => m.type === 'subscribed'));
      assert.equal(follow.find((m) => m.type === 'subscribed').throttleMs, 0);
      assert.equal(wide.find((m) => m.type === 'subscribed').throttleMs, 250, '"all" cannot switch the throttle off');
      const t0 = h.clock.now() - 60_000;
      for (let i = 0; i < 3; i++) {
        await h.p.ctx.positions.write([{ deviceId, terminalId, fixTime: t0 + i * 1000, receivedAt: h.clock.now(), serial: 900 + i, lat: 24.8, lon: [118.6, 118.601, 118.602][i], altitudeM: 0, speedKmh: 60, heading: 90, alarm: 0, status: 0, batteryPct: 80, lockEvents: [], items: {}, late: false, source: 'http', raw: '{}' }]);
      }
      const mine = (ms: any[]) => ms.filter((m) => m.type === 'event' && m.kind === 'position' && m.data.tripId === tripId);
      await until(() => mine(follow).length === 3);
      assert.deepEqual(mine(follow).map((m) => m.data.lon), [118.6, 118.601, 118.602], 'every fix, in order');
      await until(() => mine(wide).length >= 1);
      await new Promise((r) => setTimeout(r, 400));
      assert.deepEqual(mine(wide).map((m) => m.data.lon), [118.602], 'one throttle window: only the latest fix');
      ws.terminate(); ws2.terminate();
    });

    it('webhooks: signed, retried with backoff after a failure, and logged', async () => {
      const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
      let failFirst = true;
      const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          if (failFirst) { failFirst = false; res.writeHead(503).end(); return; }
          received.push({ headers: req.headers, body });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as any).port}/hook`;
      const hook = await h.req('POST', '/api/v1/webhooks', { token: w.supervisor, body: { url, events: ['alert.raised'] } });
      assert.equal(hook.status, 201);
      const { tripId } = await tripIn(w, 'in_transit');
      await raise(tripId, 'overdue', 'critical');
      await until(async () => (await h.req('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`, { token: w.supervisor })).body.items.length === 1);
      await h.p.webhooks.runDue();
      let log = (await h.req('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`, { token: w.supervisor })).body.items;
      assert.deepEqual([log[0].state, log[0].attempts, log[0].lastStatus], ['pending', 1, 503]);
      h.clock.advance(1500); // past the first backoff
      await h.p.webhooks.runDue();
      log = (await h.req('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`, { token: w.supervisor })).body.items;
      assert.deepEqual([log[0].state, log[0].attempts], ['delivered', 2]);
      const [d] = received;
      const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(d.headers['x-onelock-signature']));
      assert.ok(m, 'signature header');
      assert.equal(m![2], signWebhook(hook.body.secret, Number(m![1]), d.body));
      assert.equal(JSON.parse(d.body).alert.type, 'overdue');
      server.close();
    });
  });
}
