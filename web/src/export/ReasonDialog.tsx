import { useState } from 'react';
import { useT } from '../i18n.tsx';
import { Problem } from './Problem.tsx';

/**
 * An action that must give a reason (it goes into the audit log): a required reason, the API's
 * problem shown if the action is refused. `act` throws to keep the dialog open.
 */
export function ReasonDialog({ title, submitLabel, testId, danger, act, onClose }: {
  title: string; submitLabel: string; testId: string; danger?: boolean; act: (reason: string) => Promise<void>; onClose: () => void;
}) {
  const t = useT();
  const [reason, setReason] = useState(''), [v, setV] = useState(''), [err, setErr] = useState<unknown>(null);
  return (
    <div className="modal" role="dialog">
      <form onSubmit={async (e) => {
        e.preventDefault(); setV(''); setErr(null);
        if (!reason.trim()) return setV(`${t('reason')}: ${t('required')}`);
        try { await act(reason.trim()); } catch (x) { setErr(x); }
      }}>
        <h3>{title}</h3>
        <label>{t('reason')} *<textarea name="reason" value={reason} onChange={(e) => setReason(e.target.value)} /></label>
        {v && <p className="error">{v}</p>}
        <Problem err={err} />
        <div className="row"><button type="submit" {...(danger ? { className: 'danger' } : {})} data-testid={testId}>{submitLabel}</button><button type="button" className="ghost" onClick={onClose}>{t('cancel')}</button></div>
      </form>
    </div>
  );
}
