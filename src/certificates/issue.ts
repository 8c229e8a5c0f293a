/**
 * One call for the issuing route: build the content, sign it, render the ePhyto XML and the PDF.
 * The store allocates the number (numbering.ts) and persists {certificate, xml, pdf} in one transaction.
 */
import { buildContent, markReplaced, replacementContent, type Certificate, type CertificateContent, type CertificateDraft, type IssueParams } from './model.ts';
import { signContent, type SigningKey } from './signing.ts';
import { buildEphytoXml } from './ephyto-xml.ts';
import { renderCertificatePdf } from './pdf.ts';

export interface IssuedCertificate {
  certificate: Certificate;
  xml: string;
  pdf: Buffer;
}

/** `verifyUrlFor(number)` builds the public verification URL printed as the QR code. */
export async function issueCertificate(
  draft: CertificateDraft,
  params: IssueParams,
  key: SigningKey,
  verifyUrlFor: (number: string) => string,
): Promise<IssuedCertificate> {
  return render(buildContent(draft, params), key, verifyUrlFor);
}

/** Issue a replacement and return it with the old certificate marked `replaced` (both to be saved together). */
export async function issueReplacement(
  old: Certificate,
  changes: Partial<CertificateDraft>,
  reason: string,
  params: IssueParams,
  key: SigningKey,
  verifyUrlFor: (number: string) => string,
): Promise<IssuedCertificate & { replaced: Certificate }> {
  const content = replacementContent(old, changes, reason, params);
  const issued = await render(content, key, verifyUrlFor);
  return { ...issued, replaced: markReplaced(old, content) };
}

async function render(content: CertificateContent, key: SigningKey, verifyUrlFor: (number: string) => string): Promise<IssuedCertificate> {
  const signature = signContent(content, key);
  const xml = buildEphytoXml(content, signature);
  const pdf = await renderCertificatePdf(content, signature, verifyUrlFor(content.number));
  return { certificate: { content, signature, status: 'issued' }, xml, pdf };
}
