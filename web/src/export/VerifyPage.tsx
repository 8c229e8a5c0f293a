import { useEffect, useState } from 'react';
import { get, postFile } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Problem } from './Problem.tsx';
import { SignedContent } from './SignedContent.tsx';
import { SealChain } from './SealChain.tsx';
import { when } from './format.ts';

/**
 * Public verification (no login), as the importing side uses it: a certificate number, or the PDF / ePhyto
 * XML they received checked against its signature. The QR code on the PDF opens the server page
 * /verify/<number>, which answers the same without running this app.
 */
export function VerifyPage({ number }: { number?: string }) {
  const t = useT();
  const [n, setN] = useState(number ?? '');
  const [res, setRes] = useState<any>(null), [up, setUp] = useState<any>(null), [err, setErr] = useState<unknown>(null), [busy, setBusy] = useState(false);
  const lookup = (x: string) => { setRes(null); setErr(null); setBusy(true); get(`/api/v1/verify/${encodeURIComponent(x)}`).then(setRes, setErr).finally(() => setBusy(false)); };
  useEffect(() => { setN(number ?? ''); setRes(null); setErr(null); if (number) lookup(number); }, [number]);
  return (
    <div className="page verify-page">
      <h2>{t('x.verifyTitle')}</h2>
      <div className="two-col">
        <form className="panel row" onSubmit={(e) => { e.preventDefault(); setUp(null); const v = n.trim().toUpperCase(); if (!v) return;
          // the number goes into the address so it can be shared; the same number again just asks again
          if (v === number) lookup(v); else location.hash = `#/verify/${encodeURIComponent(v)}`; }}>
          <label>{t('x.certificateNo')}<input name="number" value={n} placeholder="CN-QZ-2026-000001" onChange={(e) => setN(e.target.value)} pattern="[A-Za-z0-9-]+" /></label>
          <button type="submit" data-testid="verify-number">{t('x.verify')}</button>
        </form>
        <div className="panel">
          <label>{t('x.uploadToCheck')}<input type="file" name="file" data-testid="verify-file" accept=".pdf,.xml,application/pdf,application/xml,text/xml" onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            setErr(null); setUp(null); setRes(null); setBusy(true);
            const type = f.name.toLowerCase().endsWith('.pdf') || f.type === 'application/pdf' ? 'application/pdf' : 'application/xml';
            try { setUp(await postFile('/api/v1/verify/upload', f, type)); } catch (x) { setErr(x); } finally { setBusy(false); e.target.value = ''; }
          }} /></label>
        </div>
      </div>
      {busy && <p>{t('loading')}</p>}
      <Problem err={err} />
      {up && <UploadResult r={up} />}
      {res && <NumberResult v={res} />}
    </div>
  );
}

function StatusBanner({ status, signatureValid }: { status: string; signatureValid: boolean }) {
  const t = useT();
  return (
    <div className={`verdict ${status === 'valid' && signatureValid ? 'valid' : status === 'replaced' || status === 'expired' ? 'amber' : 'bad'}`} data-testid="verdict" data-status={status}>
      {status === 'valid' && signatureValid ? '✔' : '✘'} {t(`x.cs.${status}`)}
      <small>{signatureValid ? t('x.signatureValid') : t('x.signatureInvalid')}</small>
    </div>
  );
}

function NumberResult({ v }: { v: any }) {
  const t = useT();
  return (
    <section className="verify-result" data-testid="verify-result">
      <StatusBanner status={v.status} signatureValid={v.signatureValid} />
      <ul className="facts">
        {v.replacedBy && <li data-testid="replaced-by">{t('x.replacedBy')} <a href={`#/verify/${v.replacedBy}`}>{v.replacedBy}</a>{v.replaceReason ? ` · ${t('reason')}: ${v.replaceReason}` : ''}</li>}
        {v.replaces && <li>{t('x.replaces')} <a href={`#/verify/${v.replaces}`}>{v.replaces}</a>{v.content.replaces?.reason ? ` · ${t('reason')}: ${v.content.replaces.reason}` : ''}</li>}
        {v.cancelled && <li data-testid="cancelled-note">{t('x.cs.cancelled')} {when(v.cancelled.at)} · {t('reason')}: {v.cancelled.reason}</li>}
        {v.status === 'expired' && <li>{t('x.validUntil')} {v.content.validUntil}</li>}
        <li className="muted">{t('x.keyId')} {v.signature.keyId} · {v.signature.alg} · <a href={`/verify/${encodeURIComponent(v.number)}`} target="_blank" rel="noreferrer">{t('x.printable')}</a></li>
      </ul>
      {v.sealChain && <SealChain chain={v.sealChain} />}
      <SignedContent c={v.content} />
    </section>
  );
}

function UploadResult({ r }: { r: any }) {
  const t = useT();
  return (
    <section className="verify-result" data-testid="upload-result" data-valid={String(r.valid)}>
      <div className={`verdict ${r.valid && r.status === 'valid' ? 'valid' : r.valid ? 'amber' : 'bad'}`} data-testid="upload-verdict">
        {r.valid ? `✔ ${t('x.fileAuthentic')}` : `✘ ${t('x.fileNotAuthentic')}`}
        <small>{r.valid ? (r.status ? t(`x.cs.${r.status}`) : '') : `${t(`x.vr.${r.reason}`)} (${r.reason})`}</small>
      </div>
      {r.number && <p><a href={`#/verify/${r.number}`}>{t('x.lookUp')} {r.number}</a></p>}
      {r.content && <SignedContent c={r.content} untrusted={!r.valid} />}
    </section>
  );
}
