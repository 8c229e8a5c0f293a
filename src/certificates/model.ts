/**
 * Phytosanitary certificate (植物检疫证书) — the ISPM 12 model certificate fields.
 *
 * `CertificateContent` is exactly what is signed (canonical JSON, see canonical.ts) and what the PDF and
 * ePhyto XML carry. Lifecycle data that changes after issue (status, replacedBy, cancellation) lives in
 * `Certificate` outside the signed content.
 */
import { AppError, conflict } from '../platform/errors.ts';

export const CERTIFICATE_SCHEMA = 'onelock.pc.v1';

/** UN/CEFACT SPS certificate type codes. */
export const TYPE_CODE = { export: '851', reexport: '657' } as const;
export type CertificateType = keyof typeof TYPE_CODE;

export const MODEL_CERTIFYING_STATEMENT =
  'This is to certify that the plants, plant products or other regulated articles described herein have been inspected and/or tested according to appropriate official procedures and are considered to be free from the quarantine pests specified by the importing contracting party and to conform with the current phytosanitary requirements of the importing contracting party, including those for regulated non-quarantine pests.';

export const REEXPORT_CERTIFYING_STATEMENT =
  'This is to certify that the plants, plant products or other regulated articles described above were imported into the re-exporting country covered by the phytosanitary certificate(s) attached, have been packed/repacked or kept in original/new containers, and, based on the original phytosanitary certificate and additional inspection, are considered to conform with the current phytosanitary requirements of the importing contracting party, and that during storage in the re-exporting country the consignment has not been subjected to the risk of infestation or infection.';

export interface Party {
  name: string;
  /** Up to five address lines (ePhyto SpecifiedSPSAddress/LineOne..LineFive). */
  address?: string[];
}

export interface Treatment {
  /** 1 date of treatment (YYYY-MM-DD). */
  date?: string;
  /** 2 treatment, e.g. 'Fumigation', 'Cold treatment' (ePhyto TTFT). */
  treatment: string;
  /** 3 chemical (active ingredient) (TTCH). */
  chemical?: string;
  /** 4 duration and temperature (TTTM), free text, e.g. '≤2 °C for 16 days'. */
  durationAndTemperature?: string;
  /** 5 concentration (TTCO). */
  concentration?: string;
  /** 6 additional information (TTAI). */
  additionalInfo?: string;
}

/** The signed content of a certificate. All dates are ISO 8601 strings with the issuing office's offset. */
export interface CertificateContent {
  schema: typeof CERTIFICATE_SCHEMA;
  number: string; // see numbering.ts, e.g. CN-QZ-2026-000123
  type: CertificateType;
  issuingOffice: string; // office code, e.g. 'CN-QZ'
  /** Plant Protection Organization of … (exporting NPPO name) */
  exportingNppo: string;
  exportCountry: string; // ISO-2
  /** TO: Plant Protection Organization(s) of … (importing country, ISO-2) */
  importCountry: string;
  importCountryName?: string;
  exporter: Party; // 7
  consignee: Party; // 8
  commodity: {
    // 9 name of produce and quantity declared
    description: string; // e.g. 'Fresh mandarins (ponkan)'
    commonName: string; // English
    commonNameZh?: string; // e.g. 芦柑
    scientificName: string; // 10 botanical name
    eppoCode?: string;
    hsCode?: string;
    condition?: string; // IPPC commodity condition, e.g. 'Fresh'
    netWeightKg: number;
  };
  packages: { count: number; typeCode: string }; // 11, UN Rec 21 (BX, BG…)
  distinguishingMarks?: string; // 12
  placeOfOrigin: { country: string; subdivision?: string }; // 13
  conveyance: { modeCode: number; name?: string }; // 14 (UN Rec 19: 1 sea, 3 road, 4 air)
  pointOfEntry: { locode?: string; name: string }; // 15
  additionalDeclaration?: string;
  treatment?: Treatment; // treatment block 1–6
  certifyingStatement: string;
  issue: {
    place: string; // place of issue
    date: string; // 16 date issued (ISO 8601 date-time with offset)
    officer: string; // 17 name of authorised officer
  };
  validUntil: string; // ISO 8601 date-time with offset
  /** Present on a replacement certificate (ePhyto ADRPN/ADRPR/ADRD). */
  replaces?: { number: string; reason: string; date: string };
  /** Re-export (657): the original certificate and the country of origin. */
  reexport?: { originalCertificateNumber: string; originCountry: string };
  /** Cross-border one-lock: the e-lock and trip the consignment travels under. */
  sealChain?: { lockId: string; tripId: string };
}

export type CertificateStatus = 'issued' | 'replaced' | 'cancelled';

export interface Signature {
  alg: 'Ed25519';
  keyId: string;
  value: string; // base64 of the 64-byte signature over canonicalJson(content)
}

export interface Certificate {
  content: CertificateContent;
  signature: Signature;
  status: CertificateStatus;
  replacedBy?: { number: string; reason: string; at: string };
  cancelled?: { reason: string; at: string };
}

/** GACC validity: fresh/live goods 14 days; plant products 21 days (35 in northern winter); general 60. */
export const VALIDITY_DAYS = { fresh: 14, plant: 21, plantNorthernWinter: 35, general: 60 } as const;
export type ValidityClass = keyof typeof VALIDITY_DAYS;

const DAY = 86_400_000;

