/**
 * Seeds a data dir with the demo data plus a fleet of active supervised trips for the map
 * performance test, then exits: `node --import tsx test/e2e/fleet-seed.ts <dataDir> <trips> <tokenSecret>`.
 *
 * The demo data goes through the product's seed; the fleet is written straight into the real
 * (migrated) schema in one transaction: the rows the lifecycle would leave after accept → seal →
 * depart (and for some arrive_boundary, handover or hold): declaration, trip, its transitions, seal
 * sessions, the lock marked sealed, and one audit entry for the whole fleet. Going through
 * `tripActionIn` per trip costs ~15 statements and 5 audit entries each, half a minute for 5,000
 * trips on a shared machine, too slow for a test CI runs every time.
 * Prints one JSON line: each truck's lock terminal ID, trip state and where on the route it starts (0…1).
 */
import pino from 'pino';
import { startPlatform } from '../../src/platform/server.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { newId } from '../../src/platform/ids.ts';

export interface FleetTruck { terminalId: string; tripId: string; state: string; startAt: number }

const [dataDir, nArg, tokenSecret] = process.argv.slice(2);
const N = Number(nArg ?? 5000);
if (!dataDir || !Number.isInteger(N) || N < 1) throw new Error('usage: fleet-seed.ts <dataDir> <trips> <tokenSecret>');

const p = await startPlatform({ env: {}, log: pino({ level: 'warn' }), settings: { dataDir, tokenSecret, supervisionTickS: 0 } });
await seedDemo(p.ctx, { quick: true });
const db = p.ctx.store.sqlite!;
const ents = db.prepare(`select id from enterprises order by id`).pluck().all() as string[];
const driverOf = new Map((db.prepare(`select enterprise_id, id from drivers order by id`).all() as { enterprise_id: string; id: string }[]).reverse().map((d) => [d.enterprise_id, d.id]));
const route = db.prepare(`select id, place_ids, time_limit_min from routes limit 1`).get() as { id: string; place_ids: string; time_limit_min: number };
const [origin, , , dest] = JSON.parse(route.place_ids) as string[];
const goods = JSON.stringify([{ line: 1, hsCode: '85176299', description: '通信设备零件 telecom equipment parts', packages: 40, grossKg: 6200, netKg: 5900, value: 880000, currency: 'CNY' }]);
const actor = 'user:e2e';

// Where a trip is in its lifecycle decides where on the route it is: boundary states near Shenzhen Bay.
type Step = [from: string, to: string, action: string];
const plan = (i: number): { steps: Step[]; startAt: number } => {
  const u = ((i * 7919) % 1000) / 1000, along = ((i * 104729) % 10007) / 10007;
  const base: Step[] = [['submitted', 'accepted', 'accept'], ['accepted', 'sealed', 'seal'], ['sealed', 'in_transit', 'depart']];
  if (u < 0.06) return { steps: [...base, ['in_transit', 'at_boundary', 'arrive_boundary']], startAt: 0.955 + along * 0.01 };
  if (u < 0.1) return { steps: [...base, ['in_transit', 'at_boundary', 'arrive_boundary'], ['at_boundary', 'handed_over', 'handover']], startAt: 0.965 + along * 0.03 };
  if (u < 0.13) return { steps: [...base, ['in_transit', 'held', 'hold']], startAt: along * 0.95 };
  return { steps: base, startAt: along * 0.95 };
};

const ins = {
  vehicle: db.prepare(`insert into vehicles (id, enterprise_id, plate_cn, plate_hk, kind, version, created_at, updated_at) values (?,?,?,?,'tractor',1,?,?)`),
  device: db.prepare(`insert into devices (id, terminal_id, model, lock_profile, state, battery_pct, last_seen_at, auth_code, ingest_key_hash, version, created_at, updated_at) values (?,?,'CEL-808 customs e-lock','customs-elock','sealed',90,null,?,null,2,?,?)`),
  declaration: db.prepare(`insert into declarations (id, enterprise_id, direction, vehicle_id, driver_id, container_no, origin_place_id, destination_place_id, route_id, time_limit_min, goods, state, reasons, trip_id, version, created_at, updated_at) values (?,?,'export',?,?,null,?,?,?,?,?,'accepted','[]',?,2,?,?)`),
  trip: db.prepare(`insert into trips (id, declaration_id, enterprise_id, vehicle_id, driver_id, device_id, route_id, origin_place_id, destination_place_id, direction, state, resume_state, deadline_at, time_limit_min, active_vehicle_id, active_device_id, discharge, version, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,'export',?,?,?,?,?,?,null,?,?,?)`),
  transition: db.prepare(`insert into trip_transitions (id, trip_id, from_state, to_state, action, actor, reason, at) values (?,?,?,?,?,?,'map perf fleet',?)`),
  session: db.prepare(`insert into seal_sessions (id, trip_id, device_id, jurisdiction, opened_at, opened_by, closed_at, closed_by, close_reason) values (?,?,?,?,?,?,?,?,?)`),
};
const trucks: FleetTruck[] = [];
const now = p.ctx.nowIso();
const deadline = new Date(p.ctx.clock.now() + route.time_limit_min * 60_000).toISOString();
db.transaction(() => {
  for (let i = 0; i < N; i++) {
    const ent = ents[i % 2];
    const v = newId('veh'), dev = newId('dev'), dec = newId('dec'), t = newId('trp');
    const terminalId = `0166${String(i).padStart(8, '0')}`;
    const { steps, startAt } = plan(i);
    const state = steps[steps.length - 1][1];
    ins.vehicle.run(v, ent, `粤B${String(i).padStart(5, '0')}`, `FL${String(i).padStart(4, '0')}`, now, now);
    ins.device.run(dev, terminalId, `fleet${i}`, now, now);
    ins.declaration.run(dec, ent, v, driverOf.get(ent)!, origin, dest, route.id, route.time_limit_min, goods, t, now, now);
    ins.trip.run(t, dec, ent, v, driverOf.get(ent)!, dev, route.id, origin, dest, state, state === 'held' ? 'in_transit' : null, deadline, route.time_limit_min, v, dev, steps.length + 1, now, now);
    for (const [from, to, action] of steps) ins.transition.run(newId('ttr'), t, from, to, action, actor, now);
    const handedOver = steps.some((s) => s[2] === 'handover');
    ins.session.run(newId('ses'), t, dev, 'CN', now, actor, handedOver ? now : null, handedOver ? actor : null, handedOver ? 'handed_over' : null);
    if (handedOver) ins.session.run(newId('ses'), t, dev, 'HK', now, actor, null, null, null);
    trucks.push({ terminalId, tripId: t, state, startAt });
  }
})();
const counts: Record<string, number> = {};
for (const t of trucks) counts[t.state] = (counts[t.state] ?? 0) + 1;
await p.ctx.change((trx, audit) => audit({ actor, action: 'e2e.fleet_seed', subject: route.id, after: { trips: N, states: counts }, reason: 'map performance test fleet' }));
await p.close();
process.stdout.write(JSON.stringify({ trucks }) + '\n');
