/**
 * Public verification, no login: by number (API and a small server-rendered page the QR code points
 * at) and by upload of a PDF or ePhyto XML, checked against the Ed25519 signature.
 */
import { Type } from 'typebox';
import type { RouteModule } from '../platform/http/app.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { errs } from '../inspection/routes/common.ts';
import { signingKeyOf } from './key-store.ts';
import { statusOf, verifyUploadedPdf, verifyUploadedXml, type VerifyResult } from './verify.ts';
import { Verifier, type Verification } from './verifier.ts';

const tags = ['verification'];
const MAX_UPLOAD = 10 * 1024 * 1024;

/** Upload check: the signature first, then the record (a valid file of a since-cancelled certificate says so). */
export async function verifyUpload(ctx: AppContext, buf: Buffer) {
  const ring = signingKeyOf(ctx.settings).ring;
  let res: VerifyResult;
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') res = verifyUploadedPdf(buf, ring);
  else if (/^\s*(<\?xml|<)/.test(buf.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, ''))) res = verifyUploadedXml(buf, ring);
  else throw new AppError(415, 'unsupported_document', 'send a certificate PDF or ePhyto XML');
  const out: Record<string, unknown> = { valid: res.valid, reason: res.reason, number: res.content?.number ?? null, content: res.content ?? null };
  if (res.valid && res.content) {
    const r = await ctx.store.db.selectFrom('certificates').select(['signature', 'status', 'content']).where('number', '=', res.content.number).executeTakeFirst();
    if (!r || JSON.parse(r.signature).value !== res.signature!.value) return { ...out, valid: false, reason: 'not_on_record' };
    out.status = statusOf({ status: r.status, content: res.content }, ctx.clock.now());
  }
  return out;
}

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const STATUS_TEXT: Record<string, string> = { valid: '有效 Valid', replaced: '已被替换 Replaced', cancelled: '已撤销 Cancelled', expired: '已过期 Expired' };
const page = (title: string, body: string) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>
<style>body{font:15px/1.5 system-ui,"Noto Sans SC",sans-serif;max-width:760px;margin:2em auto;padding:0 1em;color:#222}h1{font-size:1.4em}table{border-collapse:collapse;width:100%}td{border-top:1px solid #ddd;padding:.3em .5em;vertical-align:top}td:first-child{color:#555;width:38%}.s{font-size:1.3em;font-weight:bold;padding:.5em;border-radius:4px}.valid{background:#e3f6e5;color:#17612a}.bad{background:#fde8e8;color:#8a1c1c}input{font:inherit;padding:.3em}</style></head><body>${body}</body></html>`;

const FORM = `<form method="get" action="/verify"><label>证书编号 Certificate number <input name="number" required pattern="[A-Za-z0-9-]+" placeholder="CN-QZ-2026-000001"></label> <button>查验 Verify</button></form>
<p>或上传证书 PDF / ePhyto XML 核验签名 · Or upload the certificate PDF or ePhyto XML to check its signature:</p>
<input type="file" id="f" accept=".pdf,.xml,application/pdf,application/xml"><pre id="o"></pre>
<script>document.getElementById('f').onchange=async e=>{const f=e.target.files[0];if(!f)return;const r=await fetch('/api/v1/verify/upload',{method:'POST',headers:{'content-type':f.name.endsWith('.pdf')?'application/pdf':'application/xml'},body:f});const j=await r.json();document.getElementById('o').textContent=(j.valid?'✔ 签名有效 Signature valid':'✘ 无效 Invalid: '+(j.reason||j.code))+(j.status?' · '+j.status:'')+(j.number?' · '+j.number:'')}</script>`;

function resultHtml(v: Verification): string {
  const c = v.content;
  const row = (k: string, val: unknown) => (val === undefined || val === null || val === '' ? '' : `<tr><td>${k}</td><td>${esc(val)}</td></tr>`);
  const sc = v.sealChain;
  return `<h1>植物检疫证书核验 Phytosanitary certificate verification</h1>
<p class="s ${v.status === 'valid' && v.signatureValid ? 'valid' : 'bad'}">${esc(STATUS_TEXT[v.status])}${v.signatureValid ? ' · 签名有效 signature valid' : ' · 签名无效 SIGNATURE INVALID'}</p>
<table>${row('证书编号 No.', c.number)}${row('出口国 Exporting NPPO', c.exportingNppo)}${row('输往国家 To', `${c.importCountryName ?? ''} (${c.importCountry})`)}
${row('发货人 Exporter', c.exporter.name)}${row('收货人 Consignee', c.consignee.name)}${row('货物 Produce', `${c.commodity.commonNameZh ?? ''} ${c.commodity.description} — ${c.commodity.netWeightKg} kg`)}
${row('学名 Botanical name', c.commodity.scientificName)}${row('包装 Packages', `${c.packages.count} ${c.packages.typeCode}`)}${row('入境口岸 Point of entry', c.pointOfEntry.name)}
${row('附加声明 Additional declaration', c.additionalDeclaration)}${row('签发 Issued', `${c.issue.place} ${c.issue.date} · ${c.issue.officer}`)}${row('有效期至 Valid until', c.validUntil)}
${row('替换 Replaces', v.replaces)}${row('已被替换为 Replaced by', v.replacedBy && `${v.replacedBy} (${v.replaceReason ?? ''})`)}${row('撤销 Cancelled', v.cancelled && `${v.cancelled.at} ${v.cancelled.reason}`)}
${sc ? row('电子锁 / 行程 Lock / trip', `${sc.lockId ?? '—'} / ${sc.tripId}`) + row('施封 Sealed at', sc.sealedAt) + row('关锁完整 Seal intact', sc.intact === null ? '未施封 not sealed' : sc.intact ? '是 yes' : `否 no — ${sc.breaches.map((b) => `${b.type} ${b.at}`).join(', ')}`) + row('卡口通行 Boundary passage', sc.boundaryPassage && `${sc.boundaryPassage.decision} ${sc.boundaryPassage.at}`) : ''}
${row('签名密钥 Key id', v.signature.keyId)}</table><p><a href="/verify">← 查验其他证书 Verify another</a></p>`;
}

export const verifyRoutes: RouteModule = (app, ctx) => {
  const verifier = new Verifier(ctx);
  app.addHook('onClose', async () => verifier.close());
  app.addContentTypeParser(['application/pdf', 'application/xml', 'text/xml', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: MAX_UPLOAD }, (_req, body, done) => done(null, body));

  app.get('/api/v1/verify/:number', {
    config: { roles: 'public' },
    schema: { tags, summary: 'Verify a certificate by number (no login): valid | replaced | cancelled | expired, the signed content and the seal chain', params: Type.Object({ number: Type.String({ maxLength: 64 }) }), response: { 200: Type.Any(), ...errs } },
  }, async (req, reply) => reply.type('application/json; charset=utf-8').send(await verifier.json(req.params.number)));

  app.post('/api/v1/verify/upload', {
    config: { roles: 'public' },
    bodyLimit: MAX_UPLOAD,
    schema: { tags, summary: 'Check an uploaded certificate PDF or ePhyto XML against its signature (tampered → valid: false with the reason)', response: { 200: Type.Any(), ...errs } },
  }, async (req) => {
    const body = req.body;
    const buf = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : null;
    if (!buf || buf.length === 0) throw new AppError(415, 'unsupported_document', 'send the PDF (application/pdf) or XML (application/xml) as the request body');
    return verifyUpload(ctx, buf);
  });

  app.get('/verify', {
    config: { roles: 'public' },
    schema: { hide: true, querystring: Type.Object({ number: Type.Optional(Type.String({ maxLength: 64 })) }) },
  }, async (req, reply) => {
    if (req.query.number) return reply.redirect(`/verify/${encodeURIComponent(req.query.number.trim().toUpperCase())}`);
    return reply.type('text/html; charset=utf-8').send(page('证书核验 Certificate verification', `<h1>植物检疫证书核验 Phytosanitary certificate verification</h1>${FORM}`));
  });

  app.get('/verify/:number', {
    config: { roles: 'public' },
    schema: { hide: true, params: Type.Object({ number: Type.String({ maxLength: 64 }) }) },
  }, async (req, reply) => {
    try {
      return reply.type('text/html; charset=utf-8').send(page(`证书 ${req.params.number}`, resultHtml(await verifier.verification(req.params.number))));
    } catch (e) {
      if (!(e instanceof AppError) || e.status !== 404) throw e;
      return reply.status(404).type('text/html; charset=utf-8').send(page('未找到 Not found', `<h1>未找到证书 Certificate not found</h1><p class="s bad">${esc(req.params.number)}: 无此证书 no such certificate</p>${FORM}`));
    }
  });
};
