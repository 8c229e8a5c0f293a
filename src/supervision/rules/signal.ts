/**
 * Signal loss (`signal_lost`, warning): raised by a timer, not by a message. The scheduler
 * calls `checkSignal` periodically with the platform clock; no report for signalLostMs (5 min)
 * raises; the next fix clears (in `evaluate`).
 */
import type { RuleConfig, RuleOutput, RuleResult, TripRuleState } from '../types.ts';
import { clear, raise } from './emit.ts';

export function checkSignal(state: TripRuleState, now: number, config: RuleConfig): RuleResult {
  const outputs: RuleOutput[] = [];
  const silentMs = now - state.lastFixTime;
  if (silentMs >= config.signalLostMs && state.open.signal_lost === undefined) {
    raise(state, outputs, 'signal_lost', 'warning', now, false, { lastFixTime: state.lastFixTime, silentMs });
  }
  return { state, outputs };
}

/** A report arrived: clear an open signal_lost (called by evaluate for every fix). */
export function signalRestored(state: TripRuleState, time: number, late: boolean, out: RuleOutput[]): void {
  if (state.open.signal_lost !== undefined) clear(state, out, 'signal_lost', time, late, { lastFixTime: state.lastFixTime });
}
