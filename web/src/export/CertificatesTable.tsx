import { useState } from 'react';
import { download, type Me } from '../api.ts';
import { useT } from '../i18n.tsx';
import { listUrl, usePaged } from './usePaged.ts';
import { More, Problem } from './Problem.tsx';
import { CancelDialog, ReplaceDialog } from './CertificateDialogs.tsx';
import { day, kg } from './format.ts';

export const CERT_STATES = ['valid', 'replaced', 'cancelled', 'expired'];

/** Certificates (newest first) with their live status, PDF and XML, and for officers replace and cancel. */
export function CertificatesTable({ me, batchId, compact = false, onChanged }: { me: Me; batchId?: string; compact?: boolean; onChanged?: () => void }) {
  const t = useT();
  const staff = me.role !== 'enterprise';
  const [status, setStatus] = useState('');
  // Filtered by the server: filtering the loaded page would hide matches on later pages.
  const list = usePaged(listUrl('/api/v1/certificates', { batchId, status }));
  const [dialog, setDialog] = useState<{ kind: 'replace' | 'cancel'; cert: any } | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const done = () => { setDialog(null); list.reload(); onChanged?.(); };
  const get = (c: any, kind: 'pdf' | 'xml') => { setErr(null); download(`/api/v1/certificates/${c.id}/${kind}`, `${c.number}.${kind}`).catch(setErr); };
  return (
    <div>
      {!compact && <div className="toolbar">
        <select aria-label={t('state')} value={status} onChange={(e) => setStatus(e.target.value)}><option value="">{t('state')}: {t('all')}</option>{CERT_STATES.map((s) => <option key={s} value={s}>{t(`x.cs.${s}`)}</option>)}</select>
        <button type="button" className="ghost" onClick={list.reload}>{t('x.refresh')}</button>
      </div>}
      <Problem err={list.err ?? err} />
      <table className="grid small" data-testid="certificates">
        <thead><tr><th>{t('x.certificateNo')}</th><th>{t('state')}</th>{!compact && <th>{t('x.commodity')}</th>}<th>{t('x.destination')}</th><th>{t('x.quantity')}</th><th>{t('x.validUntil')}</th><th>{t('x.links')}</th><th>{t('actions')}</th></tr></thead>
        <tbody>{list.items.map((c: any) => (
          <tr key={c.id} data-certificate={c.number} data-status={c.status}>
            <td><a href={`#/verify/${c.number}`}>{c.number}</a></td>
            <td><span className={`badge cs-${c.status}`} data-testid="certificate-status">{t(`x.cs.${c.status}`)}</span></td>
            {!compact && <td>{c.content.commodity.commonNameZh} {c.content.commodity.commonName}</td>}
            <td>{c.content.importCountry}</td><td>{kg(c.content.commodity.netWeightKg)}</td><td>{day(c.validUntil)}</td>
            <td className="muted">{c.replaces && <div>{t('x.replaces')} {c.replaces}</div>}{c.replacedBy && <div>{t('x.replacedBy')} {c.replacedBy}</div>}{c.cancelled && <div>{t('x.cs.cancelled')}: {c.cancelled.reason}</div>}</td>
            <td><div className="row">
              <button type="button" className="ghost" data-testid="download-pdf" onClick={() => get(c, 'pdf')}>PDF</button>
              <button type="button" className="ghost" data-testid="download-xml" onClick={() => get(c, 'xml')}>XML</button>
              {staff && c.storedStatus === 'issued' && <button type="button" className="ghost" data-testid="replace" onClick={() => setDialog({ kind: 'replace', cert: c })}>{t('x.replace')}</button>}
              {staff && c.storedStatus === 'issued' && <button type="button" className="ghost danger" data-testid="cancel-certificate" onClick={() => setDialog({ kind: 'cancel', cert: c })}>{t('x.cancelCertificate')}</button>}
            </div></td>
          </tr>
        ))}</tbody>
      </table>
      {!list.items.length && !list.loading && <p className="muted">{t('x.nothing')}</p>}
      <More list={list} />
      {dialog?.kind === 'replace' && <ReplaceDialog cert={dialog.cert} onClose={() => setDialog(null)} onDone={done} />}
      {dialog?.kind === 'cancel' && <CancelDialog cert={dialog.cert} onClose={() => setDialog(null)} onDone={done} />}
    </div>
  );
}
