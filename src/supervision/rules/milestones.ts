/**
 * Milestones: `departed_origin` (confirmed exit from the origin), `arrived_boundary` (enter the
 * boundary control point), `crossed_border` (enter the other side's control point),
 * `arrived_destination` (enter the destination). Entry is confirmed inside the fence, exit
 * beyond fenceExitMarginM outside it, each by consecutive fixes or dwell time, so drift at the
 * edge does not flap. Each milestone is emitted once per trip.
 */
import { fenceSignedDistance } from '../geofence.ts';
import type { Fix, MilestoneType, PlaceRole, RuleConfig, RuleOutput, TripContext, TripRuleState } from '../types.ts';
import { step } from './emit.ts';

const ON_ENTER: Record<PlaceRole, MilestoneType | null> = { origin: null, boundary: 'arrived_boundary', border: 'crossed_border', destination: 'arrived_destination' };

function emit(state: TripRuleState, out: RuleOutput[], type: MilestoneType, fix: Fix, late: boolean, since: number, place: string): void {
  if (state.milestones.includes(type)) return;
  state.milestones.push(type);
  out.push({ kind: 'milestone', type, severity: 'info', late, time: fix.time, detail: { place, since } });
}

function role(state: TripRuleState, r: PlaceRole, fix: Fix, ctx: TripContext, config: RuleConfig, late: boolean, out: RuleOutput[]): void {
  const f = ctx.places[r];
  if (!f) return;
  const t = state.fences[r];
  // Cheap bounding-box reject while outside and far away.
  const x = fix.lon * f.kx, y = fix.lat * f.ky;
  let sd: number;
  if (!t.on && t.pending === 0 && (x < f.minX || x > f.maxX || y < f.minY || y > f.maxY)) return;
  sd = fenceSignedDistance(f, fix.lon, fix.lat);
  const wants = t.on ? sd > config.fenceExitMarginM : sd <= 0;
  if (!step(t, wants, fix.time, config.fenceDwellFixes, config.fenceDwellMs)) return;
  if (t.on) {
    const m = ON_ENTER[r];
    if (m) emit(state, out, m, fix, late, t.since, f.id);
  } else if (r === 'origin') {
    emit(state, out, 'departed_origin', fix, late, t.since, f.id);
  }
}

export function milestoneRule(state: TripRuleState, fix: Fix, ctx: TripContext, config: RuleConfig, late: boolean, out: RuleOutput[]): void {
  const done = state.milestones;
  if (!done.includes('departed_origin')) role(state, 'origin', fix, ctx, config, late, out);
  if (!done.includes('arrived_boundary')) role(state, 'boundary', fix, ctx, config, late, out);
  if (!done.includes('crossed_border')) role(state, 'border', fix, ctx, config, late, out);
  // Destination keeps being tracked after arrival: the unseal zone test may use it.
  role(state, 'destination', fix, ctx, config, late, out);
}
