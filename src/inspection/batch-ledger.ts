/**
 * Batch inspection (批次检验): a batch is inspected and sampled once; after it passes, each shipment
 * is written off against its remaining quantity until it is used up or expires. Never more than the batch.
 *
 * Pure logic. Quantities are kept exact by working in whole grams internally (kg with ≤ 3 decimals).
 *
 * CONCURRENCY: these functions decide on one snapshot. The store must make the write-off atomic with a
 * conditional UPDATE that re-checks the same conditions in SQL, e.g.
 *   UPDATE inspection_batch SET remaining_g = remaining_g - :q,
 *          state = CASE WHEN remaining_g - :q = 0 THEN 'exhausted' ELSE state END
 *    WHERE id = :id AND state = 'passed' AND expires_at > :now AND remaining_g >= :q
 * and treat "0 rows updated" as a conflict (re-read the row and call writeOff() again for the exact code).
 * Store remaining as integer grams (toGrams) so SQL and this code agree exactly.
 */
import { AppError, conflict } from '../platform/errors.ts';

export type BatchState = 'pending' | 'passed' | 'failed' | 'exhausted' | 'expired';

export interface InspectionBatch {
  id: string;
  quantityKg: number;
  remainingKg: number;
  expiresAt: number; // epoch ms; shipments at or after this instant are refused
  state: BatchState;
}

export interface WriteOff {
  batchId: string;
  quantityKg: number;
  at: number; // epoch ms
  remainingKg: number; // after this write-off
}

export type WriteOffErrorCode = 'invalid_quantity' | 'batch_not_passed' | 'batch_expired' | 'batch_exhausted' | 'over_draw';

export type WriteOffResult =
  | { ok: true; batch: InspectionBatch; writeOff: WriteOff }
  | { ok: false; code: WriteOffErrorCode; message: string };

const G = 1000;
/** kg → whole grams; throws if not representable with ≤ 3 decimals. */
export function toGrams(kg: number): number {
  const g = Math.round(kg * G);
  if (!Number.isFinite(kg) || Math.abs(g - kg * G) > 1e-6 * Math.max(1, Math.abs(kg * G))) {
    throw new AppError(400, 'invalid_quantity', `quantity ${kg} kg must be finite with at most 3 decimals`);
  }
  return g;
}
export const fromGrams = (g: number) => g / G;

/** A new batch awaiting assessment. */
export function newBatch(id: string, quantityKg: number, expiresAt: number): InspectionBatch {
  if (toGrams(quantityKg) <= 0) throw new AppError(400, 'invalid_quantity', 'batch quantity must be > 0');
  return { id, quantityKg, remainingKg: quantityKg, expiresAt, state: 'pending' };
}

/** Assessment outcome (合格 / not). Only a pending batch can be assessed. */
export function assessBatch(batch: InspectionBatch, passed: boolean): InspectionBatch {
  if (batch.state !== 'pending') throw conflict('invalid_transition', `batch ${batch.id} is ${batch.state}, not pending`);
  return { ...batch, state: passed ? 'passed' : 'failed' };
}

/** The state as of `now` (a passed batch past its expiry reads as expired). */
export function effectiveState(batch: InspectionBatch, now: number): BatchState {
  if (batch.state === 'passed' && now >= batch.expiresAt) return 'expired';
  return batch.state;
}

/** Draw `quantityKg` from the batch at `now`. Returns the new batch (inputs are never mutated) or an error code. */
export function writeOff(batch: InspectionBatch, quantityKg: number, now: number): WriteOffResult {
  let q: number;
  try {
    q = toGrams(quantityKg);
  } catch {
    return { ok: false, code: 'invalid_quantity', message: `quantity ${quantityKg} kg is not a valid amount` };
  }
  if (q <= 0) return { ok: false, code: 'invalid_quantity', message: 'quantity must be > 0' };
  const remaining = toGrams(batch.remainingKg);
  if (batch.state === 'exhausted' || (batch.state === 'passed' && remaining <= 0)) {
    return { ok: false, code: 'batch_exhausted', message: `batch ${batch.id} is used up` };
  }
  if (batch.state === 'expired' || (batch.state === 'passed' && now >= batch.expiresAt)) {
    return { ok: false, code: 'batch_expired', message: `batch ${batch.id} expired at ${new Date(batch.expiresAt).toISOString()}` };
  }
  if (batch.state !== 'passed') {
    return { ok: false, code: 'batch_not_passed', message: `batch ${batch.id} is ${batch.state}; only a passed batch can be written off` };
  }
  if (q > remaining) {
    return { ok: false, code: 'over_draw', message: `batch ${batch.id} has ${fromGrams(remaining)} kg left, ${quantityKg} kg requested` };
  }
  const left = remaining - q;
  const next: InspectionBatch = { ...batch, remainingKg: fromGrams(left), state: left === 0 ? 'exhausted' : 'passed' };
  return { ok: true, batch: next, writeOff: { batchId: batch.id, quantityKg: fromGrams(q), at: now, remainingKg: next.remainingKg } };
}

/** writeOff() that throws AppError 409 with the code instead (400 for invalid_quantity). */
export function writeOffOrThrow(batch: InspectionBatch, quantityKg: number, now: number): { batch: InspectionBatch; writeOff: WriteOff } {
  const r = writeOff(batch, quantityKg, now);
  if (!r.ok) throw new AppError(r.code === 'invalid_quantity' ? 400 : 409, r.code, r.message);
  return { batch: r.batch, writeOff: r.writeOff };
}
