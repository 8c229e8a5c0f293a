import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator, XMLParser } from 'fast-xml-parser';
import { canonicalJson } from './canonical.ts';
import { formatCertificateNumber, parseCertificateNumber, nextCertificateNumber } from './numbering.ts';
import { generateSigningKey, loadSigningKey, signContent, verifyContent, keyRing, keyIdOf, rawPublicKey } from './signing.ts';
import { buildEphytoXml, parseEphytoXml } from './ephyto-xml.ts';
import { renderCertificatePdf, extractPdfPayload, PDF_PAYLOAD_PREFIX } from './pdf.ts';
import { verifyUploadedPdf, verifyUploadedXml, statusOf } from './verify.ts';
import { replacementContent, markReplaced, cancelCertificate, buildContent, type Certificate } from './model.ts';
import { PONKAN_DRAFT, ISSUED_AT, ponkanContent } from './fixtures.test-helper.ts';

const codeOf = (e: unknown) => (e as { code: string }).code;
const kp = generateSigningKey();
const key = loadSigningKey(kp.privateKeyPem);
const ring = keyRing([kp.publicKeyPem]);
const content = ponkanContent();
const sig = signContent(content, key);
const DAY = 86_400_000;

test('numbering: per office and year, padded; parse inverts format', () => {
  assert.equal(formatCertificateNumber({ office: 'CN-QZ', year: 2026, seq: 123 }), 'CN-QZ-2026-000123');
  assert.deepEqual(parseCertificateNumber('cn-qz-2026-000123'), { office: 'CN-QZ', year: 2026, seq: 123 });
  assert.equal(nextCertificateNumber('QZ', 2026, 0), 'QZ-2026-000001');
  assert.throws(() => formatCertificateNumber({ office: 'cn qz', year: 2026, seq: 1 }), (e) => codeOf(e) === 'invalid_office');
  assert.throws(() => formatCertificateNumber({ office: 'QZ', year: 2026, seq: 1_000_000 }), (e) => codeOf(e) === 'invalid_sequence');
  assert.throws(() => parseCertificateNumber('QZ-26-1'), (e) => codeOf(e) === 'invalid_certificate_number');
});

test('canonical JSON: sorted keys at every level, no whitespace, undefined omitted, non-finite rejected', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: '芦柑' }], c: undefined }, 'é': true }), '{"a":{"d":[3,{"y":"芦柑","z":1}]},"b":1,"é":true}');
  assert.equal(canonicalJson({ x: 1, y: 2 }), canonicalJson({ y: 2, x: 1 }));
  assert.throws(() => canonicalJson({ a: Number.NaN }), (e) => codeOf(e) === 'not_canonical');
});

test('signing: Ed25519 over canonical content; keys as PEM, base64 DER or raw seed; keyId from the public key', () => {
  assert.deepEqual(verifyContent(content, sig, ring), { ok: true });
  assert.deepEqual(verifyContent({ ...content, consignee: { name: 'Other Sdn Bhd' } }, sig, ring), { ok: false, code: 'bad_signature' });
  // Same key from a raw 32-byte seed and a base64 DER public key.
  const seed = key.privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32).toString('base64');
  const again = loadSigningKey(seed);
  assert.equal(again.keyId, key.keyId);
  assert.equal(keyIdOf(rawPublicKey(key.publicKey).toString('base64')), key.keyId);
  assert.equal(keyIdOf(key.publicKey.export({ format: 'der', type: 'spki' }).toString('base64')), kp.keyId);
  assert.match(key.keyId, /^[0-9a-f]{16}$/);
  assert.deepEqual(verifyContent(content, sig, keyRing([generateSigningKey().publicKeyPem])), { ok: false, code: 'unknown_key' });
  assert.throws(() => loadSigningKey('bm90IGEga2V5'), (e) => codeOf(e) === 'invalid_key');
});

