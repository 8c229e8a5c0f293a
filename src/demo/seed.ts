/**
 * Demo data: enterprises, users, vehicles, drivers, locks, the real places and route, and trips in
 * several lifecycle states. Everything goes through the same functions the API uses, so the demo
 * exercises the product rather than bypassing it. Running it twice changes nothing.
 */
import type { AppContext } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { hashPassword } from '../platform/auth/password.ts';
import { hashApiKey } from '../platform/auth/tokens.ts';
import { SYSTEM, type Principal } from '../platform/auth/principal.ts';
import { usccCheckChar } from '../registry/validate.ts';
import { applyTripAction } from '../transit/trips.ts';
import { acceptDeclaration } from '../transit/declaration-actions.ts';
import { placesAndRoute } from './geodata.ts';
import { seedInspectionDemo } from './inspection-seed.ts';

export const DEMO_PASSWORD = process.env.ONELOCK_DEMO_PASSWORD || 'onelock-demo';
const uscc = (first17: string) => first17 + usccCheckChar(first17);

export const DEMO_USERS = [
  { username: 'officer.cn', displayName: '陈关员 Chen (Jinjiang Customs)', role: 'officer', administration: 'CN' },
  { username: 'officer.hk', displayName: 'Wong (HK Customs)', role: 'officer', administration: 'HK' },
  { username: 'supervisor', displayName: '林科长 Lin (Monitoring Centre)', role: 'supervisor', administration: 'CN' },
  { username: 'jinjiang.trade', displayName: '晋江报关员 Zhang', role: 'enterprise', enterprise: 0 },
  { username: 'hk.carrier', displayName: 'Li (Bay Express dispatch)', role: 'enterprise', enterprise: 1 },
  { username: 'yongchun.fruit', displayName: '永春出口商 Su', role: 'enterprise', enterprise: 2 },
] as const;

const ENTERPRISES = [
  { name: '晋江陆港国际贸易有限公司 Jinjiang Landport Trading Co.', uscc: uscc('91350582MA8RJ1T0X'), credit_grade: 'advanced' },
  { name: '湾区快运（香港）有限公司 Bay Express Logistics (HK) Ltd.', uscc: uscc('91440300MA5G2BX4L'), credit_grade: 'general' },
  { name: '永春县芦柑出口合作社 Yongchun Ponkan Export Cooperative', uscc: uscc('93350525MA2Y7XB1Q'), credit_grade: 'general' },
] as const;

/**
 * Vehicle i drives with driver i and, once sealed, lock i: the live demo (live-demo.ts) finds its
 * trucks again by these, on every start.
 */
export const demoPlateCn = (i: number) => `粤Z${String(1000 + i * 37).padStart(4, '0')}港`;
export const demoPlateHk = (i: number) => `${['LV', 'XY', 'KT', 'RM'][i % 4]}${1200 + i}`;
export const demoLicenceNo = (i: number) => `35058219${String(80 + (i % 20)).padStart(2, '0')}0101${String(1000 + i).slice(-3)}${i % 10}`;
export const demoTerminalId = (i: number) => `0138${String(i + 1).padStart(8, '0')}`;
export const demoGoods = (i: number) => [
  { line: 1, hsCode: '85176299', description: '通信设备零件 telecom equipment parts', packages: 40 + i, grossKg: 6200 + i * 10, netKg: 5900 + i * 10, value: 880000, currency: 'CNY' },
  { line: 2, hsCode: '61091000', description: '棉制针织T恤 cotton knitted T-shirts', packages: 120, grossKg: 2400, netKg: 2250, value: 156000, currency: 'CNY' },
];

/** A reproducible demo gate key derived from the instance's token secret, never stored in the repo. */
export const demoGateKey = (ctx: AppContext) => 'gate_demo_' + ctx.tokens.derive('demo-gate');