/** ISO 8601 with a fixed offset, second precision, e.g. 2026-01-20T10:00:00+08:00. */
export function isoWithOffset(ms: number, offsetMinutes = 480): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const a = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

export function validUntilOf(issuedAtMs: number, cls: ValidityClass = 'fresh', offsetMinutes = 480): string {
  return isoWithOffset(issuedAtMs + VALIDITY_DAYS[cls] * DAY, offsetMinutes);
}

/** Everything but the fields the issuing step fills in. */
export type CertificateDraft = Omit<CertificateContent, 'schema' | 'number' | 'issue' | 'validUntil' | 'certifyingStatement' | 'replaces'> & {
  certifyingStatement?: string;
};

export interface IssueParams {
  number: string;
  issuedAt: number; // epoch ms
  place: string;
  officer: string;
  validity?: ValidityClass; // default 'fresh' (14 days)
  utcOffsetMinutes?: number; // default 480 (China)
}

const req = (v: unknown, field: string) => {
  if (typeof v !== 'string' || !v.trim()) throw new AppError(400, 'invalid_field', `${field}: required`, { field });
};

/** Build the content to be signed from a draft. Validates the mandatory model fields. */
export function buildContent(draft: CertificateDraft, p: IssueParams): CertificateContent {
  req(draft.exporter?.name, 'exporter.name');
  req(draft.consignee?.name, 'consignee.name');
  req(draft.commodity?.description, 'commodity.description');
  req(draft.commodity?.scientificName, 'commodity.scientificName');
  req(draft.pointOfEntry?.name, 'pointOfEntry.name');
  req(p.officer, 'officer');
  req(p.place, 'place');
  if (!/^[A-Z]{2}$/.test(draft.importCountry) || !/^[A-Z]{2}$/.test(draft.exportCountry)) {
    throw new AppError(400, 'invalid_field', 'importCountry/exportCountry: ISO 3166-1 alpha-2 required');
  }
  if (!(draft.commodity.netWeightKg > 0) || !Number.isFinite(draft.commodity.netWeightKg)) throw new AppError(400, 'invalid_field', 'commodity.netWeightKg: must be > 0');
  if (!Number.isInteger(draft.packages?.count) || draft.packages.count <= 0) throw new AppError(400, 'invalid_field', 'packages.count: whole number > 0');
  if (draft.type === 'reexport' && !draft.reexport) throw new AppError(400, 'invalid_field', 'reexport: required for a re-export certificate');
  if ((draft.exporter.address?.length ?? 0) > 5 || (draft.consignee.address?.length ?? 0) > 5) throw new AppError(400, 'invalid_field', 'address: at most 5 lines');
  const off = p.utcOffsetMinutes ?? 480;
  const { certifyingStatement, ...rest } = draft;
  return normalizeContent({
    schema: CERTIFICATE_SCHEMA,
    number: p.number,
    ...rest,
    certifyingStatement: certifyingStatement ?? (draft.type === 'reexport' ? REEXPORT_CERTIFYING_STATEMENT : MODEL_CERTIFYING_STATEMENT),
    issue: { place: p.place, date: isoWithOffset(p.issuedAt, off), officer: p.officer },
    validUntil: validUntilOf(p.issuedAt, p.validity ?? 'fresh', off),
  });
}

/**
 * The one shape the signature covers: no `undefined` members and no empty address lists, so the content
 * read back from the PDF or the ePhyto XML is identical to what was signed.
 */
export function normalizeContent<T>(v: T): T {
  if (Array.isArray(v)) return v.map(normalizeContent) as T;
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined || (k === 'address' && Array.isArray(val) && val.length === 0)) continue;
      o[k] = normalizeContent(val);
    }
    return o as T;
  }
  return v;
}

/**
 * Content of a replacement: a new number and issue, linked to the one it replaces with the reason.
 * The caller signs it, then marks the old one with markReplaced().
 */
export function replacementContent(old: Certificate, changes: Partial<CertificateDraft>, reason: string, p: IssueParams): CertificateContent {
  if (old.status !== 'issued') throw conflict('certificate_not_replaceable', `certificate ${old.content.number} is ${old.status}`);
  req(reason, 'reason');
  const { schema: _s, number: _n, issue: _i, validUntil: _v, replaces: _r, ...base } = old.content;
  const c = buildContent({ ...base, ...changes } as CertificateDraft, p);
  return { ...c, replaces: { number: old.content.number, reason, date: c.issue.date } };
}

export function markReplaced(old: Certificate, replacement: CertificateContent): Certificate {
  if (old.status !== 'issued') throw conflict('certificate_not_replaceable', `certificate ${old.content.number} is ${old.status}`);
  if (replacement.replaces?.number !== old.content.number) throw conflict('replacement_mismatch', 'replacement does not name this certificate');
  return { ...old, status: 'replaced', replacedBy: { number: replacement.number, reason: replacement.replaces.reason, at: replacement.issue.date } };
}

export function cancelCertificate(cert: Certificate, reason: string, at: number, offsetMinutes = 480): Certificate {
  if (cert.status !== 'issued') throw conflict('certificate_not_cancellable', `certificate ${cert.content.number} is ${cert.status}`);
  req(reason, 'reason');
  return { ...cert, status: 'cancelled', cancelled: { reason, at: isoWithOffset(at, offsetMinutes) } };
}
