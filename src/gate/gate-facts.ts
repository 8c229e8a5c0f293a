/** Gathers what the gate decision needs with a handful of indexed lookups (no scans). */
import type { AppContext } from '../platform/context.ts';
import type { GateFacts } from './gate-decision.ts';
import { selectForInspection, DEFAULT_SAMPLING, type RiskRule, type RiskResult } from './risk-selection.ts';

export interface PassageInput { platesRead: string[]; lockIdRead: string | null; containerNo: string | null; grossKg: number | null; readAt: number }

/** Risk rules and sampling change rarely; they are cached and dropped on every change. */
export class RiskCache {
  private rules: RiskRule[] | null = null;
  private sampling: { rates: Record<string, number>; seed: string } | null = null;
  constructor(private ctx: AppContext) {}
  invalidate() { this.rules = null; this.sampling = null; }
  async get() {
    const db = this.ctx.store.db;
    this.rules ??= (await db.selectFrom('risk_rules').selectAll().where('active', '=', 1).orderBy('id').execute()).map((r) => ({
      id: r.id, name: r.name, hsPrefix: r.hs_prefix, creditGrade: r.credit_grade, originPlaceId: r.origin_place_id, minValue: r.min_value,
      minViolations: r.min_violations, validFrom: r.valid_from, validTo: r.valid_to, active: !!r.active,
    }));
    if (!this.sampling) {
      const row = await db.selectFrom('risk_sampling').selectAll().where('id', '=', 1).executeTakeFirst();
      this.sampling = row ? { rates: JSON.parse(row.rates), seed: row.seed } : { rates: DEFAULT_SAMPLING, seed: 'unset' };
    }
    return { rules: this.rules, ...this.sampling };
  }
}

export async function riskFor(ctx: AppContext, cache: RiskCache, tripId: string): Promise<RiskResult | null> {
  const db = ctx.store.db;
  const t = await db.selectFrom('trips').innerJoin('declarations', 'declarations.id', 'trips.declaration_id').innerJoin('enterprises', 'enterprises.id', 'trips.enterprise_id')
    .select(['trips.id', 'trips.origin_place_id', 'trips.enterprise_id', 'declarations.goods', 'enterprises.credit_grade']).where('trips.id', '=', tripId).executeTakeFirst();
  if (!t) return null;
  const goods: Array<{ hsCode: string; value: number }> = JSON.parse(t.goods);
  const violations = await db.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).where('enterprise_id', '=', t.enterprise_id).where('disposition', '=', 'violation_confirmed').executeTakeFirstOrThrow();
  const { rules, rates, seed } = await cache.get();
  return selectForInspection(rules, rates, seed, { tripId, hsCodes: goods.map((g) => g.hsCode), creditGrade: t.credit_grade, originPlaceId: t.origin_place_id, declaredValue: goods.reduce((a, g) => a + g.value, 0), confirmedViolations: Number(violations.n) }, ctx.nowIso());
}

export async function gatherFacts(ctx: AppContext, cache: RiskCache, input: PassageInput): Promise<GateFacts> {
  const db = ctx.store.db;
  let tripId: string | undefined;
  if (input.lockIdRead) {
    const dev = await db.selectFrom('devices').select('id').where('terminal_id', '=', input.lockIdRead).executeTakeFirst();
    if (dev) tripId = (await db.selectFrom('trips').select('id').where('active_device_id', '=', dev.id).executeTakeFirst())?.id;
  }
  if (!tripId) {
    for (const plate of input.platesRead) {
      const p = plate.toUpperCase();
      const veh = await db.selectFrom('vehicles').select('id').where((eb) => eb.or([eb('plate_cn', '=', p), eb('plate_hk', '=', p)])).executeTakeFirst();
      if (veh) tripId = (await db.selectFrom('trips').select('id').where('active_vehicle_id', '=', veh.id).executeTakeFirst())?.id;
      if (tripId) break;
    }
  }
  const base = { platesRead: input.platesRead, lockIdRead: input.lockIdRead, grossKgRead: input.grossKg, readAt: input.readAt, tolerance: { pct: ctx.settings.gateWeightTolerancePct, kg: ctx.settings.gateWeightToleranceKg } };
  if (!tripId) return { ...base, trip: null, openAlerts: [], risk: null };
  const t = await db.selectFrom('trips')
    .innerJoin('declarations', 'declarations.id', 'trips.declaration_id')
    .innerJoin('vehicles', 'vehicles.id', 'trips.vehicle_id')
    .leftJoin('devices', 'devices.id', 'trips.device_id')
    .select(['trips.id', 'trips.state', 'trips.deadline_at', 'declarations.state as dstate', 'declarations.goods', 'vehicles.plate_cn', 'vehicles.plate_hk', 'devices.terminal_id'])
    .where('trips.id', '=', tripId).executeTakeFirstOrThrow();
  const openAlerts = await db.selectFrom('alerts').select(['type', 'severity']).where('trip_id', '=', tripId).where('state', '!=', 'resolved').execute();
  const goods: Array<{ grossKg: number }> = JSON.parse(t.goods);
  return {
    ...base,
    trip: { id: t.id, state: t.state, declarationState: t.dstate, plateCn: t.plate_cn, plateHk: t.plate_hk, lockTerminalId: t.terminal_id, deadlineAt: t.deadline_at ? Date.parse(t.deadline_at) : null, declaredGrossKg: goods.reduce((a, g) => a + g.grossKg, 0) },
    openAlerts,
    risk: await riskFor(ctx, cache, tripId),
  };
}
