import { useState } from 'react';
import { post } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Problem } from './Problem.tsx';

/** On-site inspection and sampling, recorded once; a nonconformity fails the batch with the findings. */
export function InspectionForm({ batchId, onDone }: { batchId: string; onDone: () => void }) {
  const t = useT();
  const [conform, setConform] = useState(true), [findings, setFindings] = useState(''), [sampleId, setSampleId] = useState(''), [err, setErr] = useState<unknown>(null), [v, setV] = useState('');
  return (
    <form className="stack" data-testid="inspection-form" onSubmit={async (e) => {
      e.preventDefault(); setErr(null); setV('');
      if (!conform && !findings.trim()) return setV(`${t('x.findings')}: ${t('required')}`);
      if (conform && !sampleId.trim()) return setV(`${t('x.sampleId')}: ${t('required')}`);
      try { await post(`/api/v1/inspection-batches/${batchId}/inspection`, { conform, ...(findings.trim() ? { findings: findings.trim() } : {}), ...(sampleId.trim() ? { sampleId: sampleId.trim() } : {}) }); onDone(); }
      catch (x) { setErr(x); }
    }}>
      <div className="row">
        <label className="check"><input type="radio" name="conform" checked={conform} onChange={() => setConform(true)} />{t('x.conform')}</label>
        <label className="check"><input type="radio" name="conform" checked={!conform} onChange={() => setConform(false)} />{t('x.nonconform')}</label>
      </div>
      <label>{t('x.sampleId')}<input name="sampleId" value={sampleId} onChange={(e) => setSampleId(e.target.value)} /></label>
      <label>{t('x.findings')}<textarea name="findings" rows={2} value={findings} onChange={(e) => setFindings(e.target.value)} /></label>
      {v && <p className="error">{v}</p>}
      <Problem err={err} />
      <div className="row"><button type="submit" data-testid="inspection-submit">{t('x.recordInspection')}</button></div>
    </form>
  );
}
