/** Builds registry records and trips in a chosen state through the HTTP API, as users would. */
import assert from 'node:assert/strict';
import type { Harness } from '../harness.ts';
import { usccCheckChar } from '../../src/registry/validate.ts';

let n = 0;
export const uniq = () => ++n;

export interface World {
  h: Harness;
  officer: string; officerHk: string; supervisor: string; ent: string; entOther: string;
  enterpriseId: string; routeId: string; originId: string; destId: string; destGeometry: { coordinates: number[] };
}

export async function world(h: Harness): Promise<World> {
  const [officer, officerHk, supervisor, ent, entOther] = await Promise.all(['officer.cn', 'officer.hk', 'supervisor', 'jinjiang.trade', 'hk.carrier'].map((u) => h.login(u)));
  const me = await h.req('GET', '/api/v1/auth/me', { token: ent });
  const routes = await h.req('GET', '/api/v1/routes', { token: officer });
  const r = routes.body.items[0];
  const dest = await h.req('GET', `/api/v1/places/${r.placeIds.at(-1)}`, { token: officer });
  return { h, officer, officerHk, supervisor, ent, entOther, enterpriseId: me.body.enterpriseId, routeId: r.id, originId: r.placeIds[0], destId: r.placeIds.at(-1), destGeometry: dest.body.geometry };
}

export async function newVehicleAndDriver(w: World, token = w.ent) {
  const i = uniq();
  const v = await w.h.req('POST', '/api/v1/vehicles', { token, body: { plateCn: `粤Z${String(5000 + i).slice(-4)}港`, plateHk: `TT${1000 + i}` } });
  assert.equal(v.status, 201, JSON.stringify(v.body));
  const d = await w.h.req('POST', '/api/v1/drivers', { token, body: { name: `Driver ${i}`, licenceNo: `35058219900101${String(1000 + i).slice(-4)}` } });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  return { vehicleId: v.body.id as string, driverId: d.body.id as string };
}

export async function newDevice(w: World) {
  const i = uniq();
  const r = await w.h.req('POST', '/api/v1/devices', { token: w.supervisor, body: { terminalId: `0199${String(i).padStart(8, '0')}`, model: 'CEL-808', lockProfile: 'customs-elock' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id as string;
}

export const goods = [{ hsCode: '0805.21', description: '芦柑 ponkan', packages: 1200, grossKg: 18000, netKg: 16800, value: 120000, currency: 'CNY' }];

export async function submittedDeclaration(w: World, token = w.ent) {
  const { vehicleId, driverId } = await newVehicleAndDriver(w, token);
  const d = await w.h.req('POST', '/api/v1/declarations', { token, body: { direction: 'export', vehicleId, driverId, originPlaceId: w.originId, destinationPlaceId: w.destId, routeId: w.routeId, goods, submit: true } });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  return d.body;
}

/** Puts a device's latest fix at a point, as the lock would report it. */
export async function fixAt(w: World, deviceId: string, lon: number, lat: number) {
  const t = new Date(w.h.clock.now()).toISOString();
  await w.h.p.ctx.store.db.insertInto('positions').values({ device_id: deviceId, trip_id: null, fix_time: t, received_at: t, serial: uniq(), lat, lon, altitude_m: 0, speed_kmh: 0, heading: 0, alarm: 0, status: 0, battery_pct: 90, lock_events: '[]', items: '{}', late: 0, source: 'test', raw: '' }).execute();
  w.h.clock.advance(1000);
}

export async function act(w: World, tripId: string, action: string, body: object = {}, token = w.officer) {
  return w.h.req('POST', `/api/v1/trips/${tripId}/${action.replace(/_/g, '-')}`, { token, body });
}

/** How to reach each trip state from a fresh acceptance. */
export const PATHS: Record<string, string[]> = {
  accepted: [],
  sealed: ['seal'],
  in_transit: ['seal', 'depart'],
  at_boundary: ['seal', 'depart', 'arrive_boundary'],
  handed_over: ['seal', 'depart', 'arrive_boundary', 'handover'],
  arrived: ['seal', 'depart', 'arrive_boundary', 'handover', 'arrive'],
  unsealed: ['seal', 'depart', 'arrive_boundary', 'handover', 'arrive', 'unseal'],
  closed: ['seal', 'depart', 'arrive_boundary', 'handover', 'arrive', 'unseal', 'close'],
  inspection: ['seal', 'depart', 'arrive_boundary', 'inspect'],
  held: ['seal', 'hold'],
  suspended: ['seal', 'depart', 'suspend'],
  overdue: ['seal', 'depart', 'mark_overdue'],
  cancelled: ['cancel'],
};

export async function tripIn(w: World, state: string) {
  const dec = await submittedDeclaration(w);
  const acc = await w.h.req('POST', `/api/v1/declarations/${dec.id}/accept`, { token: w.officer, body: {} });
  assert.equal(acc.status, 200, JSON.stringify(acc.body));
  const tripId = acc.body.tripId as string;
  const deviceId = await newDevice(w);
  for (const a of PATHS[state]) {
    if (a === 'unseal') await fixAt(w, deviceId, w.destGeometry.coordinates[0], w.destGeometry.coordinates[1]);
    const r = await act(w, tripId, a, a === 'seal' ? { deviceId } : {}, a === 'unseal' ? w.officerHk : w.officer);
    assert.equal(r.status, 200, `${a} on the way to ${state}: ${JSON.stringify(r.body)}`);
  }
  return { tripId, deviceId, declarationId: dec.id as string };
}
