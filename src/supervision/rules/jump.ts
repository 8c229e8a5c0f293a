/**
 * Impossible jump (filtered): a fix implying more than maxSpeedKmh from the last good fix is
 * kept (the caller stores it and flags it) but not used for the position rules. After
 * jumpResetFixes consecutive filtered fixes the next one is accepted as the new anchor, so a
 * wrong "last good" fix cannot blind the rules for the rest of the trip.
 */
import type { Fix, RuleConfig, TripRuleState } from '../types.ts';

/** Implied speed (km/h) from the last good fix, or 0 when there is none. */
export function impliedSpeedKmh(state: TripRuleState, fix: Fix, kx: number, ky: number): number {
  if (state.goodTime < 0) return 0;
  const dx = (fix.lon - state.goodLon) * kx, dy = (fix.lat - state.goodLat) * ky;
  const d = Math.sqrt(dx * dx + dy * dy);
  const dt = fix.time - state.goodTime;
  if (dt <= 0) return d > 50 ? Number.MAX_VALUE : 0; // same timestamp, different place
  return (d / dt) * 3600; // m/ms → km/h
}

/** Whether to filter the fix; updates the consecutive-jump counter. */
export function isImpossibleJump(state: TripRuleState, impliedKmh: number, config: RuleConfig): boolean {
  if (impliedKmh <= config.maxSpeedKmh) {
    state.jumps = 0;
    return false;
  }
  if (state.jumps >= config.jumpResetFixes) {
    state.jumps = 0;
    return false;
  }
  state.jumps++;
  return true;
}

