/**
 * Overtime (`overdue`): timer-driven like signal loss. Past the deadline without
 * `arrived_destination` → critical. Before it, the ETA = now + remaining along-route distance
 * ÷ recent average speed (a moving average of reported speed, time constant etaSpeedWindowMs [2 h],
 * seeded with etaAssumedSpeedKmh at departure); past the deadline → warning, cleared when the
 * projection comes back etaClearMarginMs inside it. Arrival clears the warning; a critical
 * overdue stays open for the officer to resolve. Once resolved it is not raised again against the
 * same deadline (a resolved warning still escalates to critical; a resolved warning whose
 * projection came back inside is forgotten); a new deadline starts afresh.
 */
import type { RuleConfig, RuleOutput, RuleResult, TripContext, TripRuleState } from '../types.ts';
import { clear, raise } from './emit.ts';

export function checkOverdue(state: TripRuleState, now: number, ctx: TripContext, config: RuleConfig): RuleResult {
  const outputs: RuleOutput[] = [];
  const open = state.open.overdue;
  const handled = state.overdueHandled?.deadline === ctx.deadline ? state.overdueHandled.severity : undefined;
  if (state.milestones.includes('arrived_destination')) {
    if (open === 'warning') clear(state, outputs, 'overdue', now, false, { reason: 'arrived' });
    return { state, outputs };
  }
  if (now > ctx.deadline) {
    if (handled === 'critical') return { state, outputs };
    state.overdueDeadline = ctx.deadline;
    raise(state, outputs, 'overdue', 'critical', now, false, { deadline: ctx.deadline, overdueMs: now - ctx.deadline });
    return { state, outputs };
  }
  const remainingM = Math.max(0, ctx.corridor.lengthM - state.alongM);
  const speedMs = (state.avgSpeedKmh * 1000) / 3_600_000; // metres per ms
  const eta = speedMs > 0 ? now + remainingM / speedMs : Number.MAX_SAFE_INTEGER;
  const detail = { deadline: ctx.deadline, eta: eta === Number.MAX_SAFE_INTEGER ? null : Math.round(eta), remainingM: Math.round(remainingM), avgSpeedKmh: Math.round(state.avgSpeedKmh * 10) / 10 };
  if (eta > ctx.deadline) {
    if (open === undefined && handled === undefined) { state.overdueDeadline = ctx.deadline; raise(state, outputs, 'overdue', 'warning', now, false, detail); }
  } else if (eta <= ctx.deadline - config.etaClearMarginMs) {
    if (open === 'warning') clear(state, outputs, 'overdue', now, false, detail);
    if (handled === 'warning') delete state.overdueHandled;
  }
  return { state, outputs };
}

/** Fold one reported speed into the moving average (called by evaluate on good fixes). */
export function updateAverageSpeed(state: TripRuleState, speedKmh: number, time: number, config: RuleConfig): void {
  const dt = state.goodTime >= 0 ? time - state.goodTime : 0;
  if (dt <= 0) return;
  const a = 1 - Math.exp(-dt / config.etaSpeedWindowMs);
  state.avgSpeedKmh += a * (speedKmh - state.avgSpeedKmh);
}
