/**
 * Risk selection (布控), pure. Targeting rules match on HS code prefix, credit grade, origin,
 * declared value and the enterprise's confirmed-violation history; a random sample per credit grade
 * is drawn deterministically from the trip ID and a recorded seed, so an auditor can replay it.
 */
import { createHash } from 'node:crypto';

export interface RiskRule {
  id: string; name: string; hsPrefix: string | null; creditGrade: string | null; originPlaceId: string | null;
  minValue: number | null; minViolations: number | null; validFrom: string | null; validTo: string | null; active: boolean;
}
export interface RiskSubject {
  tripId: string; hsCodes: string[]; creditGrade: string; originPlaceId: string; declaredValue: number; confirmedViolations: number;
}
export interface RiskResult {
  selected: boolean;
  by: { kind: 'rule'; ruleId: string; name: string } | { kind: 'sample'; rate: number; draw: number } | null;
  /** The sample draw is recorded even when not selected, so a replay shows the same number. */
  draw: number;
  seed: string;
}

export const DEFAULT_SAMPLING: Record<string, number> = { advanced: 0.01, general: 0.05, low: 0.3 };

/** A number in [0, 1) from the seed and trip ID: same inputs, same draw, on any machine. */
export function sampleDraw(seed: string, tripId: string): number {
  const h = createHash('sha256').update(seed).update('\0').update(tripId).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

export function ruleMatches(r: RiskRule, s: RiskSubject, atIso: string): boolean {
  if (!r.active) return false;
  if (r.validFrom && atIso < r.validFrom) return false;
  if (r.validTo && atIso >= r.validTo) return false;
  if (r.hsPrefix && !s.hsCodes.some((h) => h.startsWith(r.hsPrefix!))) return false;
  if (r.creditGrade && r.creditGrade !== s.creditGrade) return false;
  if (r.originPlaceId && r.originPlaceId !== s.originPlaceId) return false;
  if (r.minValue !== null && s.declaredValue < r.minValue) return false;
  if (r.minViolations !== null && s.confirmedViolations < r.minViolations) return false;
  return true;
}

export function selectForInspection(rules: RiskRule[], rates: Record<string, number>, seed: string, s: RiskSubject, atIso: string): RiskResult {
  const draw = sampleDraw(seed, s.tripId);
  const hit = rules.find((r) => ruleMatches(r, s, atIso));
  if (hit) return { selected: true, by: { kind: 'rule', ruleId: hit.id, name: hit.name }, draw, seed };
  const rate = rates[s.creditGrade] ?? 0;
  if (draw < rate) return { selected: true, by: { kind: 'sample', rate, draw }, draw, seed };
  return { selected: false, by: null, draw, seed };
}