test('ePhyto XML: well-formed, type 851, carries the mapped fields, round-trips to the signed content', () => {
  const xml = buildEphytoXml(content, sig);
  assert.equal(XMLValidator.validate(xml), true);
  const t = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, parseTagValue: false }).parse(xml);
  const d = t.SPSCertificate.SPSExchangedDocument;
  const k = t.SPSCertificate.SPSConsignment;
  const li = k.IncludedSPSConsignmentItem.IncludedSPSTradeLineItem;
  assert.equal(d.ID, 'CN-QZ-2026-000123');
  assert.equal(d.TypeCode, '851');
  assert.equal(d.StatusCode, '70');
  assert.equal(d.IssueDateTime.DateTimeString, '2026-01-20T10:00:00+08:00');
  assert.equal(d.SignatorySPSAuthentication.IssueSPSLocation.Name, 'Quanzhou 泉州');
  assert.equal(d.SignatorySPSAuthentication.ProviderSPSParty.SpecifiedSPSPerson.Name, 'Lin Wei 林伟');
  assert.ok(d.IncludedSPSNote.some((n: { Subject: string; Content: { '#text': string } }) => n.Subject === 'ADEDL' && /MAQIS-2026-00123/.test(n.Content['#text'])));
  assert.ok(d.IncludedSPSNote.some((n: { Subject: string }) => n.Subject === 'ONELOCK-SIG'));
  assert.equal(k.ConsignorSPSParty.SpecifiedSPSAddress.LineOne, 'Taocheng Town, Yongchun County');
  assert.equal(k.ConsigneeSPSParty.Name, 'Importer Sdn Bhd');
  assert.equal(k.ExportSPSCountry.ID, 'CN');
  assert.equal(k.ImportSPSCountry.ID, 'MY');
  assert.equal(k.UnloadingBaseportSPSLocation.ID, 'MYPKG');
  assert.equal(k.MainCarriageSPSTransportMovement.ModeCode, '1');
  assert.equal(li.ScientificName, 'Citrus reticulata');
  assert.deepEqual(li.NetWeightMeasure, { '#text': '26000', '@_unitCode': 'KGM' });
  assert.deepEqual(li.PhysicalSPSPackage, { LevelCode: '1', TypeCode: 'BX', ItemQuantity: '2600' });
  assert.ok(li.CommonName.some((c: { '#text': string; '@_languageID': string }) => c['#text'] === '芦柑' && c['@_languageID'] === 'zh'));
  assert.equal(li.OriginSPSCountry.SubordinateSPSCountrySubDivision.Name, 'Fujian, Yongchun');
  assert.equal(li.AppliedSPSProcess.CompletionSPSPeriod.StartDateTime.DateTimeString, '2026-01-18');
  const back = parseEphytoXml(xml);
  assert.deepEqual(back.content, content);
  assert.deepEqual(back.signature, sig);
  assert.deepEqual(parseEphytoXml(buildEphytoXml(content, sig, { pretty: true })).content, content);
  const rx = buildContent({ ...PONKAN_DRAFT, type: 'reexport', reexport: { originalCertificateNumber: 'TH-2026-555', originCountry: 'TH' } }, { number: 'CN-QZ-2026-000124', issuedAt: ISSUED_AT, place: 'Quanzhou', officer: 'Lin Wei' });
  const rxXml = buildEphytoXml(rx);
  assert.match(rxXml, /<ns1:TypeCode>657<\/ns1:TypeCode>/);
  assert.deepEqual(parseEphytoXml(rxXml).content, rx);
});

test('ePhyto XML verification: genuine passes; any changed signed field, a removed signature or garbage fails', () => {
  const xml = buildEphytoXml(content, sig);
  assert.equal(verifyUploadedXml(xml, [kp.publicKeyPem]).reason, 'ok');
  const tamper = (from: string, to: string) => {
    assert.ok(xml.includes(from), from);
    return verifyUploadedXml(xml.replace(from, to), ring);
  };
  assert.equal(tamper('>26000<', '>27000<').reason, 'bad_signature');
  assert.equal(tamper('Importer Sdn Bhd', 'Imp0rter Sdn Bhd').reason, 'bad_signature');
  assert.equal(tamper('<ns1:ID>MY</ns1:ID>', '<ns1:ID>SG</ns1:ID>').reason, 'bad_signature');
  assert.equal(tamper('2026-02-03T10:00:00+08:00', '2026-03-03T10:00:00+08:00').reason, 'bad_signature');
  assert.equal(tamper('EL-0001</ns1:Content>', 'EL-0002</ns1:Content>').reason, 'bad_signature');
  const r = tamper('>26000<', '>27000<');
  assert.equal(r.valid, false);
  assert.equal(r.content?.commodity.netWeightKg, 27000);
  assert.equal(verifyUploadedXml(buildEphytoXml(content), ring).reason, 'unsigned');
  assert.equal(verifyUploadedXml('<not-xml', ring).reason, 'malformed');
});

test('PDF: renders Chinese text (pdftotext), embeds the signed content; tampering fails verification', { timeout: 60_000 }, async (t) => {
  const pdf = await renderCertificatePdf(content, sig, 'https://onelock.example/verify/CN-QZ-2026-000123');
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const ok = verifyUploadedPdf(pdf, [kp.publicKeyPem]);
  assert.equal(ok.reason, 'ok');
  assert.equal(ok.valid, true);
  assert.equal(canonicalJson(ok.content), canonicalJson(content));

  // Change a signed field inside the embedded payload and keep the old signature.
  const payload = extractPdfPayload(pdf)!;
  const forged = { content: { ...(payload.content as typeof content), commodity: { ...content.commodity, netWeightKg: 30000 } }, signature: payload.signature };
  const b64 = (v: unknown) => PDF_PAYLOAD_PREFIX + Buffer.from(JSON.stringify(v)).toString('base64');
  const tampered = Buffer.from(pdf.toString('latin1').replace(b64(payload), b64(forged)), 'latin1');
  assert.notDeepEqual(tampered, pdf);
  assert.equal(verifyUploadedPdf(tampered, ring).reason, 'bad_signature');
  // A forged, appended (incremental-update style) payload is also caught.
  const appended = Buffer.concat([pdf, Buffer.from(`\n99 0 obj\n(${b64(forged)})\nendobj\n`, 'latin1')]);
  assert.equal(verifyUploadedPdf(appended, ring).reason, 'bad_signature');
  assert.equal(verifyUploadedPdf(Buffer.from('%PDF-1.7\n%%EOF'), ring).reason, 'no_embedded_certificate');
  assert.equal(verifyUploadedPdf(pdf, [generateSigningKey().publicKeyPem]).reason, 'unknown_key');

  let text: string;
  const dir = mkdtempSync(join(tmpdir(), 'onelock-pc-'));
  try {
    writeFileSync(join(dir, 'c.pdf'), pdf);
    text = execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'c.pdf'), '-'], { encoding: 'utf8' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return t.skip('pdftotext (poppler-utils) not installed');
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const s of ['芦柑', '植物检疫证书', 'PHYTOSANITARY CERTIFICATE', 'CN-QZ-2026-000123', 'Citrus reticulata', '林伟', '永春县桃城果蔬进出口有限公司']) {
    assert.ok(text.includes(s), `pdf text contains ${s}`);
  }
});

