/**
 * Types of the pure supervision core: the fix a rule sees, the trip context, the rule
 * configuration (defaults from DOMAIN.md "Monitoring rules"), the per-trip state (a plain
 * JSON object, checkpointed and restored) and the outputs.
 */
import type { CorridorIndex } from './corridor.ts';
import type { Fence } from './geofence.ts';

export type Severity = 'info' | 'warning' | 'critical';
export type AlertType = 'route_deviation' | 'unauthorised_stop' | 'seal_opened' | 'tamper' | 'low_battery' | 'signal_lost' | 'overdue';
export type MilestoneType = 'departed_origin' | 'arrived_boundary' | 'crossed_border' | 'arrived_destination' | 'unsealed_authorised';
export type PlaceRole = 'origin' | 'boundary' | 'border' | 'destination';
export const PLACE_ROLES: readonly PlaceRole[] = ['origin', 'boundary', 'border', 'destination'];

/** One position report as the rules see it (normalised from PositionRecord). */
export interface Fix {
  /** Device fix time, epoch ms. */
  time: number;
  lon: number;
  lat: number;
  speedKmh: number;
  heading: number;
  batteryPct?: number | null;
  /** Lock events from the device's lock profile (sealed, unsealed, opened_while_sealed, wire_cut, …). */
  lockEvents?: readonly string[];
  /** Lock state bit, when the profile reports one. */
  lockOpen?: boolean;
  /** Uploaded late (blind-area batch 0x0704). */
  late?: boolean;
}

export interface TripContext {
  corridor: CorridorIndex;
  /** The route's corridor width; falls back to config.corridorWidthM. */
  corridorWidthM?: number;
  /** Rest/service areas and other allowed stop zones. The trip's own places are allowed too. */
  allowedStopZones: readonly Fence[];
  /** The trip's places by role: origin, boundary (CN side), border (HK side control point), destination. */
  places: Partial<Record<PlaceRole, Fence>>;
  /** Where an unseal is authorised; defaults to places.destination. */
  unsealZone?: Fence;
  /** Time limit, epoch ms. */
  deadline: number;
  /** Departure (sealing) time, epoch ms. */
  departureTime: number;
}

export const defaultRuleConfig = {
  /** Corridor width when the route has none (m). */
  corridorWidthM: 500,
  /** A deviation (or a return) is confirmed by this many consecutive fixes … */
  deviationConfirmFixes: 3,
  /** … or by at least two consecutive fixes spanning this long (ms). */
  deviationConfirmMs: 60_000,
  /** Return to the corridor must be this far inside the edge (m): hysteresis against drift. */
  deviationClearMarginM: 100,
  stopSpeedKmh: 5,
  stopRadiusM: 200,
  stopWarnMs: 15 * 60_000,
  stopCriticalMs: 30 * 60_000,
  /** Geofence enter/exit confirmed by this many consecutive fixes or two fixes spanning fenceDwellMs. */
  fenceDwellFixes: 2,
  fenceDwellMs: 30_000,
  /** An exit must be this far outside the fence (m). */
  fenceExitMarginM: 100,
  lowBatteryWarnPct: 20,
  lowBatteryCriticalPct: 10,
  /** An open low_battery alert clears only at or above this (hysteresis). */
  lowBatteryClearPct: 25,
  signalLostMs: 5 * 60_000,
  /** A fix implying more than this from the last good fix is filtered. */
  maxSpeedKmh: 180,
  /** After this many consecutive filtered fixes the next one is accepted as the new anchor. */
  jumpResetFixes: 3,
  /** wrong_password this many times within the window is a tamper. */
  wrongPasswordBurst: 3,
  wrongPasswordWindowMs: 5 * 60_000,
  /** Time constant of the moving average of speed used for the ETA (ms): long enough that a rest stop does not warn. */
  etaSpeedWindowMs: 2 * 3_600_000,
  /** Average speed assumed at departure, before fixes have taught one (km/h). */
  etaAssumedSpeedKmh: 60,
  /** An ETA warning clears when the projection is this far inside the deadline (ms). */
  etaClearMarginMs: 10 * 60_000,
};
export type RuleConfig = typeof defaultRuleConfig;

