/** Gathers what the gate decision needs with two indexed queries (no scans). */
import type { AppContext } from '../platform/context.ts';
import type { GateFacts } from './gate-decision.ts';
import { prepared } from '../platform/db/prepared.ts';
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

/** What risk selection looks at, from one trip's declaration and enterprise. */
const riskSubject = (t: { id: string; origin_place_id: string; goods: string; credit_grade: string }, violations: number | string | bigint) => {
  const goods: Array<{ hsCode: string; value: number }> = JSON.parse(t.goods);
  return { tripId: t.id, hsCodes: goods.map((g) => g.hsCode), creditGrade: t.credit_grade, originPlaceId: t.origin_place_id, declaredValue: goods.reduce((a, g) => a + g.value, 0), confirmedViolations: Number(violations) };
};

export async function riskFor(ctx: AppContext, cache: RiskCache, tripId: string): Promise<RiskResult | null> {
  const db = ctx.store.db;
  const t = await db.selectFrom('trips').innerJoin('declarations', 'declarations.id', 'trips.declaration_id').innerJoin('enterprises', 'enterprises.id', 'trips.enterprise_id')
    .select(['trips.id', 'trips.origin_place_id', 'trips.enterprise_id', 'declarations.goods', 'enterprises.credit_grade']).where('trips.id', '=', tripId).executeTakeFirst();
  if (!t) return null;
  const violations = await db.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).where('enterprise_id', '=', t.enterprise_id).where('disposition', '=', 'violation_confirmed').executeTakeFirstOrThrow();
  const { rules, rates, seed } = await cache.get();
  return selectForInspection(rules, rates, seed, riskSubject(t, violations.n), ctx.nowIso());
}

/**
 * Everything the decision needs about the trip, risk subject included, in one indexed query: the
 * active trip of the lock read (devices.terminal_id → trips.active_device_id) or of a plate read
 * (vehicles.plate_cn | plate_hk → trips.active_vehicle_id), joined to its declaration, vehicle,
 * bound lock and enterprise, with the enterprise's confirmed-violation count.
 */
function tripFacts(db: AppContext['store']['db']) {
  return db.selectFrom('trips')
    .innerJoin('declarations', 'declarations.id', 'trips.declaration_id')
    .innerJoin('vehicles', 'vehicles.id', 'trips.vehicle_id')
    .innerJoin('enterprises', 'enterprises.id', 'trips.enterprise_id')
    .leftJoin('devices', 'devices.id', 'trips.device_id')
    .select(['trips.id', 'trips.state', 'trips.deadline_at', 'trips.origin_place_id', 'declarations.state as dstate', 'declarations.goods', 'vehicles.plate_cn', 'vehicles.plate_hk', 'devices.terminal_id', 'enterprises.credit_grade'])
    .select((eb) => eb.selectFrom('alerts').select(eb.fn.countAll().as('n')).whereRef('alerts.enterprise_id', '=', 'trips.enterprise_id').where('alerts.disposition', '=', 'violation_confirmed').as('violations'));
}
// Every lane reading runs these: compiled once.
const factsByLock = prepared((db, v: { lock: string }) => tripFacts(db).where('trips.active_device_id', '=', (eb) => eb.selectFrom('devices').select('devices.id').where('devices.terminal_id', '=', v.lock)));
const factsByPlate = prepared((db, v: { plate: string }) => tripFacts(db).where('trips.active_vehicle_id', '=', (eb) =>
  eb.selectFrom('vehicles').select('vehicles.id').where((w) => w.or([w('vehicles.plate_cn', '=', v.plate), w('vehicles.plate_hk', '=', v.plate)])).limit(1)));
const openAlertsOf = prepared((db, v: { tripId: string }) => db.selectFrom('alerts').select(['type', 'severity']).where('trip_id', '=', v.tripId).where('state', '!=', 'resolved'));

export async function gatherFacts(ctx: AppContext, cache: RiskCache, input: PassageInput): Promise<GateFacts> {
  const db = ctx.store.db;
  let t = input.lockIdRead ? await factsByLock.first(db, { lock: input.lockIdRead }) : undefined;
  if (!t) {
    for (const plate of input.platesRead) {
      t = await factsByPlate.first(db, { plate: plate.toUpperCase() });
      if (t) break;
    }
  }
  const base = { platesRead: input.platesRead, lockIdRead: input.lockIdRead, grossKgRead: input.grossKg, readAt: input.readAt, tolerance: { pct: ctx.settings.gateWeightTolerancePct, kg: ctx.settings.gateWeightToleranceKg } };
  if (!t) return { ...base, trip: null, openAlerts: [], risk: null };
  const openAlerts = await openAlertsOf.all(db, { tripId: t.id });
  const goods: Array<{ grossKg: number }> = JSON.parse(t.goods);
  const { rules, rates, seed } = await cache.get();
  return {
    ...base,
    trip: { id: t.id, state: t.state, declarationState: t.dstate, plateCn: t.plate_cn, plateHk: t.plate_hk, lockTerminalId: t.terminal_id, deadlineAt: t.deadline_at ? Date.parse(t.deadline_at) : null, declaredGrossKg: goods.reduce((a, g) => a + g.grossKg, 0) },
    openAlerts,
    risk: selectForInspection(rules, rates, seed, riskSubject(t, t.violations ?? 0), ctx.nowIso()),
  };
}
