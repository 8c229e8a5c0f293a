/**
 * Tamper (`tamper`, critical): wire_cut, shell_tamper, unauthorised_card, power_cut,
 * motor_stuck at once; wrong_password when it comes in a burst (≥ wrongPasswordBurst within
 * wrongPasswordWindowMs). A repeat while open is an `update` carrying the new event.
 */
import type { RuleConfig, RuleOutput, TripRuleState } from '../types.ts';
import { raise } from './emit.ts';

const IMMEDIATE = new Set(['wire_cut', 'shell_tamper', 'unauthorised_card', 'power_cut', 'motor_stuck']);

export function tamperEvent(state: TripRuleState, event: string, time: number, config: RuleConfig, late: boolean, out: RuleOutput[]): void {
  if (IMMEDIATE.has(event)) {
    raise(state, out, 'tamper', 'critical', time, late, { event }, true);
    return;
  }
  if (event !== 'wrong_password') return;
  const w = state.wrongPw;
  w.push(time);
  w.sort((a, b) => a - b); // late data may arrive out of order
  while (w.length > 0 && w[w.length - 1] - w[0] > config.wrongPasswordWindowMs) w.shift();
  if (w.length >= config.wrongPasswordBurst) {
    raise(state, out, 'tamper', 'critical', time, late, { event, attempts: w.length, since: w[0] }, true);
    w.length = 0;
  } else if (w.length > config.wrongPasswordBurst) w.splice(0, w.length - config.wrongPasswordBurst);
}
