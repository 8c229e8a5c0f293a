/**
 * Certificate issue and verification.
 *
 *   node --import tsx bench/certificate-issue.bench.ts [issueRuns=30] [verifyN=20000]
 *
 * Issue = canonicalise + Ed25519 sign + ePhyto XML + bilingual PDF (CJK font subset, QR code) for one
 * certificate; reports the first (cold: font read + parse) separately, then p50/p95 over the runs.
 * Verify = what the public check does for a stored certificate: canonical JSON + Ed25519 verify;
 * throughput is the median of 5 runs on one core. Also times offline verification of an uploaded XML and PDF.
 */
import os from 'node:os';
import { canonicalBytes } from '../src/certificates/canonical.ts';
import { generateSigningKey, keyRing, loadSigningKey, signContent, verifyContent } from '../src/certificates/signing.ts';
import { buildEphytoXml } from '../src/certificates/ephyto-xml.ts';
import { renderCertificatePdf } from '../src/certificates/pdf.ts';
import { verifyUploadedPdf, verifyUploadedXml } from '../src/certificates/verify.ts';
import { formatCertificateNumber } from '../src/certificates/numbering.ts';
import { ponkanContent } from '../src/certificates/fixtures.test-helper.ts';

const RUNS = Number(process.argv[2] ?? 30);
const VERIFY_N = Number(process.argv[3] ?? 20_000);
const kp = generateSigningKey();
const key = loadSigningKey(kp.privateKeyPem);
const ring = keyRing([kp.publicKeyPem]);

const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const median = (xs: number[]) => q(xs, 0.5);

async function issueOnce(seq: number) {
  const t0 = performance.now();
  const content = ponkanContent(formatCertificateNumber({ office: 'CN-QZ', year: 2026, seq }));
  canonicalBytes(content);
  const signature = signContent(content, key);
  const t1 = performance.now();
  const xml = buildEphytoXml(content, signature);
  const t2 = performance.now();
  const pdf = await renderCertificatePdf(content, signature, `https://onelock.example/verify/${content.number}`);
  const t3 = performance.now();
  return { total: t3 - t0, sign: t1 - t0, xml: t2 - t1, pdf: t3 - t2, pdfBytes: pdf.length, xmlBytes: xml.length, content, signature, xmlText: xml, pdfBuf: pdf };
}

const cold = await issueOnce(1);
const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await issueOnce(i + 2));
const total = runs.map((r) => r.total);

// Verification of a stored certificate: canonical + Ed25519 verify.
const { content, signature, xmlText, pdfBuf } = runs[0];
for (let i = 0; i < 2000; i++) verifyContent(content, signature, ring);
const rates: number[] = [];
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  for (let i = 0; i < VERIFY_N; i++) if (!verifyContent(content, signature, ring).ok) throw new Error('verify failed');
  rates.push(VERIFY_N / ((performance.now() - t) / 1000));
}
const timeN = (n: number, f: () => void) => {
  const t = performance.now();
  for (let i = 0; i < n; i++) f();
  return (performance.now() - t) / n;
};
const xmlVerifyMs = timeN(500, () => {
  if (!verifyUploadedXml(xmlText, ring).valid) throw new Error('xml verify failed');
});
const pdfVerifyMs = timeN(500, () => {
  if (!verifyUploadedPdf(pdfBuf, ring).valid) throw new Error('pdf verify failed');
});

const fmt = (x: number) => x.toFixed(1);
const out = {
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`,
  issueColdMs: fmt(cold.total),
  issueRuns: RUNS,
  issueP50Ms: fmt(median(total)),
  issueP95Ms: fmt(q(total, 0.95)),
  signP50Ms: median(runs.map((r) => r.sign)).toFixed(3),
  xmlP50Ms: fmt(median(runs.map((r) => r.xml))),
  pdfP50Ms: fmt(median(runs.map((r) => r.pdf))),
  pdfBytes: runs[0].pdfBytes,
  xmlBytes: runs[0].xmlBytes,
  verifyPerSecMedian: Math.round(median(rates)),
  verifyPerSecRuns: rates.map(Math.round),
  verifyUploadedXmlMs: xmlVerifyMs.toFixed(3),
  verifyUploadedPdfMs: pdfVerifyMs.toFixed(3),
};
console.log(JSON.stringify(out, null, 2));
console.log(`issue p50 ${out.issueP50Ms} ms (target < 150) — ${Number(out.issueP50Ms) < 150 ? 'OK' : 'MISSED'}`);
console.log(`verify ${out.verifyPerSecMedian}/s (target ≥ 5000) — ${out.verifyPerSecMedian >= 5000 ? 'OK' : 'MISSED'}`);
