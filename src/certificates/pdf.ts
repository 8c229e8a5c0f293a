/**
 * Certificate PDF: A4, Chinese + English labels in Noto Sans SC (@embedpdf/fonts-sc), a QR code to the
 * public verification URL, and the signed content + signature embedded so an uploaded PDF can be verified
 * offline (verify.ts). The payload sits in a custom document-info key `OnelockCertificate` as
 * `onelock-pc-v1:<base64(JSON {content, signature})>` (plain ASCII, survives pdfkit's string encoding), and
 * the same JSON is attached as `certificate.json` for people who open the attachment panel.
 * The visible text is a rendering of the embedded content; the verifier shows the verified content.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { CertificateContent, Signature } from './model.ts';

export const PDF_PAYLOAD_KEY = 'OnelockCertificate';
export const PDF_PAYLOAD_PREFIX = 'onelock-pc-v1:';

/** Path of the Noto Sans SC Regular OTF inside node_modules/@embedpdf/fonts-sc. */
export function cjkFontPath(weight: 'Regular' | 'Bold' = 'Regular'): string {
  const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
  return join(dirname(entry), '..', 'fonts', `NotoSansHans-${weight}.otf`);
}

// Font bytes are read once per process. pdfkit can also take a parsed fontkit font (an object with
// `layout`); we cache the parsed font from the first document so later documents skip parsing 8 MB.
let fontBytes: Buffer | undefined;
let parsedFont: unknown;
function fontSource(): Buffer | object {
  if (parsedFont) return parsedFont as object;
  fontBytes ??= readFileSync(process.env.ONELOCK_CJK_FONT ?? cjkFontPath());
  return fontBytes;
}

const PACKAGE_NAMES: Record<string, string> = { BX: '纸箱 boxes', BG: '袋 bags', CT: '纸板箱 cartons', PK: '件 packages', CR: '板条箱 crates' };
const MODE_NAMES: Record<number, string> = { 1: '海运 sea', 2: '铁路 rail', 3: '公路 road', 4: '航空 air' };

