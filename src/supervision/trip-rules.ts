/**
 * The supervision rules of one trip combined: `evaluate(state, fix, ctx, config)` on every
 * position, `checkSignal` / `checkOverdue` on a timer. No I/O, no clock, no timers: the same
 * inputs always give the same outputs.
 *
 * State ownership: for speed (10,000 active trips, every fix) `evaluate` updates the state
 * object it is given in place and returns it; the worker that owns the trip owns the object.
 * Keep a copy (JSON.stringify — the state is plain JSON) when you need the previous one; the
 * checkpoint is exactly that copy, and a restored copy continues with identical outputs.
 *
 * Late data (DOMAIN.md "late data"): nothing is dropped.
 *  - The caller evaluates a batch (a blind-area upload 0x0704, or whatever queued up) sorted by
 *    fix time: `evaluateBatch` / `sortFixes`.
 *  - A fix newer than the last evaluated one is evaluated normally; if it is flagged late
 *    (backfill) its outputs carry late=true.
 *  - A fix OLDER than the last evaluated one (backfill that arrives after the live report that
 *    followed the gap) cannot be replayed into the live state without rewinding it. We chose to
 *    evaluate it against the current state with late=true, by the rules that do not depend on
 *    the live timeline: lock events (seal opened — tested at the fix's own position — and
 *    tamper) and corridor deviation on a separate "late track" with the same confirmation, so a
 *    deviation inside the gap is raised (late) and, if late data shows the return, cleared
 *    (late). A late-raised deviation still open when the next live fix comes is handed to the
 *    live track, which clears it on a confirmed return. Stops, milestones, battery and the
 *    ETA speed are not updated from out-of-order fixes (their live state is newer; milestones
 *    are still emitted by the live fixes, at the live time). The alternative — rewinding to a
 *    checkpoint and replaying — costs a state history per trip and re-emits alerts.
 */
import { locate, type Located } from './corridor.ts';
import { batteryRule } from './rules/battery.ts';
import { deviationRule } from './rules/deviation.ts';
import { newTrack } from './rules/emit.ts';
import { impliedSpeedKmh, isImpossibleJump } from './rules/jump.ts';
import { milestoneRule } from './rules/milestones.ts';
import { checkOverdue, updateAverageSpeed } from './rules/overdue.ts';
import { sealEvent } from './rules/seal.ts';
import { checkSignal, signalRestored } from './rules/signal.ts';
import { stopRule } from './rules/stop.ts';
import { tamperEvent } from './rules/tamper.ts';
import type { AlertType, Fix, RuleConfig, RuleOutput, RuleResult, TripContext, TripRuleState } from './types.ts';

export { checkOverdue, checkSignal };

/** The state of a trip at sealing/departure: sealed, inside the origin, nothing open. */
export function initTripState(ctx: Pick<TripContext, 'departureTime'>, config: RuleConfig): TripRuleState {
  return {
    v: 1,
    startedAt: ctx.departureTime,
    lastFixTime: ctx.departureTime,
    lastEvalTime: -1,
    goodTime: -1,
    goodLon: 0,
    goodLat: 0,
    jumps: 0,
    segment: -1,
    alongM: 0,
    offM: 0,
    avgSpeedKmh: config.etaAssumedSpeedKmh,
    sealed: true,
    open: {},
    dev: newTrack(),
    lateDev: newTrack(),
    lateTime: -1,
    devByLate: false,
    stopSince: -1,
    stopLon: 0,
    stopLat: 0,
    stopAllowed: false,
    fences: { origin: newTrack(true), boundary: newTrack(), border: newTrack(), destination: newTrack() },
    milestones: [],
    wrongPw: [],
  };
}

// Hot-path scratch (single-threaded): outputs are collected here and copied out only when any.
const scratch: RuleOutput[] = [];
const loc: Located = { distanceM: 0, segment: 0, alongM: 0 };
const NONE: RuleOutput[] = Object.freeze([]) as unknown as RuleOutput[];

function lockEvents(state: TripRuleState, fix: Fix, lon: number, lat: number, ctx: TripContext, config: RuleConfig, late: boolean, out: RuleOutput[]): void {
  const ev = fix.lockEvents;
  if (ev) {
    for (let i = 0; i < ev.length; i++) {
      sealEvent(state, ev[i], lon, lat, fix.time, ctx, late, out);
      tamperEvent(state, ev[i], fix.time, config, late, out);
    }
  }
  if (fix.lockOpen === true) sealEvent(state, 'lock_open', lon, lat, fix.time, ctx, late, out);
}

/**
 * Evaluate one fix. Returns the (same, updated) state and the outputs: alert raise/update/
 * clear, milestones and a `filtered` marker for an impossible jump. The returned `outputs`
 * array is the caller's (a shared frozen empty array when there are none).
 */
