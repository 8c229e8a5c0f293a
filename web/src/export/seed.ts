/**
 * The commodity list and Codex MRLs come from the same seed files the server uses (bundled at build
 * time), so the form offers exactly the commodities the server knows and the lab form hints the limit
 * the server will apply when the destination has no value of its own.
 */
import { commodities as list } from '../../../src/inspection/seed/requirements.json';
import { codex as codexMrls } from '../../../src/inspection/seed/mrls.json';

export interface Commodity { code: string; nameZh: string; nameEn: string; scientificName: string; hsCode: string; group: string; perishable: boolean }
export const commodities: Commodity[] = list as Commodity[];
export const commodityOf = (code: string) => commodities.find((c) => c.code === code);
export const codex: Record<string, { mgPerKg: number }> = codexMrls;

/** The requirement row for a destination and commodity: an exact commodity row wins over its group's (as on the server). */
export function requirementFor<R extends { country: string; commodity: string }>(rows: R[], country: string, commodity: string): R | undefined {
  const c = commodityOf(commodity);
  const keys = c ? [c.code, c.group] : [commodity];
  for (const k of keys) { const r = rows.find((x) => x.country === country && x.commodity === k); if (r) return r; }
  return undefined;
}
