/** Pre-export residue testing: lab results against the destination's MRLs (falling back to Codex). */
import { invalidField } from '../platform/errors.ts';
import { mrlFor, seedMrls, type MrlSource, type MrlTable } from './requirements.ts';

export interface ResidueResult {
  pesticide: string;
  mgPerKg: number;
}

export interface ResidueFinding {
  pesticide: string;
  value: number; // mg/kg measured
  limit: number | null; // mg/kg; null when no MRL is known (source 'none')
  source: MrlSource;
  exceeded: boolean;
}

export interface ResidueAssessment {
  pass: boolean;
  findings: ResidueFinding[];
  /** One line per exceeded limit, e.g. `mrl_exceeded: chlorpyrifos 0.05 > 0.01 mg/kg (country)`. */
  reasons: string[];
  /** Pesticides detected without any known limit: not a failure, but for the officer to review. */
  noLimit: string[];
}

/**
 * Compare measured residues with the MRLs of `country` (Codex fallback). A value strictly above
 * the limit fails the whole batch. Non-numeric or negative values are rejected (400 invalid_residue).
 */
export function assessResidues(country: string, residues: ResidueResult[], table: MrlTable = seedMrls): ResidueAssessment {
  const findings: ResidueFinding[] = residues.map((r, i) => {
    if (!r || typeof r.pesticide !== 'string' || !r.pesticide.trim()) {
      throw invalidField(`residues[${i}].pesticide`, 'required', 'invalid_residue');
    }
    if (typeof r.mgPerKg !== 'number' || !Number.isFinite(r.mgPerKg) || r.mgPerKg < 0) {
      throw invalidField(`residues[${i}].mgPerKg`, 'must be a finite number ≥ 0', 'invalid_residue');
    }
    const m = mrlFor(country, r.pesticide, table);
    return { pesticide: m.pesticide, value: r.mgPerKg, limit: m.limit, source: m.source, exceeded: m.limit !== null && r.mgPerKg > m.limit };
  });
  const reasons = findings
    .filter((f) => f.exceeded)
    .map((f) => `mrl_exceeded: ${f.pesticide} ${f.value} > ${f.limit} mg/kg (${f.source})`);
  return { pass: reasons.length === 0, findings, reasons, noLimit: findings.filter((f) => f.source === 'none' && f.value > 0).map((f) => f.pesticide) };
}
