import { useState } from 'react';
import { post } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Problem } from './Problem.tsx';
import { ReasonDialog } from './ReasonDialog.tsx';

/** Replace: a new number linked both ways to this one, with the reason and what changed. */
export function ReplaceDialog({ cert, onClose, onDone }: { cert: any; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [reason, setReason] = useState(''), [consignee, setConsignee] = useState(cert.content.consignee.name), [marks, setMarks] = useState(cert.content.distinguishingMarks ?? '');
  const [v, setV] = useState(''), [err, setErr] = useState<unknown>(null);
  return (
    <div className="modal" role="dialog">
      <form onSubmit={async (e) => {
        e.preventDefault(); setV(''); setErr(null);
        if (!reason.trim()) return setV(`${t('reason')}: ${t('required')}`);
        if (!consignee.trim()) return setV(`${t('x.consignee')}: ${t('required')}`);
        const changes: Record<string, unknown> = {};
        if (consignee.trim() !== cert.content.consignee.name) changes.consignee = { ...cert.content.consignee, name: consignee.trim() };
        if (marks.trim() !== (cert.content.distinguishingMarks ?? '') && marks.trim()) changes.distinguishingMarks = marks.trim();
        try { await post(`/api/v1/certificates/${cert.id}/replace`, { reason: reason.trim(), ...(Object.keys(changes).length ? { changes } : {}) }); onDone(); }
        catch (x) { setErr(x); }
      }}>
        <h3>{t('x.replace')}: {cert.number}</h3>
        <label>{t('reason')} *<textarea name="reason" value={reason} onChange={(e) => setReason(e.target.value)} /></label>
        <label>{t('x.consignee')}<input name="consignee" value={consignee} onChange={(e) => setConsignee(e.target.value)} /></label>
        <label>{t('x.marks')}<input name="marks" value={marks} onChange={(e) => setMarks(e.target.value)} /></label>
        {v && <p className="error">{v}</p>}
        <Problem err={err} />
        <div className="row"><button type="submit" data-testid="replace-submit">{t('x.replace')}</button><button type="button" className="ghost" onClick={onClose}>{t('cancel')}</button></div>
      </form>
    </div>
  );
}

/** Cancel with a reason; verification then answers cancelled. */
export function CancelDialog({ cert, onClose, onDone }: { cert: any; onClose: () => void; onDone: () => void }) {
  const t = useT();
  return (
    <ReasonDialog title={`${t('x.cancelCertificate')}: ${cert.number}`} submitLabel={t('x.cancelCertificate')} testId="cancel-submit" danger onClose={onClose}
      act={async (reason) => { await post(`/api/v1/certificates/${cert.id}/cancel`, { reason }); onDone(); }} />
  );
}
