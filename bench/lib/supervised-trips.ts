/**
 * Bench set-up: N trips in transit on the seeded route, each sealed with its own lock (the
 * emulator's terminals) and vehicle, as an accepted declaration would leave them. Written in
 * bulk with plain inserts (10,000 trips through the HTTP API would take minutes and measure
 * nothing of interest); the benchmarks then drive them only through the real ingest paths.
 */
import type { AppContext } from '../../src/platform/context.ts';
import { newId } from '../../src/platform/ids.ts';

export interface SupervisedTrip { tripId: string; deviceId: string; terminalId: string; authCode: string; enterpriseId: string }

export async function seedSupervisedTrips(ctx: AppContext, terminalIds: string[], opts: { timeLimitMin?: number } = {}): Promise<SupervisedTrip[]> {
  const db = ctx.store.db;
  const ent = (await db.selectFrom('enterprises').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  const route = await db.selectFrom('routes').select(['id', 'place_ids']).orderBy('id').executeTakeFirstOrThrow();
  const places: string[] = JSON.parse(route.place_ids);
  const drv = (await db.selectFrom('drivers').select('id').executeTakeFirstOrThrow()).id;
  const limit = opts.timeLimitMin ?? 24 * 60;
  const now = ctx.nowIso();
  const deadline = new Date(ctx.clock.now() + limit * 60_000).toISOString();
  const goods = JSON.stringify([{ line: 1, hsCode: '0805.21', description: 'ponkan', packages: 1200, grossKg: 18000, netKg: 16800, value: 120000, currency: 'CNY' }]);
  const out: SupervisedTrip[] = [];
  for (let i = 0; i < terminalIds.length; i += 200) {
    const part = terminalIds.slice(i, i + 200);
    const devs = await db.selectFrom('devices').select(['id', 'terminal_id', 'auth_code']).where('terminal_id', 'in', part).execute();
    const rows = devs.map((d, j) => ({ d, v: newId('veh'), dec: newId('dec'), t: newId('trp'), n: i + j }));
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('vehicles').values(rows.map((r) => ({ id: r.v, enterprise_id: ent, plate_cn: `粤B${String(r.n).padStart(5, '0')}`, plate_hk: null, kind: 'tractor', version: 1, created_at: now, updated_at: now }))).execute();
      await trx.insertInto('declarations').values(rows.map((r) => ({
        id: r.dec, enterprise_id: ent, direction: 'export', vehicle_id: r.v, driver_id: drv, container_no: null, origin_place_id: places[0], destination_place_id: places.at(-1)!,
        route_id: route.id, time_limit_min: limit, goods, state: 'accepted', reasons: '[]', trip_id: r.t, version: 1, created_at: now, updated_at: now,
      }))).execute();
      await trx.insertInto('trips').values(rows.map((r) => ({
        id: r.t, declaration_id: r.dec, enterprise_id: ent, vehicle_id: r.v, driver_id: drv, device_id: r.d.id, route_id: route.id, origin_place_id: places[0], destination_place_id: places.at(-1)!,
        direction: 'export', state: 'in_transit', resume_state: null, deadline_at: deadline, time_limit_min: limit, active_vehicle_id: r.v, active_device_id: r.d.id, discharge: null, version: 1, created_at: now, updated_at: now,
      }))).execute();
      await trx.insertInto('seal_sessions').values(rows.map((r) => ({ id: newId('ses'), trip_id: r.t, device_id: r.d.id, jurisdiction: 'CN', opened_at: now, opened_by: 'bench', closed_at: null, closed_by: null, close_reason: null }))).execute();
      await trx.updateTable('devices').set({ state: 'sealed' }).where('id', 'in', rows.map((r) => r.d.id)).execute();
    });
    for (const r of rows) out.push({ tripId: r.t, deviceId: r.d.id, terminalId: r.d.terminal_id, authCode: r.d.auth_code, enterpriseId: ent });
  }
  // Same order as terminalIds, so callers can pair them.
  const byTid = new Map(out.map((t) => [t.terminalId, t]));
  return terminalIds.map((t) => byTid.get(t)!);
}