export async function seedDemo(ctx: AppContext, opts: { quick?: boolean; vehicles?: number } = {}): Promise<{ seeded: boolean }> {
  const db = ctx.store.db;
  // A data dir seeded before export inspection had demo data still gets it (idempotent on its own).
  if (await db.selectFrom('users').select('id').where('username', '=', 'supervisor').executeTakeFirst()) return { seeded: (await seedInspectionDemo(ctx)).seeded };
  const now = ctx.nowIso();
  const stamp = { version: 1, created_at: now, updated_at: now };
  const id = (p: string) => newId(p, ctx.clock.now());
  const hash = await hashPassword(DEMO_PASSWORD);
  const nVehicles = opts.vehicles ?? (opts.quick ? 6 : 24);

  const entIds = ENTERPRISES.map(() => id('ent'));
  const places = placesAndRoute();
  const placeIds = new Map<string, string>();
  const vehicles: string[] = [], drivers: string[] = [], devices: string[] = [];
  let routeId = '';

  await ctx.change(async (trx, audit) => {
    for (const [i, e] of ENTERPRISES.entries()) {
      await trx.insertInto('enterprises').values({ id: entIds[i], ...e, contacts: JSON.stringify([{ name: 'Customs desk', phone: '+86 595 8800 00' + i }]), ...stamp }).execute();
    }
    for (const u of DEMO_USERS) {
      await trx.insertInto('users').values({
        id: id('usr'), username: u.username, display_name: u.displayName, password_hash: hash, role: u.role,
        enterprise_id: 'enterprise' in u ? entIds[u.enterprise] : null, administration: 'administration' in u ? u.administration : null, disabled: 0, ...stamp,
      }).execute();
    }
    for (const pl of places.places) {
      const pid = id('plc');
      placeIds.set(pl.name, pid);
      await trx.insertInto('places').values({ id: pid, name: pl.name, name_zh: pl.nameZh, kind: pl.kind, jurisdiction: pl.jurisdiction, geometry: JSON.stringify(pl.geometry), radius_m: pl.radiusM, ...stamp }).execute();
    }
    const gateId = id('gat');
    await trx.insertInto('gates').values({ id: gateId, name: 'Shenzhen Bay outbound 深圳湾出境卡口', place_id: placeIds.get(places.route.placeNames[1])!, jurisdiction: 'CN', ...stamp }).execute();
    for (const code of ['E1', 'E2', 'E3']) await trx.insertInto('gate_lanes').values({ id: id('lan'), gate_id: gateId, code, direction: 'outbound', created_at: now }).execute();
    await trx.insertInto('api_keys').values({ id: id('key'), key_hash: hashApiKey(demoGateKey(ctx)), role: 'gate', label: 'Shenzhen Bay lane controller (demo)', subject_id: gateId, administration: 'CN', created_at: now, revoked_at: null }).execute();
    await trx.insertInto('risk_sampling').values({ id: 1, rates: JSON.stringify({ advanced: 0.01, general: 0.05, low: 0.3 }), seed: ctx.tokens.derive('risk-seed'), version: 1, updated_at: now }).execute();
    routeId = id('rte');
    const r = places.route;
    await trx.insertInto('routes').values({
      id: routeId, name: r.name, geometry: JSON.stringify(r.geometry), corridor_width_m: r.corridorWidthM,
      stop_zone_ids: JSON.stringify(places.places.filter((p) => p.kind === 'rest_area').map((p) => placeIds.get(p.name))),
      place_ids: JSON.stringify(r.placeNames.map((n) => placeIds.get(n))), time_limit_min: r.timeLimitH * 60, rule_overrides: '{}', ...stamp,
    }).execute();
    for (let i = 0; i < nVehicles; i++) {
      const ent = entIds[i % 2];
      const v = id('veh');
      vehicles.push(v);
      await trx.insertInto('vehicles').values({ id: v, enterprise_id: ent, plate_cn: demoPlateCn(i), plate_hk: demoPlateHk(i), kind: 'tractor', ...stamp }).execute();
      const d = id('drv');
      drivers.push(d);
      await trx.insertInto('drivers').values({ id: d, enterprise_id: ent, name: ['张伟', '李强', 'Chan Tai Man', '王磊', 'Lee Ka Ho', '刘洋'][i % 6] + (i >= 6 ? ` ${i}` : ''), licence_no: demoLicenceNo(i), phone: `+86 138 0000 ${String(1000 + i)}`, home_region: i % 3 === 2 ? 'HK' : 'CN', ...stamp }).execute();
    }
    for (let i = 0; i < nVehicles + 6; i++) {
      const dv = id('dev');
      devices.push(dv);
      await trx.insertInto('devices').values({ id: dv, terminal_id: demoTerminalId(i), model: 'CEL-808 customs e-lock', lock_profile: 'customs-elock', state: 'in_stock', battery_pct: 100 - (i % 5) * 7, last_seen_at: null, auth_code: `demo${String(i + 1).padStart(4, '0')}`, ingest_key_hash: null, ...stamp }).execute();
    }
    await audit({ actor: 'system', action: 'demo.seed', subject: 'demo', after: { enterprises: ENTERPRISES.length, vehicles: nVehicles, devices: devices.length } });
  });

  // Trips in several states, driven through the lifecycle exactly as officers would.
  const origin = placeIds.get(places.route.placeNames[0])!;
  const dest = placeIds.get(places.route.placeNames[places.route.placeNames.length - 1])!;
  const officer: Principal = { ...SYSTEM, id: 'demo', name: 'demo seed', role: 'officer', administration: 'CN' };
  const paths: string[][] = [
    [], // submitted, awaiting an officer
    ['accept'],
    ['accept', 'seal'],
    ['accept', 'seal', 'depart'],
    ['accept', 'seal', 'depart', 'arrive_boundary'],
    ['accept', 'seal', 'depart', 'arrive_boundary', 'handover'],
  ];
  for (let i = 0; i < Math.min(paths.length, vehicles.length); i++) {
    const decId = await lodgeDemoDeclaration(ctx, { enterpriseId: entIds[i % 2], vehicleId: vehicles[i], driverId: drivers[i], originPlaceId: origin, destinationPlaceId: dest, routeId, timeLimitMin: places.route.timeLimitH * 60, goods: demoGoods(i) }, 'demo seed');
    if (!paths[i].length) continue;
    const tripId = await acceptDeclaration(ctx, decId, officer, 'demo seed');
    for (const a of paths[i].slice(1)) await applyTripAction(ctx, tripId, a as never, { deviceId: devices[i], reason: 'demo seed' }, officer);
  }
  await seedInspectionDemo(ctx);
  return { seeded: true };
}

/** A submitted export declaration lodged on an enterprise's behalf (the seed's and the live demo's), audited like the API's. */
export async function lodgeDemoDeclaration(ctx: AppContext, d: { enterpriseId: string; vehicleId: string; driverId: string; originPlaceId: string; destinationPlaceId: string; routeId: string; timeLimitMin: number; goods: unknown[] }, reason: string): Promise<string> {
  const now = ctx.nowIso();
  const decId = newId('dec', ctx.clock.now());
  await ctx.change(async (trx, audit) => {
    await trx.insertInto('declarations').values({
      id: decId, enterprise_id: d.enterpriseId, direction: 'export', vehicle_id: d.vehicleId, driver_id: d.driverId, container_no: null,
      origin_place_id: d.originPlaceId, destination_place_id: d.destinationPlaceId, route_id: d.routeId, time_limit_min: d.timeLimitMin, goods: JSON.stringify(d.goods),
      state: 'submitted', reasons: '[]', trip_id: null, version: 1, created_at: now, updated_at: now,
    }).execute();
    await audit({ actor: 'system', action: 'declaration.submit', subject: decId, reason });
  });
  return decId;
}