export function evaluate(state: TripRuleState, fix: Fix, ctx: TripContext, config: RuleConfig): RuleResult {
  // A re-sent report (same fix time and position as the last evaluated one) changes nothing.
  if (fix.time === state.lastEvalTime && fix.time === state.goodTime && fix.lon === state.goodLon && fix.lat === state.goodLat) {
    return { state, outputs: NONE };
  }
  const out = scratch;
  const outOfOrder = state.lastEvalTime >= 0 && fix.time < state.lastEvalTime;
  const late = outOfOrder || fix.late === true;
  signalRestored(state, fix.time, late, out); // any report means the device is heard again
  if (fix.time > state.lastFixTime) state.lastFixTime = fix.time;
  const width = ctx.corridorWidthM ?? config.corridorWidthM;

  if (outOfOrder) {
    if (state.lateTime < 0 || fix.time <= state.lateTime) {
      const t = state.lateDev;
      t.on = false;
      t.pending = 0;
      t.since = -1;
    }
    state.lateTime = fix.time;
    locate(ctx.corridor, fix.lon, fix.lat, state.segment, loc);
    deviationRule(state, state.lateDev, loc.distanceM, width, fix.time, true, true, config, out);
    lockEvents(state, fix, fix.lon, fix.lat, ctx, config, true, out);
    return { state, outputs: out.length ? out.splice(0) : NONE };
  }

  state.lastEvalTime = fix.time;
  if (state.lateTime >= 0) {
    // A late run ended: the live track takes over a deviation that late data left open.
    if (state.devByLate && state.open.route_deviation !== undefined) state.dev.on = true;
    state.devByLate = false;
    state.lateTime = -1;
  }

  const cx = ctx.corridor;
  const implied = impliedSpeedKmh(state, fix, cx.kx, cx.ky);
  if (isImpossibleJump(state, implied, config)) {
    out.push({
      kind: 'filtered',
      type: 'impossible_jump',
      severity: 'info',
      late,
      time: fix.time,
      detail: { impliedKmh: implied === Number.MAX_VALUE ? null : Math.round(implied), fromTime: state.goodTime },
    });
    // Lock and battery reports do not depend on the position: still applied, at the last good position.
    lockEvents(state, fix, state.goodLon, state.goodLat, ctx, config, late, out);
    batteryRule(state, fix.batteryPct, fix.lockEvents?.includes('low_battery') === true, fix.time, config, late, out);
    return { state, outputs: out.splice(0) };
  }

  locate(cx, fix.lon, fix.lat, state.segment, loc);
  state.segment = loc.segment;
  state.alongM = loc.alongM;
  state.offM = loc.distanceM;
  deviationRule(state, state.dev, loc.distanceM, width, fix.time, late, false, config, out);
  milestoneRule(state, fix, ctx, config, late, out);
  stopRule(state, fix, ctx, config, late, out);
  if (fix.lockEvents !== undefined || fix.lockOpen === true) lockEvents(state, fix, fix.lon, fix.lat, ctx, config, late, out);
  if (fix.batteryPct != null || fix.lockEvents !== undefined) {
    batteryRule(state, fix.batteryPct, fix.lockEvents?.includes('low_battery') === true, fix.time, config, late, out);
  }
  updateAverageSpeed(state, fix.speedKmh, fix.time, config);
  state.goodTime = fix.time;
  state.goodLon = fix.lon;
  state.goodLat = fix.lat;
  return { state, outputs: out.length ? out.splice(0) : NONE };
}

/** A batch in fix-time order (stable for equal times); the input is not modified. */
export function sortFixes<T extends Fix>(fixes: readonly T[]): T[] {
  return fixes.slice().sort((a, b) => a.time - b.time);
}

/** Evaluate a batch (e.g. a blind-area upload) in fix-time order. */
export function evaluateBatch(state: TripRuleState, fixes: readonly Fix[], ctx: TripContext, config: RuleConfig): RuleResult {
  const outputs: RuleOutput[] = [];
  for (const f of sortFixes(fixes)) {
    const r = evaluate(state, f, ctx, config);
    for (const o of r.outputs) outputs.push(o);
  }
  return { state, outputs };
}

/**
 * An officer resolved the alert: forget it so the next occurrence raises a new one. (The
 * alert workflow calls this; rules never resolve seal_opened/tamper by themselves.) Overdue has no
 * next occurrence while the deadline stands, so what was resolved is kept (see checkOverdue).
 */
export function resolveAlert(state: TripRuleState, type: AlertType): TripRuleState {
  const severity = state.open[type];
  if (type === 'overdue' && severity !== undefined && state.overdueDeadline !== undefined) state.overdueHandled = { deadline: state.overdueDeadline, severity };
  delete state.open[type];
  if (type === 'route_deviation') state.devByLate = false;
  return state;
}
