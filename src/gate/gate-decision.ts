/**
 * The smart-gate decision (DOMAIN.md), pure: lane readings + what the platform knows about the
 * trip → release | inspect | hold with every reason. Any hold reason holds; otherwise any inspect
 * reason inspects; otherwise the vehicle is released.
 */
import type { RiskResult } from './risk-selection.ts';

export type Decision = 'release' | 'inspect' | 'hold';
export interface Reason { code: string; outcome: Decision | 'pass'; message: string }

export interface GateFacts {
  platesRead: string[];
  lockIdRead: string | null;
  grossKgRead: number | null;
  readAt: number;
  trip: null | {
    id: string; state: string; declarationState: string; plateCn: string; plateHk: string | null;
    lockTerminalId: string | null; deadlineAt: number | null; declaredGrossKg: number;
  };
  /** Unresolved alerts on the trip. */
  openAlerts: Array<{ type: string; severity: string }>;
  risk: RiskResult | null;
  tolerance: { pct: number; kg: number };
}

const CAN_PASS = ['in_transit', 'at_boundary', 'overdue'];

export function decideGate(f: GateFacts): { decision: Decision; reasons: Reason[] } {
  const reasons: Reason[] = [];
  const add = (code: string, outcome: Reason['outcome'], message: string) => reasons.push({ code, outcome, message });
  const t = f.trip;
  if (!t) {
    add('no_active_trip', 'hold', `no active trip for plates ${f.platesRead.join('/') || '(none read)'} and lock ${f.lockIdRead ?? '(none read)'}`);
    return { decision: 'hold', reasons };
  }
  add('declaration_accepted', t.declarationState === 'accepted' ? 'pass' : 'hold', `declaration is ${t.declarationState}`);
  if (CAN_PASS.includes(t.state)) add('trip_active', 'pass', `trip ${t.id} is ${t.state}`);
  else add('trip_not_in_transit', 'hold', `trip ${t.id} is ${t.state}, not on its way to the boundary`);
  const plates = f.platesRead.map((p) => p.toUpperCase());
  if (plates.length && !plates.includes(t.plateCn) && !(t.plateHk && plates.includes(t.plateHk))) add('plate_mismatch', 'hold', `plates read ${plates.join('/')} are not the declared vehicle's`);
  if (!f.lockIdRead) add('lock_not_read', 'hold', 'no e-lock ID was read at the lane');
  else if (f.lockIdRead !== t.lockTerminalId) add('lock_mismatch', 'hold', `lock ${f.lockIdRead} read, trip is sealed with ${t.lockTerminalId ?? 'no lock'}`);
  else add('lock_matches', 'pass', `lock ${f.lockIdRead} is the trip's`);
  const sealAlerts = f.openAlerts.filter((a) => a.type === 'seal_opened' || a.type === 'tamper');
  if (sealAlerts.length) add('seal_not_intact', 'hold', `unresolved ${[...new Set(sealAlerts.map((a) => a.type))].join(', ')}`);
  else add('seal_intact', 'pass', 'no unresolved seal_opened or tamper alert');
  const critical = f.openAlerts.filter((a) => a.severity === 'critical' && a.type !== 'seal_opened' && a.type !== 'tamper');
  if (critical.length) add('critical_alert_open', 'hold', `unresolved critical ${[...new Set(critical.map((a) => a.type))].join(', ')}`);
  else add('no_critical_alert', 'pass', 'no unresolved critical alert');
  if (t.deadlineAt !== null && f.readAt > t.deadlineAt) add('time_limit_exceeded', 'inspect', `arrived ${Math.round((f.readAt - t.deadlineAt) / 60000)} min after the time limit`);
  else add('within_time_limit', 'pass', 'arrived within the time limit');
  if (f.grossKgRead === null) add('no_weight_reading', 'inspect', 'the weighbridge gave no reading');
  else {
    const allowed = Math.max(t.declaredGrossKg * f.tolerance.pct / 100, f.tolerance.kg);
    const diff = f.grossKgRead - t.declaredGrossKg;
    if (Math.abs(diff) > allowed) add('weight_out_of_tolerance', 'inspect', `weighbridge ${f.grossKgRead} kg vs declared ${t.declaredGrossKg} kg (±${Math.round(allowed)} kg allowed)`);
    else add('weight_within_tolerance', 'pass', `weighbridge ${f.grossKgRead} kg within ±${Math.round(allowed)} kg of declared ${t.declaredGrossKg} kg`);
  }
  const r = f.risk;
  if (r?.selected && r.by?.kind === 'rule') add('risk_rule_selected', 'inspect', `selected by targeting rule "${r.by.name}" (${r.by.ruleId})`);
  else if (r?.selected && r.by?.kind === 'sample') add('random_sample_selected', 'inspect', `selected by random sampling (draw ${r.by.draw.toFixed(4)} < rate ${r.by.rate})`);
  else add('risk_not_selected', 'pass', `not selected (draw ${r?.draw.toFixed(4) ?? 'n/a'})`);
  const decision: Decision = reasons.some((x) => x.outcome === 'hold') ? 'hold' : reasons.some((x) => x.outcome === 'inspect') ? 'inspect' : 'release';
  return { decision, reasons };
}
