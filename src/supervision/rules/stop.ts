/**
 * Unauthorised stop (`unauthorised_stop`): stationary (speed < 5 km/h and within 200 m of the
 * stop's anchor) outside the allowed stop zones (and outside the trip's own places) for longer
 * than 15 min → warning, 30 min → critical. Ends (clears) when the truck moves.
 */
import { inAnyFence, inFence } from '../geofence.ts';
import type { Fix, PlaceRole, RuleConfig, RuleOutput, TripContext, TripRuleState } from '../types.ts';
import { PLACE_ROLES } from '../types.ts';
import { clear, raise } from './emit.ts';

function allowedAt(ctx: TripContext, lon: number, lat: number): boolean {
  if (inAnyFence(ctx.allowedStopZones, lon, lat)) return true;
  for (let i = 0; i < PLACE_ROLES.length; i++) {
    const f = ctx.places[PLACE_ROLES[i] as PlaceRole];
    if (f && inFence(f, lon, lat)) return true;
  }
  return false;
}

function endStop(state: TripRuleState, fix: Fix, late: boolean, out: RuleOutput[]): void {
  if (state.stopSince >= 0) clear(state, out, 'unauthorised_stop', fix.time, late, { durationMs: fix.time - state.stopSince });
  state.stopSince = -1;
}

export function stopRule(state: TripRuleState, fix: Fix, ctx: TripContext, config: RuleConfig, late: boolean, out: RuleOutput[]): void {
  if (!(fix.speedKmh < config.stopSpeedKmh)) {
    endStop(state, fix, late, out);
    return;
  }
  if (state.stopSince >= 0) {
    const kx = ctx.corridor.kx, ky = ctx.corridor.ky;
    const dx = (fix.lon - state.stopLon) * kx, dy = (fix.lat - state.stopLat) * ky;
    if (dx * dx + dy * dy > config.stopRadiusM * config.stopRadiusM) endStop(state, fix, late, out); // crept away: a new stop
  }
  if (state.stopSince < 0) {
    state.stopSince = fix.time;
    state.stopLon = fix.lon;
    state.stopLat = fix.lat;
    state.stopAllowed = allowedAt(ctx, fix.lon, fix.lat);
    return;
  }
  if (state.stopAllowed) return;
  const dur = fix.time - state.stopSince;
  if (dur >= config.stopCriticalMs) {
    raise(state, out, 'unauthorised_stop', 'critical', fix.time, late, { durationMs: dur, since: state.stopSince, lon: state.stopLon, lat: state.stopLat });
  } else if (dur >= config.stopWarnMs && state.open.unauthorised_stop === undefined) {
    raise(state, out, 'unauthorised_stop', 'warning', fix.time, late, { durationMs: dur, since: state.stopSince, lon: state.stopLon, lat: state.stopLat });
  }
}
