/**
 * Offline verification of an uploaded certificate (PDF or ePhyto XML) and the lifecycle status.
 * Verification = canonical JSON of the content + Ed25519 verify with the key named by the signature.
 * A valid signature proves the content was issued by us; the caller should also look the number up
 * (statusOf) to tell a replaced or cancelled certificate from a current one.
 */
import { AppError } from '../platform/errors.ts';
import { keyRing, verifyContent, type KeyObjectLike, type KeyRing } from './signing.ts';
import { parseEphytoXml } from './ephyto-xml.ts';
import { extractPdfPayload } from './pdf.ts';
import type { Certificate, CertificateContent, Signature } from './model.ts';

export type VerifyReason =
  | 'ok'
  | 'no_embedded_certificate'
  | 'malformed'
  | 'unsigned'
  | 'unknown_key'
  | 'bad_signature'
  | 'unsupported_algorithm'
  | 'not_canonical';

export interface VerifyResult {
  valid: boolean;
  reason: VerifyReason;
  content?: CertificateContent; // present whenever it could be read; trust it only when valid
  signature?: Signature;
}

function check(content: unknown, signature: unknown, keys: KeyRing): VerifyResult {
  if (!content || typeof content !== 'object') return { valid: false, reason: 'malformed' };
  const c = content as CertificateContent;
  if (!signature || typeof signature !== 'object') return { valid: false, reason: 'unsigned', content: c };
  const sig = signature as Signature;
  const r = verifyContent(c, sig, keys);
  return r.ok ? { valid: true, reason: 'ok', content: c, signature: sig } : { valid: false, reason: r.code, content: c, signature: sig };
}

/** Verify a PDF made by renderCertificatePdf. `publicKeys`: PEM/base64 strings, KeyObjects or a prebuilt keyRing(). */
export function verifyUploadedPdf(buf: Buffer, publicKeys: Iterable<KeyObjectLike> | KeyRing): VerifyResult {
  const p = extractPdfPayload(buf);
  if (!p) return { valid: false, reason: 'no_embedded_certificate' };
  return check(p.content, p.signature, keyRing(publicKeys));
}

/** Verify ePhyto XML made by buildEphytoXml: the content is re-read from the mapped elements, so editing any of them fails. */
export function verifyUploadedXml(xml: string | Buffer, publicKeys: Iterable<KeyObjectLike> | KeyRing): VerifyResult {
  let parsed: ReturnType<typeof parseEphytoXml>;
  try {
    parsed = parseEphytoXml(xml);
  } catch (e) {
    if (e instanceof AppError) return { valid: false, reason: 'malformed' };
    throw e;
  }
  return check(parsed.content, parsed.signature, keyRing(publicKeys));
}

export type CertificateValidity = 'valid' | 'replaced' | 'cancelled' | 'expired';

/** Status at `now` (epoch ms): cancelled and replaced win over expiry; otherwise expired after validUntil. */
export function statusOf(cert: Pick<Certificate, 'status' | 'content'>, now: number): CertificateValidity {
  if (cert.status === 'cancelled') return 'cancelled';
  if (cert.status === 'replaced') return 'replaced';
  const until = Date.parse(cert.content.validUntil);
  if (Number.isNaN(until) || now > until) return 'expired';
  return 'valid';
}