/** Defaults with per-route overrides, shallow-merged (undefined values ignored). */
export function ruleConfig(...overrides: (Partial<RuleConfig> | null | undefined)[]): RuleConfig {
  const c: RuleConfig = { ...defaultRuleConfig };
  for (const o of overrides) {
    if (!o) continue;
    for (const k of Object.keys(o) as (keyof RuleConfig)[]) {
      const v = o[k];
      if (v !== undefined && k in defaultRuleConfig) (c as Record<string, unknown>)[k] = v;
    }
  }
  return c;
}

/** Hysteresis tracker of a two-state condition (inside a fence, off the corridor). */
export interface Track {
  /** Confirmed state. */
  on: boolean;
  /** Consecutive fixes contradicting `on`. */
  pending: number;
  /** Time of the first of them (−1 none). */
  since: number;
}

/**
 * Per-trip rule state. Plain JSON (no Infinity/NaN/undefined-dependent fields): the worker
 * checkpoints it with JSON.stringify and a restored copy continues with the same outputs.
 * −1 stands for "none" in time fields.
 */
export interface TripRuleState {
  v: 1;
  startedAt: number;
  /** Newest fix time received (any fix, filtered or late): basis of signal_lost. */
  lastFixTime: number;
  /** Newest fix time evaluated in order. */
  lastEvalTime: number;
  /** Last good (not filtered) in-order fix. */
  goodTime: number;
  goodLon: number;
  goodLat: number;
  /** Consecutive filtered fixes. */
  jumps: number;
  /** Corridor match of the last good fix: hint segment, along distance, distance off. */
  segment: number;
  alongM: number;
  offM: number;
  /** Moving average of reported speed (km/h) for the ETA. */
  avgSpeedKmh: number;
  sealed: boolean;
  /** Open alerts by type with their current severity. One per trip and type. */
  open: Partial<Record<AlertType, Severity>>;
  /** Corridor deviation on live (in-order) fixes. */
  dev: Track;
  /** Corridor deviation over a run of out-of-order late fixes; lateTime = last one's time. */
  lateDev: Track;
  lateTime: number;
  /** Whether the open route_deviation was raised from late data (so late data may clear it). */
  devByLate: boolean;
  /** Current stationary period (−1 none), its anchor and whether it is in an allowed zone. */
  stopSince: number;
  stopLon: number;
  stopLat: number;
  stopAllowed: boolean;
  /** Geofence trackers by role (on = inside). */
  fences: Record<PlaceRole, Track>;
  /** Milestones already emitted. */
  milestones: MilestoneType[];
  /** Recent wrong_password times (bounded). */
  wrongPw: number[];
  /** Deadline the open overdue alert was raised against. */
  overdueDeadline?: number;
  /**
   * The overdue alert an officer resolved, by deadline and severity: the condition persists after
   * a resolve (a late trip stays late), so without this the next tick raised it again.
   */
  overdueHandled?: { deadline: number; severity: Severity };
}

interface OutputBase {
  severity: Severity;
  /** From late data (blind-area backfill or out of order). */
  late: boolean;
  /** Time of the fix (or timer tick) that produced it, epoch ms. */
  time: number;
  detail: Record<string, unknown>;
}
export interface AlertOutput extends OutputBase {
  kind: 'raise' | 'update' | 'clear';
  type: AlertType;
}
export interface MilestoneOutput extends OutputBase {
  kind: 'milestone';
  type: MilestoneType;
}
/** The fix was kept but not used for rules; the caller flags the stored position. */
export interface FilteredOutput extends OutputBase {
  kind: 'filtered';
  type: 'impossible_jump';
}
export type RuleOutput = AlertOutput | MilestoneOutput | FilteredOutput;

export interface RuleResult {
  state: TripRuleState;
  outputs: RuleOutput[];
}
