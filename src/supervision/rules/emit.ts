/** Alert bookkeeping shared by the rules: one open alert per trip and type. */
import type { AlertType, RuleOutput, Severity, TripRuleState, Track } from '../types.ts';

/**
 * Raise `type`, or, when it is already open, emit an update if the severity changes or
 * `repeat` is set (a repeated discrete event such as a second tamper). Never a second raise.
 */
export function raise(
  state: TripRuleState,
  out: RuleOutput[],
  type: AlertType,
  severity: Severity,
  time: number,
  late: boolean,
  detail: Record<string, unknown>,
  repeat = false,
): void {
  const cur = state.open[type];
  if (cur === undefined) {
    state.open[type] = severity;
    out.push({ kind: 'raise', type, severity, late, time, detail });
  } else if (cur !== severity || repeat) {
    state.open[type] = severity;
    out.push({ kind: 'update', type, severity, late, time, detail });
  }
}

/** Clear `type` if open. */
export function clear(state: TripRuleState, out: RuleOutput[], type: AlertType, time: number, late: boolean, detail: Record<string, unknown>): void {
  const cur = state.open[type];
  if (cur === undefined) return;
  delete state.open[type];
  out.push({ kind: 'clear', type, severity: cur, late, time, detail });
}

/**
 * Advance a hysteresis tracker with one observation. `wants` is whether this fix argues for
 * flipping the confirmed state. The flip is confirmed by `fixes` consecutive observations or
 * by at least two spanning `ms`. Returns true when the state flipped on this fix.
 */
export function step(t: Track, wants: boolean, time: number, fixes: number, ms: number): boolean {
  if (!wants) {
    t.pending = 0;
    t.since = -1;
    return false;
  }
  if (t.pending === 0) t.since = time;
  t.pending++;
  if (t.pending >= fixes || (t.pending >= 2 && time - t.since >= ms)) {
    t.on = !t.on;
    t.pending = 0;
    return true;
  }
  return false;
}

export const newTrack = (on = false): Track => ({ on, pending: 0, since: -1 });