export async function renderCertificatePdf(cert: CertificateContent, signature: Signature, verifyUrl: string): Promise<Buffer> {
  const payload = Buffer.from(JSON.stringify({ content: cert, signature }), 'utf8');
  const qr = await QRCode.toBuffer(verifyUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 3 });
  const doc = new PDFDocument({
    size: 'A4',
    margin: 40,
    info: {
      Title: `Phytosanitary Certificate ${cert.number}`,
      Author: cert.exportingNppo,
      Subject: `${cert.commodity.commonName} to ${cert.importCountry}`,
      Keywords: `phytosanitary certificate; ${cert.number}; keyId ${signature.keyId}`,
      [PDF_PAYLOAD_KEY]: PDF_PAYLOAD_PREFIX + payload.toString('base64'),
    } as PDFKit.DocumentInfo,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((res, rej) => {
    doc.on('end', () => res(Buffer.concat(chunks)));
    doc.on('error', rej);
  });

  doc.registerFont('cjk', fontSource() as Buffer);
  doc.font('cjk');
  parsedFont ??= (doc as unknown as { _font?: { font?: unknown } })._font?.font;

  const W = doc.page.width - 80;
  const reexport = cert.type === 'reexport';
  doc.fontSize(15).text(reexport ? '植物转口检疫证书' : '植物检疫证书', 40, 40, { width: W - 110, align: 'center' });
  doc.fontSize(11).text(reexport ? 'PHYTOSANITARY CERTIFICATE FOR RE-EXPORT' : 'PHYTOSANITARY CERTIFICATE', { width: W - 110, align: 'center' });
  doc.moveDown(0.4).fontSize(9).text(`编号 No.: ${cert.number}`, { width: W - 110, align: 'center' });
  doc.image(qr, 40 + W - 95, 36, { width: 95 });
  doc.y = 135;

  const bottom = doc.page.height - 40;
  const row = (zh: string, en: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    doc.fontSize(7);
    const hl = doc.heightOfString(`${zh}\n${en}`, { width: 165 });
    doc.fontSize(8.5);
    const hv = doc.heightOfString(value, { width: W - 170 });
    if (doc.y + Math.max(hl, hv) + 4 > bottom) doc.addPage();
    const y = doc.y;
    doc.fontSize(7).fillColor('#444').text(`${zh}\n${en}`, 40, y, { width: 165 });
    doc.fontSize(8.5).fillColor('#000').text(value, 210, y, { width: W - 170 });
    doc.y = y + Math.max(hl, hv) + 3;
    doc.moveTo(40, doc.y - 1.5).lineTo(40 + W, doc.y - 1.5).lineWidth(0.3).strokeColor('#bbb').stroke();
  };
  const party = (p: { name: string; address?: string[] }) => [p.name, ...(p.address ?? [])].join('\n');

  row('出口国植物保护组织', 'Plant Protection Organization of', `${cert.exportingNppo} (${cert.exportCountry})`);
  row('致：进口国植物保护组织', 'TO: Plant Protection Organization(s) of', cert.importCountryName ? `${cert.importCountryName} (${cert.importCountry})` : cert.importCountry);
  row('发货人名称及地址', '7. Name and address of exporter', party(cert.exporter));
  row('收货人名称及地址', '8. Declared name and address of consignee', party(cert.consignee));
  const c = cert.commodity;
  row('产品名称及数量', '9. Name of produce and quantity declared', `${c.commonNameZh ? c.commonNameZh + ' ' : ''}${c.description} — ${c.netWeightKg} kg${c.hsCode ? ` (HS ${c.hsCode})` : ''}`);
  row('植物学名', '10. Botanical name of plants', c.scientificName);
  row('包装件数及种类', '11. Number and description of packages', `${cert.packages.count} ${PACKAGE_NAMES[cert.packages.typeCode] ?? cert.packages.typeCode}`);
  row('标记及号码', '12. Distinguishing marks', cert.distinguishingMarks);
  row('产地', '13. Place of origin', [cert.placeOfOrigin.subdivision, cert.placeOfOrigin.country].filter(Boolean).join(', ') + (cert.reexport ? ` (${cert.reexport.originCountry})` : ''));
  row('运输工具', '14. Declared means of conveyance', `${MODE_NAMES[cert.conveyance.modeCode] ?? cert.conveyance.modeCode}${cert.conveyance.name ? ` — ${cert.conveyance.name}` : ''}`);
  row('入境口岸', '15. Declared point of entry', `${cert.pointOfEntry.name}${cert.pointOfEntry.locode ? ` (${cert.pointOfEntry.locode})` : ''}`);
  if (cert.reexport) row('原证书编号', 'Original certificate No.', cert.reexport.originalCertificateNumber);
  if (cert.sealChain) row('电子关锁 / 行程', 'E-lock / trip (one lock)', `${cert.sealChain.lockId} / ${cert.sealChain.tripId}`);

  doc.fontSize(7.5).fillColor('#000').text(cert.certifyingStatement, 40, doc.y + 2, { width: W, align: 'justify' });
  doc.y += 5;
  row('附加声明', 'Additional declaration', cert.additionalDeclaration);
  const t = cert.treatment;
  if (t) {
    row('杀虫和/或灭菌处理', 'Disinfestation and/or disinfection treatment',
      [
        t.date && `1. 日期 Date: ${t.date}`,
        `2. 处理方法 Treatment: ${t.treatment}`,
        t.chemical && `3. 药剂 Chemical: ${t.chemical}`,
        t.durationAndTemperature && `4. 持续时间及温度 Duration and temperature: ${t.durationAndTemperature}`,
        t.concentration && `5. 浓度 Concentration: ${t.concentration}`,
        t.additionalInfo && `6. 附加信息 Additional information: ${t.additionalInfo}`,
      ].filter(Boolean).join('\n'));
  }
  if (cert.replaces) row('替代证书', 'Replaces certificate', `${cert.replaces.number} — ${cert.replaces.reason} (${cert.replaces.date})`);
  row('签证地点及日期', 'Place of issue / 16. Date issued', `${cert.issue.place} — ${cert.issue.date}`);
  row('授权签字人', '17. Name of authorized officer', cert.issue.officer);
  row('有效期至', 'Valid until', cert.validUntil);
  row('电子签名', '18. Signature (Ed25519)', `keyId ${signature.keyId}\n${signature.value}`);
  if (doc.y + 12 > bottom) doc.addPage();
  doc.fontSize(7.5).fillColor('#444').text(`扫码或访问以核验真伪 Verify: ${verifyUrl}`, 40, doc.y + 2, { width: W });

  doc.file(payload, { name: 'certificate.json', type: 'application/json', description: 'Signed certificate content and Ed25519 signature' });
  doc.end();
  return done;
}

/** The embedded {content, signature} payload of a PDF made by renderCertificatePdf, or undefined. */
export function extractPdfPayload(pdf: Buffer): { content: unknown; signature: unknown } | undefined {
  const s = pdf.toString('latin1');
  const re = new RegExp(`\\(${PDF_PAYLOAD_PREFIX}([A-Za-z0-9+/=]+)\\)`, 'g');
  let last: string | undefined;
  for (const m of s.matchAll(re)) last = m[1]; // an incremental update appends; the last one is current
  if (!last) return undefined;
  try {
    const v = JSON.parse(Buffer.from(last, 'base64').toString('utf8')) as { content: unknown; signature: unknown };
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}
