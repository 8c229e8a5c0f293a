import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type DbKind, type Harness } from '../harness.ts';
import { world, tripIn, act, type World } from './fixtures.ts';

/** The endpoints the dashboard reads beyond the plain resources: the map snapshot and the statistics. */
export function dashboardApiSuite(kind: DbKind, skip: string | false = false) {
  describe(`dashboard API: live snapshot and statistics (${kind})`, { skip }, () => {
    let h: Harness, w: World, key: string;
    before(async () => {
      h = await harness(kind); w = await world(h);
      key = (await h.req('POST', '/api/v1/api-keys', { token: w.supervisor, body: { role: 'device', label: 'vendor gateway' } })).body.key;
    });
    after(async () => h?.close());

    it('snapshot: the latest fix of each active trip, confined to the enterprise for enterprise users', async () => {
      const { tripId, deviceId } = await tripIn(w, 'in_transit');
      const dev = (await h.req('GET', `/api/v1/devices/${deviceId}`, { token: w.officer })).body;
      const t0 = h.clock.now();
      const positions = [0, 1].map((i) => ({ terminalId: dev.terminalId, fixTime: new Date(t0 - 20_000 + i * 10_000).toISOString(), serial: i + 1, lat: 24.7 + i * 0.01, lon: 118.5, heading: 90 + i, speedKmh: 50 }));
      assert.equal((await h.req('POST', '/api/v1/ingest/positions', { apiKey: key, body: { positions } })).status, 200);
      await h.p.ctx.positions.drain();
      const snap = await h.req('GET', '/api/v1/live/snapshot', { token: w.officer });
      assert.equal(snap.status, 200);
      const mine = snap.body.items.find((x: any) => x.tripId === tripId);
      assert.ok(mine, 'the in-transit trip is on the map');
      assert.equal(mine.lat, 24.71); assert.equal(mine.heading, 91); assert.equal(mine.state, 'in_transit');
      assert.ok(mine.plate);
      const own = await h.req('GET', '/api/v1/live/snapshot', { token: w.ent });
      assert.ok(own.body.items.some((x: any) => x.tripId === tripId));
      const other = await h.req('GET', '/api/v1/live/snapshot', { token: w.entOther });
      assert.ok(other.body.items.every((x: any) => x.enterpriseId !== w.enterpriseId), 'another enterprise never sees these trips');
    });

    it('stats: trips per day, transit by route, auto-release rate, time saved against the baseline, goods value', async () => {
      const { tripId } = await tripIn(w, 'handed_over');
      h.clock.advance(90 * 60_000);
      // tokens last an hour; the fake clock just moved past that
      w.officer = await h.login('officer.cn'); w.supervisor = await h.login('supervisor'); w.ent = await h.login('jinjiang.trade');
      assert.equal((await act(w, tripId, 'arrive')).status, 200);
      const r = await h.req('GET', '/api/v1/stats?days=7', { token: w.supervisor });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.tripsPerDay.length, 7);
      assert.ok(r.body.tripsPerDay.reduce((a: number, d: any) => a + d.count, 0) >= 2);
      const route = r.body.transitByRoute.find((x: any) => x.routeId === w.routeId);
      assert.ok(route && route.medianMin >= 90, JSON.stringify(r.body.transitByRoute));
      assert.equal(r.body.timeSaved.baselineClearanceMin, 45);
      assert.equal(r.body.timeSaved.savedMin, r.body.gate.autoReleased * 45);
      assert.ok(r.body.goodsValue.find((g: any) => g.currency === 'CNY').total >= 240000);
      assert.equal((await h.req('GET', '/api/v1/stats?days=0', { token: w.supervisor })).status, 400);
      assert.equal((await h.req('GET', '/api/v1/stats', { token: w.ent })).status, 403);
    });

    it('the dashboard page is public at /', async () => {
      const r = await h.req('GET', '/');
      assert.equal(r.status, 200);
      assert.match(String(r.headers['content-type']), /text\/html/);
    });
  });
}
