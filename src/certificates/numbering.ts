/**
 * Certificate numbers per issuing office and year: `<office>-<year>-<seq padded>`, e.g. CN-QZ-2026-000123.
 * The office code is one or more dash-separated upper-case alphanumeric parts. The sequence itself is
 * allocated by the store (one counter per office and year, incremented in the same transaction as the insert).
 */
import { AppError } from '../platform/errors.ts';

export interface CertificateNumber {
  office: string;
  year: number;
  seq: number;
}

const OFFICE = /^[A-Z0-9]+(?:-[A-Z0-9]+)*$/;
export const SEQ_WIDTH = 6;

export function formatCertificateNumber(n: CertificateNumber, width = SEQ_WIDTH): string {
  if (!OFFICE.test(n.office)) throw new AppError(400, 'invalid_office', `office code ${n.office} must be upper-case letters/digits separated by dashes`);
  if (!Number.isInteger(n.year) || n.year < 1900 || n.year > 9999) throw new AppError(400, 'invalid_year', `year ${n.year}`);
  if (!Number.isInteger(n.seq) || n.seq < 1 || String(n.seq).length > width) throw new AppError(400, 'invalid_sequence', `sequence ${n.seq} must be 1..${'9'.repeat(width)}`);
  return `${n.office}-${n.year}-${String(n.seq).padStart(width, '0')}`;
}

export function parseCertificateNumber(s: string): CertificateNumber {
  const m = /^([A-Z0-9]+(?:-[A-Z0-9]+)*)-(\d{4})-(\d{1,12})$/.exec(typeof s === 'string' ? s.trim().toUpperCase() : '');
  if (!m || Number(m[3]) < 1) throw new AppError(400, 'invalid_certificate_number', `not a certificate number: ${String(s)}`);
  return { office: m[1], year: Number(m[2]), seq: Number(m[3]) };
}

/** The number after `lastSeq` (0 when the office has none this year). */
export const nextCertificateNumber = (office: string, year: number, lastSeq: number) => formatCertificateNumber({ office, year, seq: lastSeq + 1 });
