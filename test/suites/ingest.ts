import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type DbKind, type Harness } from '../harness.ts';
import { world, tripIn, act, type World } from './fixtures.ts';

export function ingestSuite(kind: DbKind, skip: string | false = false) {
  describe(`HTTP position ingest (${kind})`, { skip }, () => {
    let h: Harness, w: World, key: string;
    before(async () => {
      h = await harness(kind); w = await world(h);
      key = (await h.req('POST', '/api/v1/api-keys', { token: w.supervisor, body: { role: 'device', label: 'vendor gateway' } })).body.key;
    });
    after(async () => h?.close());
    const count = async (deviceId: string) => Number((await h.p.ctx.store.db.selectFrom('positions').select((eb) => eb.fn.countAll().as('n')).where('device_id', '=', deviceId).executeTakeFirstOrThrow()).n);

    it('stores a batch once, bound to the active trip, and a re-sent batch is not stored twice', async () => {
      const { tripId, deviceId } = await tripIn(w, 'in_transit');
      const dev = (await h.req('GET', `/api/v1/devices/${deviceId}`, { token: w.officer })).body;
      const t0 = h.clock.now();
      const positions = [0, 1, 2].map((i) => ({ terminalId: dev.terminalId, fixTime: new Date(t0 - 60_000 + i * 10_000).toISOString(), serial: i + 1, lat: 24.7 + i * 0.001, lon: 118.5, speedKmh: 60, batteryPct: 88 }));
      const r1 = await h.req('POST', '/api/v1/ingest/positions', { apiKey: key, body: { positions } });
      assert.deepEqual(r1.body, { stored: 3, duplicates: 0 });
      const r2 = await h.req('POST', '/api/v1/ingest/positions', { apiKey: key, body: { positions } });
      assert.deepEqual(r2.body, { stored: 0, duplicates: 3 });
      assert.equal(await count(deviceId), 3);
      const rows = await h.p.ctx.store.db.selectFrom('positions').select(['trip_id']).where('device_id', '=', deviceId).execute();
      assert.ok(rows.every((r) => r.trip_id === tripId));
      const after = (await h.req('GET', `/api/v1/devices/${deviceId}`, { token: w.officer })).body;
      assert.equal(after.batteryPct, 88); assert.ok(after.lastSeenAt);
    });

    it('measurements come back as they were sent, on either database (no 4-byte floats)', async () => {
      const { tripId, deviceId } = await tripIn(w, 'in_transit');
      const dev = (await h.req('GET', `/api/v1/devices/${deviceId}`, { token: w.officer })).body;
      const sent = { terminalId: dev.terminalId, fixTime: new Date(h.clock.now() - 5_000).toISOString(), serial: 77, lat: 24.712345, lon: 118.512345, speedKmh: 61.234567, heading: 271.34567, batteryPct: 87.654321 };
      assert.equal((await h.req('POST', '/api/v1/ingest/positions', { apiKey: key, body: { positions: [sent] } })).body.stored, 1);
      const [p] = (await h.req('GET', `/api/v1/trips/${tripId}/track`, { token: w.officer })).body.items.filter((x: any) => x.fixTime === sent.fixTime);
      assert.deepEqual([p.lat, p.lon, p.speedKmh, p.heading, p.batteryPct], [sent.lat, sent.lon, sent.speedKmh, sent.heading, sent.batteryPct]);
      assert.equal((await h.req('GET', `/api/v1/devices/${deviceId}`, { token: w.officer })).body.batteryPct, sent.batteryPct);
    });

    it('track and timeline: time-ordered even when uploaded out of order, simplified on request, exported as CSV and GeoJSON', async () => {
      const { tripId, deviceId } = await tripIn(w, 'in_transit');
      const dev = (await h.req('GET', `/api/v1/devices/${deviceId}`, { token: w.officer })).body;
      h.clock.advance(20 * 60_000); // the track below starts after the trip was sealed
      const t0 = h.clock.now() - 15 * 60_000;
      // a straight line with one bend, posted newest first
      const pts = Array.from({ length: 30 }, (_, i) => ({ terminalId: dev.terminalId, fixTime: new Date(t0 + i * 30_000).toISOString(), serial: i, lat: 24.7 + (i < 15 ? i : 15) * 0.001, lon: 118.5 + (i < 15 ? 0 : i - 15) * 0.001 })).reverse();
      assert.equal((await h.req('POST', '/api/v1/ingest/positions', { apiKey: key, body: { positions: pts } })).body.stored, 30);
      const track = (await h.req('GET', `/api/v1/trips/${tripId}/track`, { token: w.officer })).body.items;
      assert.equal(track.length, 30);
      assert.deepEqual(track.map((p: any) => p.fixTime), [...track.map((p: any) => p.fixTime)].sort());
      const thin = (await h.req('GET', `/api/v1/trips/${tripId}/track?simplifyM=20`, { token: w.officer })).body.items;
      assert.equal(thin.length, 3, 'a line with one bend keeps its two ends and the bend');
      const csv = await h.p.app.inject({ method: 'GET', url: `/api/v1/trips/${tripId}/track?format=csv`, headers: { authorization: `Bearer ${w.officer}` } });
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      const lines = csv.body.replace(/^\ufeff/, '').trim().split('\n');
      assert.equal(lines.length, 31); assert.match(lines[0], /^fixTime,lat,lon/);
      const geo = await h.req('GET', `/api/v1/trips/${tripId}/track?format=geojson`, { token: w.officer });
      assert.equal(geo.body.features[0].geometry.type, 'LineString'); assert.equal(geo.body.features[0].geometry.coordinates.length, 30);
      const ev = (await h.req('GET', `/api/v1/trips/${tripId}/events`, { token: w.officer })).body.items;
      assert.deepEqual(ev.filter((e: any) => e.kind === 'lifecycle').map((e: any) => e.type), ['accept', 'seal', 'depart']);
      const evCsv = await h.p.app.inject({ method: 'GET', url: `/api/v1/trips/${tripId}/events?format=csv`, headers: { authorization: `Bearer ${w.officer}` } });
      assert.match(evCsv.body, /lifecycle,seal/);
      assert.equal((await h.req('GET', `/api/v1/trips/${tripId}/track?from=yesterday`, { token: w.officer })).body.code, 'invalid_date');
      for (const from of ['1', '2026-01-01T00:00:00', 'Dec%203'])
        assert.equal((await h.req('GET', `/api/v1/trips/${tripId}/track?from=${from}`, { token: w.officer })).body.code, 'invalid_date', from);
    });

    it("a fix taken before the lock was sealed on its trip (its previous trip's buffer) is stored for the device, not put on the new trip", async () => {
      const { tripId, deviceId } = await tripIn(w, 'in_transit');
      const dev = (await h.req('GET', `/api/v1/devices/${deviceId}`, { token: w.officer })).body;
      const sealedAt = h.clock.now();
      const old = { terminalId: dev.terminalId, fixTime: new Date(sealedAt - 2 * 3600_000).toISOString(), serial: 501, lat: 22.31, lon: 113.94, late: true };
      const skewed = { terminalId: dev.terminalId, fixTime: new Date(sealedAt - 60_000).toISOString(), serial: 502, lat: 24.7, lon: 118.5 };
      assert.equal((await h.req('POST', '/api/v1/ingest/positions', { apiKey: key, body: { positions: [old, skewed] } })).body.stored, 2);
      const track = (await h.req('GET', `/api/v1/trips/${tripId}/track`, { token: w.officer })).body.items.map((p: any) => p.fixTime);
      assert.deepEqual(track, [skewed.fixTime], 'a lock clock a minute behind the seal still counts; two hours before does not');
      const rows = await h.p.ctx.store.db.selectFrom('positions').select(['trip_id', 'serial']).where('device_id', '=', deviceId).orderBy('serial').execute();
      assert.deepEqual(rows.map((r) => [r.serial, r.trip_id]), [[501, null], [502, tripId]]);
    });

    it('a bad position refuses the whole batch with a stable code and stores nothing', async () => {
      const { deviceId } = await tripIn(w, 'in_transit');
      const dev = (await h.req('GET', `/api/v1/devices/${deviceId}`, { token: w.officer })).body;
      const good = { terminalId: dev.terminalId, fixTime: '2026-11-28T09:00:00+08:00', lat: 24.7, lon: 118.5 };
      const badDate = await h.req('POST', '/api/v1/ingest/positions', { apiKey: key, body: { positions: [good, { ...good, fixTime: '28/11/2026 09:00' }] } });
      assert.equal(badDate.status, 400); assert.equal(badDate.body.code, 'invalid_date'); assert.match(badDate.body.detail, /positions\[1\]\.fixTime/);
      const feb30 = await h.req('POST', '/api/v1/ingest/positions', { apiKey: key, body: { positions: [{ ...good, fixTime: '2026-02-30T09:00:00+08:00' }] } });
      assert.equal(feb30.body.code, 'invalid_date', 'not rolled into March');
      const unknown = await h.req('POST', '/api/v1/ingest/positions', { apiKey: key, body: { positions: [{ ...good, terminalId: '999999999999' }] } });
      assert.equal(unknown.body.code, 'unknown_terminal');
      const badLat = await h.req('POST', '/api/v1/ingest/positions', { apiKey: key, body: { positions: [{ ...good, lat: 95 }] } });
      assert.equal(badLat.status, 400);
      assert.equal(await count(deviceId), 0);
    });

    it('a key bound to one device cannot post for another; an officer token cannot post at all', async () => {
      const a = await tripIn(w, 'in_transit');
      const b = await tripIn(w, 'in_transit');
      const bound = (await h.req('POST', '/api/v1/api-keys', { token: w.supervisor, body: { role: 'device', label: 'one lock', subjectId: a.deviceId } })).body.key;
      const devB = (await h.req('GET', `/api/v1/devices/${b.deviceId}`, { token: w.officer })).body;
      const r = await h.req('POST', '/api/v1/ingest/positions', { apiKey: bound, body: { positions: [{ terminalId: devB.terminalId, fixTime: '2026-11-28T09:00:00+08:00', lat: 24.7, lon: 118.5 }] } });
      assert.equal(r.status, 403);
      assert.equal((await h.req('POST', '/api/v1/ingest/positions', { token: w.officer, body: { positions: [] } })).status, 403);
    });

    it('an ingested position inside the destination lets the HK officer unseal', async () => {
      const { tripId, deviceId } = await tripIn(w, 'arrived');
      const dev = (await h.req('GET', `/api/v1/devices/${deviceId}`, { token: w.officer })).body;
      const [lon, lat] = w.destGeometry.coordinates;
      await h.req('POST', '/api/v1/ingest/positions', { apiKey: key, body: { positions: [{ terminalId: dev.terminalId, fixTime: new Date(h.clock.now()).toISOString(), lat, lon }] } });
      const r = await act(w, tripId, 'unseal', {}, w.officerHk);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    });
  });
}
