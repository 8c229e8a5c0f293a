/**
 * Rule thresholds from the settings table (platform-wide defaults, DOMAIN.md values) and their
 * per-route overrides (routes.rule_overrides, keyed by the RuleConfig field names, e.g.
 * {"corridorWidthM": 800, "stopWarnMs": 1200000}).
 */
import type { Settings } from '../../platform/config.ts';
import { invalidField } from '../../platform/errors.ts';
import { defaultRuleConfig, ruleConfig, type RuleConfig } from '../types.ts';

/** The settings-table part of the rule configuration. */
export function settingsRuleConfig(s: Settings): Partial<RuleConfig> {
  return {
    corridorWidthM: s.ruleCorridorM,
    deviationConfirmFixes: s.ruleConfirmFixes,
    deviationConfirmMs: s.ruleConfirmS * 1000,
    stopWarnMs: s.ruleStopWarnMin * 60_000,
    stopCriticalMs: s.ruleStopCritMin * 60_000,
    lowBatteryWarnPct: s.ruleBatteryWarn,
    lowBatteryCriticalPct: s.ruleBatteryCrit,
    signalLostMs: s.ruleSignalLostS * 1000,
    maxSpeedKmh: s.ruleMaxKmh,
  };
}

/** Fields that count things and must be whole numbers. */
const WHOLE: ReadonlySet<keyof RuleConfig> = new Set(['deviationConfirmFixes', 'fenceDwellFixes', 'jumpResetFixes', 'wrongPasswordBurst']);

/**
 * Validates a route's overrides: every key a rule field, every value a non-negative finite number
 * (whole where it counts fixes). Throws a 400 naming the field; returns the overrides typed.
 */
export function checkRuleOverrides(o: Record<string, unknown>, field = 'ruleOverrides'): Partial<RuleConfig> {
  for (const [k, v] of Object.entries(o)) {
    if (!Object.hasOwn(defaultRuleConfig, k)) throw invalidField(`${field}.${k}`, `unknown rule setting; known: ${Object.keys(defaultRuleConfig).join(', ')}`, 'unknown_rule_setting');
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalidField(`${field}.${k}`, 'must be a non-negative number');
    if (WHOLE.has(k as keyof RuleConfig) && !Number.isInteger(v)) throw invalidField(`${field}.${k}`, 'must be a whole number');
  }
  return o as Partial<RuleConfig>;
}

/** Defaults ← settings ← route overrides. Stored overrides were validated when the route was written. */
export function tripRuleConfig(s: Settings, routeOverrides: string | null | undefined): RuleConfig {
  const over = routeOverrides ? (JSON.parse(routeOverrides) as Partial<RuleConfig>) : null;
  return ruleConfig(settingsRuleConfig(s), over);
}
