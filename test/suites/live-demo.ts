/**
 * The live demo against a real platform: its locks log in over TCP, its lane controller posts over
 * HTTP, the platform's own rules raise the alerts. Only the clock is faked: each tick is one report
 * interval (5 s) of demo time, so three minutes of demo run in seconds.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { harness, type DbKind, type Harness } from '../harness.ts';
import { seedDemo, demoGateKey, demoPlateCn, demoTerminalId } from '../../src/demo/seed.ts';
import { LiveDemo } from '../../src/demo/live-demo.ts';
import { DEMO_REPORT_MS } from '../../src/demo/scenario.ts';
import { pruneOldTrips, startTrip, loadFleet, unsealTrip, closeTrip, DEMO_OFFICER_CN } from '../../src/demo/demo-trips.ts';
import { applyTripAction } from '../../src/transit/trips.ts';
import { verifyAuditChain } from '../../src/platform/audit.ts';
import { placesAndRoute } from '../../src/demo/geodata.ts';

export function liveDemoSuite(kind: DbKind, skip: string | false = false) {
  describe(`live demo (${kind})`, { skip }, () => {
    let h: Harness, demo: LiveDemo, started: number, ticks = 0;
    const db = () => h.p.ctx.store.db;
    const listen = async () => {
      await h.p.app.listen({ port: 0, host: '127.0.0.1' });
      const jt808Port = await h.p.jt808.listen(0, '127.0.0.1');
      return new LiveDemo(h.p.ctx, { httpBase: `http://127.0.0.1:${(h.p.app.server.address() as AddressInfo).port}`, jt808: { host: '127.0.0.1', port: jt808Port }, gateApiKey: demoGateKey(h.p.ctx) });
    };
    /** Demo time goes on one report interval per tick; the supervision timer runs every third tick (15 s) as in production. */
    const run = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await demo.tick();
        await h.p.supervisor.idle();
        if (++ticks % 3 === 0) await h.p.timers.tick();
        h.clock.advance(DEMO_REPORT_MS);
      }
    };
    const vehicleId = async (i: number) => (await db().selectFrom('vehicles').select('id').where('plate_cn', '=', demoPlateCn(i)).executeTakeFirstOrThrow()).id;
    const tripOf = async (i: number) => db().selectFrom('trips').selectAll().where('vehicle_id', '=', await vehicleId(i)).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    const alertsOf = async (i: number) => db().selectFrom('alerts').selectAll().where('trip_id', '=', (await tripOf(i)).id).execute();
    const positionsOf = async (tripId: string) => db().selectFrom('positions').selectAll().where('trip_id', '=', tripId).orderBy('fix_time').execute();

    before(async () => {
      h = await harness(kind, { seed: false });
      await seedDemo(h.p.ctx); // the full seed, as npm start has it
      started = h.clock.now();
      demo = await listen();
      await demo.start();
    });
    after(async () => { await demo?.stop(); await h?.close(); });

    it('binds twelve trucks: the seed trips it finds and new sealed trips, each with its own registered lock', async () => {
      assert.equal(demo.truckCount, 12);
      const active = await db().selectFrom('trips').innerJoin('devices', 'devices.id', 'trips.device_id').select(['trips.state', 'devices.terminal_id'])
        .where('trips.state', 'not in', ['closed', 'cancelled', 'accepted']).execute();
      assert.equal(active.length, 12);
      assert.deepEqual(active.map((a) => a.terminal_id).sort(), Array.from({ length: 12 }, (_, k) => demoTerminalId(k + 2)));
      assert.ok(active.every((a) => ['sealed', 'in_transit', 'at_boundary', 'handed_over'].includes(a.state)), JSON.stringify(active));
      for (const a of active) assert.ok(h.p.jt808.sessionOf(a.terminal_id), `lock ${a.terminal_id} logged in over JT/T 808`);
    });

    it('within 60 s of demo time every truck is on the map and the drivers among them have moved', async () => {
      await run(12);
      const snap = (await h.req('GET', '/api/v1/live/snapshot', { token: await h.login('supervisor') })).body.items as any[];
      const demoTrips = new Set((await db().selectFrom('trips').select('id').where('device_id', 'is not', null).where('state', 'not in', ['closed', 'cancelled']).execute()).map((r) => r.id));
      assert.equal(snap.filter((s) => demoTrips.has(s.tripId) && s.lat !== null).length, 12);
      let moved = 0;
      for (const id of demoTrips) {
        const p = (await positionsOf(id)).filter((x) => !x.late);
        const d = Math.hypot((p.at(-1)!.lat - p[0]!.lat) * 111_000, (p.at(-1)!.lon - p[0]!.lon) * 102_000);
        if (d > 300) moved++;
      }
      // all but the truck on the hard shoulder, the one out of coverage and (if the sampling draw picks it) the one at the lane
      assert.ok(moved >= 9, `${moved} trucks moved more than 300 m`);
    });

    it('each scripted incident is raised by the real rules within 3 minutes of demo time', async () => {
      await run(36 - ticks);
      const within = (iso: string) => Date.parse(iso) - started <= 180_000;
      const dev = (await alertsOf(7)).filter((a) => a.type === 'route_deviation');
      assert.equal(dev.length, 1); assert.equal(dev[0]!.late, 0); assert.ok(within(dev[0]!.created_at));
      const stop = (await alertsOf(8)).filter((a) => a.type === 'unauthorised_stop');
      assert.equal(stop.length, 1); assert.equal(stop[0]!.severity, 'warning'); assert.equal(stop[0]!.late, 0, 'raised by a live fix crossing 15 minutes');
      assert.ok(within(stop[0]!.created_at));
      assert.ok(JSON.parse(stop[0]!.detail).durationMs >= 15 * 60_000);
      const tamper = (await alertsOf(10)).filter((a) => a.type === 'tamper');
      assert.equal(tamper.length, 1); assert.equal(tamper[0]!.severity, 'critical'); assert.equal(JSON.parse(tamper[0]!.detail).event, 'shell_tamper');
      // The dead zone: the fixes of the gap arrive late as a 0x0704 batch and show the detour driven in it.
      const zt = await tripOf(9);
      const late = (await positionsOf(zt.id)).filter((p) => p.late === 1);
      assert.ok(late.length >= 10, `${late.length} backfilled fixes`);
      assert.ok(late.every((p) => Date.parse(p.fix_time) >= started), 'the gap is one the truck drove after start-up');
      const zdev = (await alertsOf(9)).filter((a) => a.type === 'route_deviation');
      assert.equal(zdev.length, 1); assert.equal(zdev[0]!.late, 1); assert.ok(within(zdev[0]!.created_at));
      // Two trucks at the Shenzhen Bay lane: posted over HTTP with the demo gate key, decided and (when released) handed over.
      const passages = await db().selectFrom('passages').selectAll().orderBy('decided_at').execute();
      assert.equal(passages.length, 2);
      for (const [k, i] of [4, 6].entries()) {
        const t = await tripOf(i);
        assert.equal(passages[k]!.trip_id, t.id);
        assert.ok(within(passages[k]!.decided_at));
        if (passages[k]!.decision === 'release') assert.equal((await db().selectFrom('trip_transitions').select('actor').where('trip_id', '=', t.id).where('action', '=', 'handover').executeTakeFirstOrThrow()).actor.startsWith('gate:'), true);
      }
      const types = (await db().selectFrom('alerts').select('type').execute()).map((a) => a.type);
      assert.ok(!types.includes('signal_lost'), 'no lock went silent long enough for signal loss');
      assert.ok(!types.includes('seal_opened'));
    });

    it('a truck that reaches the airport is unsealed (unlock over JT/T 808), closed and starts its next trip at Jinjiang', async () => {
      const first = await tripOf(11);
      for (let i = 0; i < 40 && (await tripOf(11)).id === first.id; i++) await run(1);
      const closed = await db().selectFrom('trips').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
      assert.equal(closed.state, 'closed');
      const unlock = await db().selectFrom('device_commands').selectAll().where('trip_id', '=', first.id).execute();
      assert.equal(unlock.length, 1); assert.equal(unlock[0]!.type, 'unlock'); assert.equal(unlock[0]!.state, 'acknowledged');
      await run(3);
      const next = await tripOf(11);
      assert.notEqual(next.id, first.id);
      assert.equal(next.device_id, first.device_id, 'the same lock, back in stock and sealed again');
      const p = (await positionsOf(next.id))[0]!;
      const origin = placesAndRoute().places.find((x) => x.name === 'Jinjiang Land Port')!.geometry as { coordinates: number[] };
      assert.ok(Math.hypot((p.lat - origin.coordinates[1]!) * 111_000, (p.lon - origin.coordinates[0]!) * 102_000) < 600, 'the next trip starts at Jinjiang');
    });

    it('after a restart every truck resumes its open trip from where it was', async () => {
      const before = new Map<number, { id: string; lat: number; lon: number }>();
      for (let i = 2; i < 14; i++) { const t = await tripOf(i); const p = (await positionsOf(t.id)).at(-1)!; before.set(i, { id: t.id, lat: p.lat, lon: p.lon }); }
      const trips = Number((await db().selectFrom('trips').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      await demo.stop();
      h.clock.advance(60_000);
      await h.restart();
      demo = await listen();
      await demo.start();
      assert.equal(Number((await db().selectFrom('trips').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), trips, 'no new trip');
      await run(1);
      for (const [i, b] of before) {
        const t = await tripOf(i);
        assert.equal(t.id, b.id);
        const p = (await positionsOf(t.id)).at(-1)!;
        assert.ok(Math.hypot((p.lat - b.lat) * 111_000, (p.lon - b.lon) * 102_000) < 500, `truck ${i} resumed where it was`);
      }
    });

    it('a truck starting its next trip keeps only its newest closed trip; the rest is deleted in one audited step', async () => {
      await demo.stop();
      const [truck] = await loadFleet(h.p.ctx, [20]);
      const routeRow = await db().selectFrom('routes').selectAll().executeTakeFirstOrThrow();
      const placeIds: string[] = JSON.parse(routeRow.place_ids);
      const route = { id: routeRow.id, originPlaceId: placeIds[0]!, destinationPlaceId: placeIds.at(-1)!, timeLimitMin: routeRow.time_limit_min };
      const dest = placesAndRoute().places.find((x) => x.name === 'HK International Airport cargo terminals')!.geometry as { coordinates: number[] };
      const done: string[] = [];
      for (let k = 0; k < 3; k++) {
        const t = await startTrip(h.p.ctx, truck!, route);
        for (const a of ['depart', 'arrive_boundary', 'handover', 'arrive'] as const) await applyTripAction(h.p.ctx, t.id, a, {}, DEMO_OFFICER_CN);
        h.clock.advance(1000);
        await h.p.ctx.positions.write([{ deviceId: truck!.deviceId, terminalId: truck!.terminalId, fixTime: h.clock.now(), receivedAt: h.clock.now(), serial: k, lat: dest.coordinates[1]!, lon: dest.coordinates[0]!, altitudeM: 0, speedKmh: 0, heading: 0, alarm: 0, status: 0, batteryPct: 90, lockEvents: [], items: {}, late: false, source: 'jt808', raw: '' }]);
        await unsealTrip(h.p.ctx, t.id);
        await closeTrip(h.p.ctx, t.id);
        done.push(t.id);
        h.clock.advance(1000);
      }
      const r = await pruneOldTrips(h.p.ctx, truck!.vehicleId);
      assert.deepEqual(r, { trips: 2, positions: 2 });
      const left = await db().selectFrom('trips').select('id').where('vehicle_id', '=', truck!.vehicleId).execute();
      assert.deepEqual(left.map((x) => x.id), [done[2]]);
      assert.equal((await db().selectFrom('positions').select('id').where('trip_id', 'in', done.slice(0, 2)).execute()).length, 0);
      assert.equal((await db().selectFrom('declarations').select('id').where('vehicle_id', '=', truck!.vehicleId).execute()).length, 1);
      const a = await db().selectFrom('audit_log').selectAll().where('action', '=', 'demo.prune').execute();
      assert.equal(a.length, 1);
      assert.equal((await verifyAuditChain(db())).ok, true);
      assert.deepEqual(await pruneOldTrips(h.p.ctx, truck!.vehicleId), { trips: 0, positions: 0 }, 'nothing more to prune');
    });
  });
}
