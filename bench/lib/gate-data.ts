/**
 * Data for the gate benches: the demo seed plus `n` active trips, each in transit and sealed with
 * its own vehicle, lock and open CN seal session, written straight into SQLite (seeding is not
 * what is measured). Returns each trip's plate and lock, the demo gate and its controller key.
 */
import pino from 'pino';
import { startPlatform } from '../../src/platform/server.ts';
import { seedDemo, demoGateKey } from '../../src/demo/seed.ts';
import { newId } from '../../src/platform/ids.ts';

export async function prepareGateTrips(dataDir: string, secret: string, n: number) {
  const p = await startPlatform({ env: {}, log: pino({ level: 'silent' }), settings: { dataDir, tokenSecret: secret } });
  await seedDemo(p.ctx, { quick: true });
  const db = p.ctx.store.sqlite!;
  const ent = db.prepare(`select id from enterprises order by id limit 1`).pluck().get() as string;
  const route = db.prepare(`select id, place_ids from routes limit 1`).get() as { id: string; place_ids: string };
  const [origin, , , dest] = JSON.parse(route.place_ids);
  const drv = db.prepare(`select id from drivers limit 1`).pluck().get() as string;
  const now = new Date().toISOString();
  // Sealed just now: the deadline is the time limit (840 min) from now, so supervision sees trips
  // that departed moments ago (not hours ago with no position since, which raises signal_lost).
  const deadline = new Date(Date.now() + 840 * 60_000).toISOString();
  const goods = JSON.stringify([{ line: 1, hsCode: '85176299', description: 'parts', packages: 10, grossKg: 18000, netKg: 17000, value: 1000, currency: 'CNY' }]);
  const trips: Array<{ plate: string; lock: string }> = [];
  const veh = db.prepare(`insert into vehicles values (?,?,?,?,?,1,?,?)`);
  const dev = db.prepare(`insert into devices (id, terminal_id, model, lock_profile, state, battery_pct, last_seen_at, auth_code, ingest_key_hash, version, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,1,?,?)`);
  const decl = db.prepare(`insert into declarations (id, enterprise_id, direction, vehicle_id, driver_id, container_no, origin_place_id, destination_place_id, route_id, time_limit_min, goods, state, reasons, trip_id, version, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`);
  const trip = db.prepare(`insert into trips (id, declaration_id, enterprise_id, vehicle_id, driver_id, device_id, route_id, origin_place_id, destination_place_id, direction, state, resume_state, deadline_at, time_limit_min, active_vehicle_id, active_device_id, discharge, version, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`);
  const ses = db.prepare(`insert into seal_sessions values (?,?,?,?,?,?,?,?,?)`);
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const v = newId('veh'), d = newId('dev'), dec = newId('dec'), t = newId('trp');
      const plateCn = `粤B${String(i).padStart(5, '0')}`;
      const lock = `0177${String(i).padStart(8, '0')}`;
      veh.run(v, ent, plateCn, null, 'tractor', now, now);
      dev.run(d, lock, 'CEL', 'customs-elock', 'sealed', 90, null, 'x', null, now, now);
      decl.run(dec, ent, 'export', v, drv, null, origin, dest, route.id, 840, goods, 'accepted', '[]', t, now, now);
      trip.run(t, dec, ent, v, drv, d, route.id, origin, dest, 'export', 'in_transit', null, deadline, 840, v, d, null, now, now);
      ses.run(newId('ses'), t, d, 'CN', now, 'bench', null, null, null);
      trips.push({ plate: plateCn, lock });
    }
  })();
  const gate = db.prepare(`select id from gates limit 1`).pluck().get() as string;
  const key = demoGateKey(p.ctx);
  await p.close();
  return { trips, gate, key };
}