test('replacement links both ways; status: valid → replaced / cancelled / expired after 14 days', () => {
  const issued: Certificate = { content, signature: sig, status: 'issued' };
  assert.equal(content.validUntil, '2026-02-03T10:00:00+08:00');
  assert.equal(statusOf(issued, ISSUED_AT + 14 * DAY), 'valid');
  assert.equal(statusOf(issued, ISSUED_AT + 14 * DAY + 1), 'expired');

  const next = replacementContent(issued, { consignee: { name: 'New Importer Sdn Bhd' } }, 'change in consignee', {
    number: 'CN-QZ-2026-000130', issuedAt: ISSUED_AT + DAY, place: 'Quanzhou 泉州', officer: 'Lin Wei 林伟',
  });
  assert.deepEqual(next.replaces, { number: 'CN-QZ-2026-000123', reason: 'change in consignee', date: '2026-01-21T10:00:00+08:00' });
  assert.equal(next.validUntil, '2026-02-04T10:00:00+08:00');
  const old = markReplaced(issued, next);
  assert.deepEqual(old.replacedBy, { number: 'CN-QZ-2026-000130', reason: 'change in consignee', at: '2026-01-21T10:00:00+08:00' });
  assert.equal(statusOf(old, ISSUED_AT + DAY), 'replaced');
  const nextSig = signContent(next, key);
  const replacement: Certificate = { content: next, signature: nextSig, status: 'issued' };
  assert.equal(statusOf(replacement, ISSUED_AT + DAY), 'valid');
  // The link survives the XML round trip as ADRPN / ADRPR / ADRD.
  const xml = buildEphytoXml(next, nextSig);
  assert.match(xml, /<ns1:Subject>ADRPN<\/ns1:Subject><ns1:Content>CN-QZ-2026-000123<\/ns1:Content>/);
  assert.equal(verifyUploadedXml(xml, ring).reason, 'ok');
  assert.throws(() => replacementContent(old, {}, 'again', { number: 'X-2026-000001', issuedAt: ISSUED_AT, place: 'Q', officer: 'O' }), (e) => codeOf(e) === 'certificate_not_replaceable');
  assert.throws(() => replacementContent(issued, {}, ' ', { number: 'X-2026-000001', issuedAt: ISSUED_AT, place: 'Q', officer: 'O' }), (e) => codeOf(e) === 'invalid_field');

  const cancelled = cancelCertificate(issued, 'goods not shipped', ISSUED_AT + 2 * DAY);
  assert.equal(statusOf(cancelled, ISSUED_AT + 2 * DAY), 'cancelled');
  assert.throws(() => cancelCertificate(cancelled, 'again', ISSUED_AT), (e) => codeOf(e) === 'certificate_not_cancellable');
});

test('issueCertificate / issueReplacement: signed content, XML and PDF that all verify; the old one is marked replaced', { timeout: 60_000 }, async () => {
  const { issueCertificate, issueReplacement } = await import('./issue.ts');
  const url = (n: string) => `https://onelock.example/verify/${n}`;
  const a = await issueCertificate(PONKAN_DRAFT, { number: 'CN-QZ-2026-000200', issuedAt: ISSUED_AT, place: 'Quanzhou 泉州', officer: 'Lin Wei 林伟' }, key, url);
  assert.equal(a.certificate.status, 'issued');
  assert.equal(verifyUploadedXml(a.xml, ring).reason, 'ok');
  assert.equal(verifyUploadedPdf(a.pdf, ring).reason, 'ok');
  const b = await issueReplacement(a.certificate, { distinguishingMarks: 'container CSQU3054383 seal EL-0001' }, 'add container number', { number: 'CN-QZ-2026-000201', issuedAt: ISSUED_AT + DAY, place: 'Quanzhou 泉州', officer: 'Lin Wei 林伟' }, key, url);
  assert.equal(b.replaced.status, 'replaced');
  assert.equal(b.replaced.replacedBy?.number, 'CN-QZ-2026-000201');
  assert.equal(b.certificate.content.replaces?.number, 'CN-QZ-2026-000200');
  assert.equal(verifyUploadedPdf(b.pdf, ring).content?.replaces?.reason, 'add container number');
});
