/**
 * Corridor deviation (`route_deviation`, warning): off the route by more than the corridor
 * width, confirmed by consecutive fixes or time so GPS drift does not flap; cleared when the
 * truck is back inside the corridor by a margin, confirmed the same way.
 */
import type { RuleConfig, RuleOutput, Track, TripRuleState } from '../types.ts';
import { clear, raise, step } from './emit.ts';

/**
 * Advance `track` with a fix `distanceM` off the route. `fromLate` says whether the track is
 * the live one (false) or the out-of-order late one (true); late data raises with late=true
 * and may clear only what late data raised, while the live track is not deviated.
 */
export function deviationRule(
  state: TripRuleState,
  track: Track,
  distanceM: number,
  widthM: number,
  time: number,
  late: boolean,
  fromLate: boolean,
  config: RuleConfig,
  out: RuleOutput[],
): void {
  const wants = track.on ? distanceM < widthM - config.deviationClearMarginM : distanceM > widthM;
  if (!step(track, wants, time, config.deviationConfirmFixes, config.deviationConfirmMs)) return;
  if (track.on) {
    if (state.open.route_deviation === undefined) state.devByLate = fromLate;
    raise(state, out, 'route_deviation', 'warning', time, late, { distanceM: Math.round(distanceM), widthM, since: track.since });
  } else if (!fromLate || (state.devByLate && !state.dev.on)) {
    clear(state, out, 'route_deviation', time, late, { distanceM: Math.round(distanceM), widthM });
  }
}
