/** Every trip transition, legal and illegal, through the HTTP API; plus seal sessions, unseal and discharge. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type DbKind, type Harness } from '../harness.ts';
import { TRANSITIONS, TRIP_ACTIONS } from '../../src/transit/lifecycle.ts';
import { world, tripIn, act, fixAt, submittedDeclaration, newDevice, PATHS, type World } from './fixtures.ts';

export function lifecycleSuite(kind: DbKind, skip: string | false = false) {
  describe(`trip lifecycle over HTTP (${kind})`, { skip }, () => {
    let h: Harness, w: World;
    before(async () => { h = await harness(kind); w = await world(h); });
    after(async () => h?.close());

    const actions = TRIP_ACTIONS.filter((a) => a !== 'submit' && a !== 'accept');
    for (const state of Object.keys(PATHS)) {
      it(`from ${state}: each legal action lands in the table's state, each illegal one is a 409 that changes nothing`, async () => {
        for (const action of actions) {
          const { tripId, deviceId } = await tripIn(w, state);
          const before = (await h.req('GET', `/api/v1/trips/${tripId}`, { token: w.officer })).body;
          const rule = TRANSITIONS[action];
          if (action === 'unseal' && rule.from.includes(before.state)) await fixAt(w, deviceId, w.destGeometry.coordinates[0], w.destGeometry.coordinates[1]);
          const r = await act(w, tripId, action, action === 'seal' ? { deviceId: await newDevice(w) } : { reason: 'test' }, action === 'unseal' ? w.officerHk : w.officer);
          const afterTrip = (await h.req('GET', `/api/v1/trips/${tripId}`, { token: w.officer })).body;
          if (rule.from.includes(before.state)) {
            assert.equal(r.status, 200, `${action} from ${state}: ${JSON.stringify(r.body)}`);
            const want = rule.to === 'previous' ? before.resumeState : rule.to;
            assert.equal(afterTrip.state, want, `${action} from ${state}`);
            assert.equal(afterTrip.version, before.version + 1);
            assert.equal(afterTrip.transitions.at(-1).action, action);
          } else {
            assert.equal(r.status, 409, `${action} from ${state} should be refused: ${JSON.stringify(r.body)}`);
            assert.equal(r.body.code, 'illegal_transition');
            assert.deepEqual(afterTrip, before, 'an illegal transition changes nothing');
          }
        }
      });
    }

    it('a release at the boundary closes the CN seal session and opens the HK one on the same lock', async () => {
      const { tripId, deviceId } = await tripIn(w, 'handed_over');
      const t = (await h.req('GET', `/api/v1/trips/${tripId}`, { token: w.officer })).body;
      assert.equal(t.sealSessions.length, 2);
      const [cn, hk] = t.sealSessions;
      assert.equal(cn.jurisdiction, 'CN'); assert.ok(cn.closedAt); assert.equal(cn.closeReason, 'handed_over');
      assert.equal(hk.jurisdiction, 'HK'); assert.equal(hk.closedAt, null);
      assert.equal(cn.deviceId, deviceId); assert.equal(hk.deviceId, deviceId);
    });

    it('unseal: officers only, inside the destination zone, and says so when no position is known', async () => {
      const { tripId, deviceId } = await tripIn(w, 'arrived');
      const noPos = await act(w, tripId, 'unseal', {}, w.officerHk);
      assert.equal(noPos.status, 409); assert.equal(noPos.body.code, 'no_position');
      await fixAt(w, deviceId, 118.59, 24.78); // Jinjiang, far from the HK destination
      const outside = await act(w, tripId, 'unseal', {}, w.officerHk);
      assert.equal(outside.status, 409); assert.equal(outside.body.code, 'outside_unseal_zone');
      assert.equal((await act(w, tripId, 'unseal', {}, w.ent)).status, 403);
      const [lon, lat] = w.destGeometry.coordinates;
      await fixAt(w, deviceId, lon + 0.002, lat);
      const ok = await act(w, tripId, 'unseal', {}, w.officerHk);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const dev = await h.req('GET', `/api/v1/devices/${deviceId}`, { token: w.officer });
      assert.equal(dev.body.state, 'assigned');
    });

    it('one lock and one vehicle per active trip', async () => {
      const { deviceId } = await tripIn(w, 'sealed');
      const dec = await submittedDeclaration(w);
      const acc = await h.req('POST', `/api/v1/declarations/${dec.id}/accept`, { token: w.officer, body: {} });
      const r = await act(w, acc.body.tripId, 'seal', { deviceId });
      assert.equal(r.status, 409); assert.equal(r.body.code, 'device_busy');
      // the same vehicle cannot start a second trip while the first is active
      const again = await h.req('POST', '/api/v1/declarations', { token: w.ent, body: { ...stripDecl(dec), submit: true } });
      assert.equal(again.status, 201);
      const acc2 = await h.req('POST', `/api/v1/declarations/${again.body.id}/accept`, { token: w.officer, body: {} });
      assert.equal(acc2.status, 409); assert.equal(acc2.body.code, 'vehicle_busy');
      assert.equal((await h.req('GET', `/api/v1/declarations/${again.body.id}`, { token: w.officer })).body.state, 'submitted');
    });

    it('closing reconciles declared against arrived and returns the lock to stock', async () => {
      const { tripId, deviceId } = await tripIn(w, 'unsealed');
      const r = await act(w, tripId, 'close', { arrivedGoods: [{ line: 1, packages: 1199, grossKg: 17990 }] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.discharge.discrepancies, 1);
      assert.equal(r.body.discharge.lines[0].arrivedPackages, 1199);
      assert.equal((await h.req('GET', `/api/v1/devices/${deviceId}`, { token: w.officer })).body.state, 'in_stock');
    });

    it('declarations: reject needs reasons, and accept/reject are for customs only', async () => {
      const dec = await submittedDeclaration(w);
      assert.equal((await h.req('POST', `/api/v1/declarations/${dec.id}/accept`, { token: w.ent, body: {} })).status, 403);
      const bad = await h.req('POST', `/api/v1/declarations/${dec.id}/reject`, { token: w.officer, body: { reasons: [] } });
      assert.equal(bad.status, 400);
      const rej = await h.req('POST', `/api/v1/declarations/${dec.id}/reject`, { token: w.officer, body: { reasons: ['HS code does not match description'] } });
      assert.equal(rej.status, 200); assert.equal(rej.body.state, 'rejected'); assert.deepEqual(rej.body.reasons, ['HS code does not match description']);
      const again = await h.req('POST', `/api/v1/declarations/${dec.id}/accept`, { token: w.officer, body: {} });
      assert.equal(again.status, 409); assert.equal(again.body.code, 'illegal_transition');
    });
  });
}

const stripDecl = (d: any) => ({ direction: d.direction, vehicleId: d.vehicleId, driverId: d.driverId, originPlaceId: d.originPlaceId, destinationPlaceId: d.destinationPlaceId, routeId: d.routeId, goods: d.goods.map(({ line, ...g }: any) => g) });
