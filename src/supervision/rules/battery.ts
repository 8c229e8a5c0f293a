/**
 * Low battery (`low_battery`): below 20 % warning, below 10 % critical; a lock's own
 * `low_battery` event without a percentage is a warning. Clears at lowBatteryClearPct (25 %)
 * or above, so a reading wobbling around 20 % does not flap; never downgrades while open.
 */
import type { RuleConfig, RuleOutput, TripRuleState } from '../types.ts';
import { clear, raise } from './emit.ts';

export function batteryRule(state: TripRuleState, pct: number | null | undefined, lowEvent: boolean, time: number, config: RuleConfig, late: boolean, out: RuleOutput[]): void {
  if (typeof pct === 'number' && Number.isFinite(pct)) {
    if (pct < config.lowBatteryCriticalPct) raise(state, out, 'low_battery', 'critical', time, late, { batteryPct: pct });
    else if (pct < config.lowBatteryWarnPct) {
      if (state.open.low_battery === undefined) raise(state, out, 'low_battery', 'warning', time, late, { batteryPct: pct });
    } else if (pct >= config.lowBatteryClearPct) clear(state, out, 'low_battery', time, late, { batteryPct: pct });
    return;
  }
  if (lowEvent && state.open.low_battery === undefined) raise(state, out, 'low_battery', 'warning', time, late, { event: 'low_battery' });
}
