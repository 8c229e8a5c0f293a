/**
 * Supervision through the real platform: synthetic tracks on the real seeded route are posted to
 * HTTP ingest with a device key; the pipeline evaluates them, raises and clears alerts, records
 * milestones and moves the trip. Timers are ticked by hand on the ManualClock.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type DbKind, type Harness } from '../harness.ts';
import { world, tripIn, type World } from './fixtures.ts';
import { loadSeedRoute } from '../../src/supervision/seed-route.ts';
import { syntheticTrack, type SyntheticTrackOptions } from '../../src/supervision/synthetic-track.ts';
import { locate, pointAt } from '../../src/supervision/corridor.ts';
import type { Fix } from '../../src/supervision/types.ts';

export function supervisionSuite(kind: DbKind, skip: string | false = false) {
  describe(`supervision pipeline (${kind})`, { skip }, () => {
    let h: Harness, w: World, key: string;
    const route = loadSeedRoute();
    const along = (name: string) => { const f = route.fences[name]; return locate(route.corridor, f.cx / f.kx, f.cy / f.ky).alongM; };
    let serial = 0;

    before(async () => {
      // An hour between coalesced checkpoints, so the tests see trips whose checkpoint lags their state.
      h = await harness(kind, { settings: { supervisionCheckpointS: 3600 } }); w = await world(h);
      key = (await h.req('POST', '/api/v1/api-keys', { token: w.supervisor, body: { role: 'device', label: 'supervision test gateway' } })).body.key;
    });
    after(async () => h?.close());

    let loggedInAt = 0;
    /** The ManualClock moves with the tracks; tokens live an hour, so log in again when needed. */
    const relogin = async () => {
      if (h.clock.now() - loggedInAt < 30 * 60_000) return;
      [w.officer, w.officerHk, w.supervisor, w.ent] = await Promise.all(['officer.cn', 'officer.hk', 'supervisor', 'jinjiang.trade'].map((u) => h.login(u)));
      loggedInAt = h.clock.now();
    };
    const terminal = async (deviceId: string) => (await h.req('GET', `/api/v1/devices/${deviceId}`, { token: w.officer })).body.terminalId as string;
    /** Posts fixes as the lock would (in chunks), then waits for the pipeline. */
    const post = async (deviceId: string, fixes: Fix[], extra: Record<string, unknown> = {}) => {
      const terminalId = await terminal(deviceId);
      for (let i = 0; i < fixes.length; i += 500) {
        const positions = fixes.slice(i, i + 500).map((f) => ({
          terminalId, fixTime: new Date(f.time).toISOString(), serial: ++serial % 65536, lat: f.lat, lon: f.lon, speedKmh: f.speedKmh, heading: f.heading,
          ...(f.batteryPct != null ? { batteryPct: f.batteryPct } : {}), ...(f.lockEvents ? { lockEvents: f.lockEvents } : {}), ...(f.late ? { late: true } : {}), ...extra,
        }));
        // ingest refuses fixes from the future: the clock runs with the track
        const last = fixes[Math.min(i + 500, fixes.length) - 1].time;
        if (last > h.clock.now()) h.clock.set(last + 1000);
        const r = await h.req('POST', '/api/v1/ingest/positions', { apiKey: key, body: { positions } });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      await h.p.supervisor.idle();
      await relogin();
    };
    const track = (o: Partial<SyntheticTrackOptions>) => syntheticTrack({ corridor: route.corridor, startTime: h.clock.now(), speedKmh: 70, intervalMs: 30_000, ...o });
    const alerts = async (tripId: string, type?: string) =>
      (await h.req('GET', `/api/v1/alerts?tripId=${tripId}${type ? `&type=${type}` : ''}&limit=200`, { token: w.officer })).body.items as any[];
    const trip = async (id: string) => (await h.req('GET', `/api/v1/trips/${id}`, { token: w.officer })).body;
    const milestones = (tripId: string) => h.p.ctx.store.db.selectFrom('trip_milestones').selectAll().where('trip_id', '=', tripId).execute();

    it('leaving the origin departs a sealed trip (sealed → in_transit) and records the milestone', async () => {
      const t = await tripIn(w, 'sealed');
      await post(t.deviceId, track({ fromM: 0, toM: 6000 }).fixes);
      assert.equal((await trip(t.tripId)).state, 'in_transit');
      const ms = await milestones(t.tripId);
      assert.deepEqual(ms.map((m) => m.type), ['departed_origin']);
      const tr = (await trip(t.tripId)).transitions.at(-1);
      assert.equal(tr.action, 'depart'); assert.match(tr.actor, /system/);
      assert.deepEqual(await alerts(t.tripId), [], 'a normal departure raises nothing');
    });

    it('a real deviation raises route_deviation and clears it on return; drift near the corridor edge does not', async () => {
      const t = await tripIn(w, 'in_transit');
      await post(t.deviceId, track({ fromM: 20_000, toM: 45_000, deviations: [{ fromM: 26_000, toM: 36_000, offsetM: 1500 }] }).fixes);
      const dev = await alerts(t.tripId, 'route_deviation');
      assert.equal(dev.length, 1);
      assert.equal(dev[0].state, 'open'); assert.equal(dev[0].active, false, 'cleared on return'); assert.ok(dev[0].detail.clearedAt);
      const drift = await tripIn(w, 'in_transit');
      await post(drift.deviceId, track({ fromM: 20_000, toM: 45_000, offsetM: 330, noiseM: 40, seed: 7 }).fixes);
      assert.deepEqual(await alerts(drift.tripId, 'route_deviation'), []);
    });

    it('a long stop in a rest area is allowed; the same stop on the open road raises unauthorised_stop', async () => {
      const rest = along('Zhangpu service area');
      const inRest = await tripIn(w, 'in_transit');
      await post(inRest.deviceId, track({ fromM: rest - 3000, toM: rest + 3000, stops: [{ atM: rest, durationMs: 25 * 60_000 }] }).fixes);
      assert.deepEqual(await alerts(inRest.tripId, 'unauthorised_stop'), []);
      const road = await tripIn(w, 'in_transit');
      await post(road.deviceId, track({ fromM: rest - 30_000, toM: rest - 24_000, stops: [{ atM: rest - 27_000, durationMs: 25 * 60_000 }] }).fixes);
      const st = await alerts(road.tripId, 'unauthorised_stop');
      assert.equal(st.length, 1); assert.equal(st[0].severity, 'warning');
    });

    it('the seal opened inside the destination is an authorised unseal; opened on the road it is a critical seal_opened', async () => {
      const end = route.corridor.lengthM;
      const atDest = await tripIn(w, 'handed_over');
      const fx = track({ fromM: end - 4000, toM: end, dwellAtEndMs: 5 * 60_000 }).fixes;
      fx[fx.length - 1].lockEvents = ['unsealed'];
      await post(atDest.deviceId, fx);
      assert.deepEqual(await alerts(atDest.tripId, 'seal_opened'), []);
      const types = (await milestones(atDest.tripId)).map((m) => m.type).sort();
      // departed_origin too (the first fix is far from the origin), but depart is no longer legal for a handed-over trip: skipped quietly
      assert.deepEqual(types, ['arrived_destination', 'departed_origin', 'unsealed_authorised']);
      assert.equal((await trip(atDest.tripId)).state, 'arrived', 'arrival at the destination after the handover moves the trip');
      const onRoad = await tripIn(w, 'in_transit');
      const fr = track({ fromM: 100_000, toM: 104_000 }).fixes;
      fr[5].lockEvents = ['opened_while_sealed'];
      await post(onRoad.deviceId, fr);
      const so = await alerts(onRoad.tripId, 'seal_opened');
      assert.equal(so.length, 1); assert.equal(so[0].severity, 'critical');
    });

    it('a deviation inside a tunnel dead zone comes back with the 0x0704-style backfill and is raised, flagged late', async () => {
      const t = await tripIn(w, 'in_transit');
      const tr = track({ fromM: 50_000, toM: 80_000, gaps: [{ fromM: 58_000, toM: 70_000 }], deviations: [{ fromM: 60_000, toM: 67_000, offsetM: 1500 }] });
      await post(t.deviceId, tr.fixes);
      assert.deepEqual(await alerts(t.tripId, 'route_deviation'), [], 'the live fixes never left the corridor');
      await post(t.deviceId, tr.gapFixes);
      const dev = await alerts(t.tripId, 'route_deviation');
      assert.equal(dev.length, 1); assert.equal(dev[0].late, true);
      const stored = await h.req('GET', `/api/v1/trips/${t.tripId}/track`, { token: w.officer });
      const times = stored.body.items.map((p: any) => p.fixTime);
      assert.deepEqual(times, [...times].sort(), 'the stored track stays in time order');
    });

    it('an impossible jump is kept, flagged filtered and raises nothing', async () => {
      const t = await tripIn(w, 'in_transit');
      const fx = track({ fromM: 150_000, toM: 156_000 }).fixes;
      fx[6] = { ...fx[6], lat: fx[6].lat + 1 }; // ~110 km away for one fix
      await post(t.deviceId, fx);
      const rows = await h.p.ctx.store.db.selectFrom('positions').select(['fix_time', 'filtered']).where('trip_id', '=', t.tripId).orderBy('fix_time').execute();
      assert.equal(rows.length, fx.length);
      assert.deepEqual(rows.map((r, i) => [i, r.filtered]).filter(([, f]) => f === 1), [[6, 1]]);
      assert.deepEqual(await alerts(t.tripId), []);
      // The track API says which fix it is, in every format, and can leave it out.
      const url = `/api/v1/trips/${t.tripId}/track`;
      const json = (await h.req('GET', url, { token: w.officer })).body.items;
      assert.equal(json.length, fx.length);
      assert.deepEqual(json.map((p: any, i: number) => [i, p.filtered]).filter(([, f]: any) => f), [[6, true]]);
      const kept = (await h.req('GET', `${url}?excludeFiltered=true`, { token: w.officer })).body.items;
      assert.equal(kept.length, fx.length - 1);
      assert.ok(kept.every((p: any) => p.filtered === false));
      assert.ok(!kept.some((p: any) => p.fixTime === json[6].fixTime));
      const csv = String((await h.req('GET', `${url}?format=csv`, { token: w.officer })).body).replace(/^\ufeff/, '').trim().split('\n');
      const col = csv[0].split(',').indexOf('filtered');
      assert.ok(col >= 0, csv[0]);
      assert.deepEqual(csv.slice(1).map((l, i) => [i, l.split(',')[col]]).filter(([, f]) => f === 'true'), [[6, 'true']]);
      const geo = (await h.req('GET', `${url}?format=geojson`, { token: w.officer })).body.features[0];
      assert.equal(geo.properties.filteredCount, 1);
      assert.equal(geo.properties.filtered.length, geo.geometry.coordinates.length);
      assert.equal(geo.properties.filtered.indexOf(true), 6);
      const geoKept = (await h.req('GET', `${url}?format=geojson&excludeFiltered=true`, { token: w.officer })).body.features[0];
      assert.equal(geoKept.geometry.coordinates.length, fx.length - 1); assert.equal(geoKept.properties.filteredCount, 0);
      const bad = await h.req('GET', `${url}?excludeFiltered=maybe`, { token: w.officer });
      assert.equal(bad.status, 400);
    });

    it('a restart in the middle of a deviation neither repeats the alert nor misses positions stored before the stop', async () => {
      const t = await tripIn(w, 'in_transit');
      const tr = track({ fromM: 200_000, toM: 230_000, deviations: [{ fromM: 205_000, toM: 215_000, offsetM: 1500 }] });
      const cut = tr.fixes.findIndex((f) => f.time > tr.fixes[0].time + 15 * 60_000); // mid-deviation
      const cut2 = cut + 10;
      await post(t.deviceId, tr.fixes.slice(0, cut));
      assert.equal((await alerts(t.tripId, 'route_deviation')).length, 1);
      // stored but never evaluated: the platform stops before the rules see these
      const dev = await h.p.ctx.store.db.selectFrom('devices').selectAll().where('id', '=', t.deviceId).executeTakeFirstOrThrow();
      await h.p.ctx.store.db.insertInto('positions').values(tr.fixes.slice(cut, cut2).map((f, i) => ({
        device_id: dev.id, trip_id: t.tripId, fix_time: new Date(f.time).toISOString(), received_at: new Date(f.time).toISOString(), serial: 60_000 + i,
        lat: f.lat, lon: f.lon, altitude_m: 0, speed_kmh: f.speedKmh, heading: f.heading, alarm: 0, status: 0, battery_pct: null, lock_events: '[]', items: '{}', late: 0, source: 'test', raw: '',
      }))).execute();
      await h.restart();
      key = (await h.req('POST', '/api/v1/api-keys', { token: w.supervisor, body: { role: 'device', label: 'after restart' } })).body.key;
      const cp = await h.p.ctx.store.db.selectFrom('rule_checkpoints').selectAll().where('trip_id', '=', t.tripId).executeTakeFirstOrThrow();
      const maxId = await h.p.ctx.store.db.selectFrom('positions').select((eb) => eb.fn.max('id').as('m')).where('trip_id', '=', t.tripId).executeTakeFirstOrThrow();
      assert.equal(Number(cp.position_id), Number(maxId.m), 'the positions stored before the stop were replayed at start');
      await post(t.deviceId, tr.fixes.slice(cut2));
      const after = await alerts(t.tripId, 'route_deviation');
      assert.equal(after.length, 1, 'one alert across the restart');
      assert.equal(after[0].active, false, 'and it cleared on return');
      const raises = await h.p.ctx.store.db.selectFrom('audit_log').select('seq').where('action', '=', 'alert.raise').where('subject', '=', after[0].id).execute();
      assert.equal(raises.length, 1);
    });

    it('checkpoints are coalesced while nothing happens, and a restart from an older checkpoint replays to the same state without repeating the alert', async () => {
      const t = await tripIn(w, 'in_transit');
      const tr = track({ fromM: 250_000, toM: 280_000, deviations: [{ fromM: 255_000, toM: 268_000, offsetM: 1500 }] });
      const off = tr.fixes.map((f, i) => [i, locate(route.corridor, f.lon, f.lat).distanceM] as const).filter(([, d]) => d > 700).map(([i]) => i);
      const a = off[3] + 1, b = off[3] + 6; // A raises the deviation; B stays off the route and raises nothing
      assert.ok(off.includes(b - 1), 'B is off the route throughout');
      const cp = () => h.p.ctx.store.db.selectFrom('rule_checkpoints').selectAll().where('trip_id', '=', t.tripId).executeTakeFirstOrThrow();
      const maxId = async () => Number((await h.p.ctx.store.db.selectFrom('positions').select((eb) => eb.fn.max('id').as('m')).where('trip_id', '=', t.tripId).executeTakeFirstOrThrow()).m);
      await post(t.deviceId, tr.fixes.slice(0, a));
      assert.equal((await alerts(t.tripId, 'route_deviation')).length, 1);
      assert.equal(Number((await cp()).position_id), await maxId(), 'the batch that raised the alert checkpoints with it');
      await post(t.deviceId, tr.fixes.slice(a, b));
      const stale = await cp();
      assert.ok(Number(stale.position_id) < await maxId(), 'five quiet fixes are not checkpointed yet');
      await h.restart();
      const flushed = await cp();
      assert.equal(Number(flushed.position_id), await maxId(), 'a clean shutdown checkpoints what was evaluated');
      // As after a crash: the stored checkpoint is the older one; the quiet fixes are replayed at start.
      await h.p.ctx.store.db.updateTable('rule_checkpoints').set({ state: stale.state, position_id: stale.position_id }).where('trip_id', '=', t.tripId).execute();
      await h.restart();
      key = (await h.req('POST', '/api/v1/api-keys', { token: w.supervisor, body: { role: 'device', label: 'after restart' } })).body.key;
      const replayed = await cp();
      assert.equal(Number(replayed.position_id), await maxId());
      assert.deepEqual(JSON.parse(replayed.state), JSON.parse(flushed.state), 'replaying the quiet fixes rebuilds the same rule state');
      await post(t.deviceId, tr.fixes.slice(b));
      const dev = await alerts(t.tripId, 'route_deviation');
      assert.equal(dev.length, 1); assert.equal(dev[0].active, false, 'cleared on return');
      const raises = await h.p.ctx.store.db.selectFrom('audit_log').select('seq').where('action', '=', 'alert.raise').where('subject', '=', dev[0].id).execute();
      assert.equal(raises.length, 1);
    });

    it('resolving an alert lets the next occurrence raise a new one', async () => {
      const t = await tripIn(w, 'in_transit');
      const fx = track({ fromM: 300_000, toM: 306_000 }).fixes;
      fx[2].lockEvents = ['wire_cut'];
      await post(t.deviceId, fx.slice(0, 5));
      const [a] = await alerts(t.tripId, 'tamper');
      const r = await h.req('POST', `/api/v1/alerts/${a.id}/resolve`, { token: w.officer, body: { disposition: 'false_alarm', comment: 'checked by phone' } });
      assert.equal(r.status, 200);
      fx[7].lockEvents = ['wire_cut'];
      await post(t.deviceId, fx.slice(5));
      const all = await alerts(t.tripId, 'tamper');
      assert.equal(all.length, 2); assert.deepEqual(all.map((x) => x.state).sort(), ['open', 'resolved']);
    });

    it('signal loss is raised by the timer, not by a message, and cleared by the next report', async () => {
      const t = await tripIn(w, 'in_transit');
      const fx = track({ fromM: 400_000, toM: 402_000 }).fixes;
      await post(t.deviceId, fx);
      h.clock.set(fx.at(-1)!.time + 4 * 60_000);
      await h.p.timers.tick();
      assert.deepEqual(await alerts(t.tripId, 'signal_lost'), [], 'four minutes of silence is not a loss');
      h.clock.advance(2 * 60_000);
      await h.p.timers.tick();
      await relogin();
      const sl = await alerts(t.tripId, 'signal_lost');
      assert.equal(sl.length, 1); assert.equal(sl[0].active, true);
      await post(t.deviceId, track({ startTime: h.clock.now(), fromM: 402_000, toM: 403_000 }).fixes);
      assert.equal((await alerts(t.tripId, 'signal_lost'))[0].active, false);
    });

    it('overdue: warned when the ETA projects past the limit, critical after it, and the trip is marked overdue where the lifecycle allows', async () => {
      const atBoundary = await tripIn(w, 'at_boundary'); // mark_overdue is not allowed from at_boundary
      const t = await tripIn(w, 'in_transit');
      const deadline = Date.parse((await trip(t.tripId)).deadlineAt);
      assert.ok(Date.parse((await trip(atBoundary.tripId)).deadlineAt) <= deadline);
      await post(t.deviceId, track({ fromM: 10_000, toM: 12_000 }).fixes);
      h.clock.set(deadline - 60 * 60_000); // 600 km left, one hour to go
      await h.p.timers.tick();
      await relogin();
      let od = await alerts(t.tripId, 'overdue');
      assert.equal(od.length, 1); assert.equal(od[0].severity, 'warning');
      assert.equal((await trip(t.tripId)).state, 'in_transit', 'a warning does not change the trip');
      h.clock.set(deadline + 60_000);
      await h.p.timers.tick();
      await relogin();
      od = await alerts(t.tripId, 'overdue');
      assert.equal(od.length, 1, 'the same alert, escalated in severity'); assert.equal(od[0].severity, 'critical');
      const after = await trip(t.tripId);
      assert.equal(after.state, 'overdue');
      const tr = after.transitions.at(-1);
      assert.deepEqual([tr.action, tr.from, tr.to], ['mark_overdue', 'in_transit', 'overdue'], JSON.stringify(tr)); assert.match(tr.actor, /system/);
      const audited = await h.p.ctx.store.db.selectFrom('audit_log').select(['actor', 'reason']).where('action', '=', 'trip.mark_overdue').where('subject', '=', t.tripId).execute();
      assert.equal(audited.length, 1); assert.match(audited[0].reason ?? '', /time limit/);
      h.clock.advance(60_000);
      await h.p.timers.tick();
      assert.equal((await trip(t.tripId)).transitions.filter((x: any) => x.action === 'mark_overdue').length, 1, 'marked once');
      // an officer resolves it: the trip is still late, but that is what was handled, so no tick raises it again
      const rs = await h.req('POST', `/api/v1/alerts/${od[0].id}/resolve`, { token: w.officer, body: { disposition: 'driver_contacted', comment: 'delayed at the weighbridge' } });
      assert.equal(rs.status, 200, JSON.stringify(rs.body));
      for (let i = 0; i < 3; i++) { h.clock.advance(15 * 60_000); await h.p.timers.tick(); }
      assert.deepEqual((await alerts(t.tripId, 'overdue')).map((x) => x.state), ['resolved'], 'not re-raised after the resolve');
      // critical too, but at the boundary the table has no mark_overdue: the alert stands, the state stays
      assert.equal((await alerts(atBoundary.tripId, 'overdue'))[0].severity, 'critical');
      assert.equal((await trip(atBoundary.tripId)).state, 'at_boundary');
    });

    it('a route change reaches trips already in memory: new corridor width and rule overrides apply, rule state is kept', async () => {
      await relogin();
      const original = (await h.req('GET', `/api/v1/routes/${w.routeId}`, { token: w.officer })).body;
      const rest = along('Zhangpu service area');
      const stopAt = rest - 27_000; // open road
      const stopper = await tripIn(w, 'in_transit');
      const drifter = await tripIn(w, 'in_transit');
      const start = h.clock.now();
      const st = track({ startTime: start, fromM: stopAt - 3000, toM: stopAt + 3000, stops: [{ atM: stopAt, durationMs: 25 * 60_000 }] }).fixes;
      const stopStart = st.find((f) => f.speedKmh === 0)!.time;
      const cut = st.findIndex((f) => f.time > stopStart + 12 * 60_000);
      const dr = track({ startTime: start, fromM: 120_000, toM: 140_000, offsetM: 300 }).fixes; // inside the 500 m corridor
      const half = dr.findIndex((f) => f.time > st[cut].time);
      await post(stopper.deviceId, st.slice(0, cut));
      await post(drifter.deviceId, dr.slice(0, half));
      assert.deepEqual(await alerts(stopper.tripId, 'unauthorised_stop'), [], '12 minutes is under the 15-minute default');
      assert.deepEqual(await alerts(drifter.tripId, 'route_deviation'), [], '300 m off is inside 500 m');
      const patched = await h.req('PATCH', `/api/v1/routes/${w.routeId}`, { token: w.supervisor, body: { version: original.version, corridorWidthM: 200, ruleOverrides: { stopWarnMs: 10 * 60_000 } } });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      await post(stopper.deviceId, st.slice(cut));
      await post(drifter.deviceId, dr.slice(half));
      const stop = await alerts(stopper.tripId, 'unauthorised_stop');
      assert.equal(stop.length, 1, 'the 10-minute override applies to the trip already running');
      assert.equal(stop[0].detail.since, stopStart, 'measured from the stop that began before the change: the rule state was kept');
      assert.equal(stop[0].firstAt, new Date(st[cut].time).toISOString(), 'raised on the first fix after the change');
      const dev = await alerts(drifter.tripId, 'route_deviation');
      assert.equal(dev.length, 1, 'the 200 m corridor applies to the trip already running'); assert.equal(dev[0].detail.widthM, 200);
      const back = await h.req('PATCH', `/api/v1/routes/${w.routeId}`, { token: w.supervisor, body: { version: patched.body.version, corridorWidthM: original.corridorWidthM, ruleOverrides: original.ruleOverrides } });
      assert.equal(back.status, 200, JSON.stringify(back.body));
    });

    it('a rest area added to the route, then moved, reaches trips already in memory', async () => {
      await relogin();
      const atM = 350_000;
      const c = pointAt(route.corridor, atM);
      const place = await h.req('POST', '/api/v1/places', { token: w.supervisor, body: { name: 'Test rest area', kind: 'rest_area', jurisdiction: 'CN', geometry: { type: 'Point', coordinates: [c.lon, c.lat] }, radiusM: 600 } });
      assert.equal(place.status, 201, JSON.stringify(place.body));
      const t = await tripIn(w, 'in_transit');
      const fx = track({ fromM: atM - 4000, toM: atM + 3000, stops: [{ atM: atM - 250, durationMs: 20 * 60_000 }, { atM: atM + 250, durationMs: 20 * 60_000 }] }).fixes;
      const firstStop = fx.findIndex((f) => f.speedKmh === 0);
      await post(t.deviceId, fx.slice(0, firstStop)); // the trip is in memory, driving
      const r = (await h.req('GET', `/api/v1/routes/${w.routeId}`, { token: w.officer })).body;
      const added = await h.req('PATCH', `/api/v1/routes/${w.routeId}`, { token: w.supervisor, body: { version: r.version, stopZoneIds: [...r.stopZoneIds, place.body.id] } });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      const moving = fx.findIndex((f, i) => i > firstStop && f.speedKmh > 0);
      await post(t.deviceId, fx.slice(firstStop, moving + 1));
      assert.deepEqual(await alerts(t.tripId, 'unauthorised_stop'), [], '20 minutes inside the rest area the route now lists');
      const far = pointAt(route.corridor, atM + 20_000);
      const moved = await h.req('PATCH', `/api/v1/places/${place.body.id}`, { token: w.supervisor, body: { version: place.body.version, geometry: { type: 'Point', coordinates: [far.lon, far.lat] } } });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      await post(t.deviceId, fx.slice(moving + 1));
      const st = await alerts(t.tripId, 'unauthorised_stop');
      assert.equal(st.length, 1, 'the second stop, where the rest area was, is no longer allowed'); assert.equal(st[0].severity, 'warning');
      const back = await h.req('PATCH', `/api/v1/routes/${w.routeId}`, { token: w.supervisor, body: { version: added.body.version, stopZoneIds: r.stopZoneIds } });
      assert.equal(back.status, 200, JSON.stringify(back.body));
    });

    it('route rule overrides are checked against the rule settings', async () => {
      await relogin();
      const r = (await h.req('GET', `/api/v1/routes/${w.routeId}`, { token: w.officer })).body;
      const bad = await h.req('PATCH', `/api/v1/routes/${w.routeId}`, { token: w.supervisor, body: { version: r.version, ruleOverrides: { stopWarnMin: 10 } } });
      assert.equal(bad.status, 400, JSON.stringify(bad.body)); assert.equal(bad.body.code, 'unknown_rule_setting'); assert.match(bad.body.detail, /ruleOverrides\.stopWarnMin/);
      const neg = await h.req('PATCH', `/api/v1/routes/${w.routeId}`, { token: w.supervisor, body: { version: r.version, ruleOverrides: { stopWarnMs: -5 } } });
      assert.equal(neg.status, 400); assert.match(neg.body.detail, /ruleOverrides\.stopWarnMs/);
      const ok = await h.req('PATCH', `/api/v1/routes/${w.routeId}`, { token: w.supervisor, body: { version: r.version, ruleOverrides: { stopWarnMs: 600_000 } } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body)); assert.deepEqual(ok.body.ruleOverrides, { stopWarnMs: 600_000 });
    });
  });
}
