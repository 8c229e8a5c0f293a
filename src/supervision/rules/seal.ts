/**
 * Seal opened outside the authorised zone (`seal_opened`, critical): the lock reports
 * `unsealed`, `opened_while_sealed` or an open lock bit while the trip is sealed. Inside the
 * authorised unseal zone (the destination by default) it is an authorised unseal: no alert,
 * an `unsealed_authorised` milestone. A `sealed` event re-arms the rule.
 */
import { inFence } from '../geofence.ts';
import type { RuleOutput, TripContext, TripRuleState } from '../types.ts';
import { raise } from './emit.ts';

/** Apply one lock event (or the open bit, as `lock_open`) at the given position. */
export function sealEvent(
  state: TripRuleState,
  event: string,
  lon: number,
  lat: number,
  time: number,
  ctx: TripContext,
  late: boolean,
  out: RuleOutput[],
): void {
  if (event === 'sealed') {
    state.sealed = true;
    return;
  }
  if (event !== 'unsealed' && event !== 'opened_while_sealed' && event !== 'lock_open') return;
  // opened_while_sealed is by definition an opening of a sealed lock, even if we missed the seal.
  if (!state.sealed && event !== 'opened_while_sealed') return;
  state.sealed = false;
  const zone = ctx.unsealZone ?? ctx.places.destination;
  if (zone && inFence(zone, lon, lat)) {
    if (!state.milestones.includes('unsealed_authorised')) {
      state.milestones.push('unsealed_authorised');
      out.push({ kind: 'milestone', type: 'unsealed_authorised', severity: 'info', late, time, detail: { event, zone: zone.id } });
    }
    return;
  }
  raise(state, out, 'seal_opened', 'critical', time, late, { event, lon, lat }, true);
}
