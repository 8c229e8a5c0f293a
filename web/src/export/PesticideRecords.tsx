import { useState } from 'react';
import { post } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Problem } from './Problem.tsx';

/** Pesticide-use records of a facility (appended, never edited), and a form to append one. */
export function PesticideRecords({ kind, facility, onAdded }: { kind: string; facility: any; onAdded: () => void }) {
  const t = useT();
  const [f, setF] = useState({ pesticide: '', appliedOn: '', dose: '', preHarvestIntervalDays: '' });
  const [v, setV] = useState(''), [err, setErr] = useState<unknown>(null);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  return (
    <div className="pesticides">
      {facility.pesticideRecords.length ? <table className="grid small"><thead><tr><th>{t('x.pesticide')}</th><th>{t('x.appliedOn')}</th><th>{t('x.dose')}</th><th>{t('x.phi')}</th><th>{t('x.by')}</th></tr></thead>
        <tbody>{facility.pesticideRecords.map((r: any, i: number) => <tr key={i}><td>{r.pesticide}</td><td>{r.appliedOn}</td><td>{r.dose ?? '–'}</td><td>{r.preHarvestIntervalDays ?? '–'}</td><td className="muted">{r.recordedBy}</td></tr>)}</tbody></table>
        : <p className="muted">{t('x.nothing')}</p>}
      <form className="row" onSubmit={async (e) => {
        e.preventDefault(); setV(''); setErr(null);
        if (!f.pesticide.trim() || !f.appliedOn) return setV(`${t('x.pesticide')} / ${t('x.appliedOn')}: ${t('required')}`);
        if (f.preHarvestIntervalDays && !(/^\d+$/.test(f.preHarvestIntervalDays) && Number(f.preHarvestIntervalDays) <= 365)) return setV(`${t('x.phi')}: 0–365`);
        try {
          await post(`/api/v1/${kind}/${facility.id}/pesticide-records`, { pesticide: f.pesticide.trim(), appliedOn: f.appliedOn, ...(f.dose.trim() ? { dose: f.dose.trim() } : {}), ...(f.preHarvestIntervalDays ? { preHarvestIntervalDays: Number(f.preHarvestIntervalDays) } : {}) });
          onAdded();
        } catch (x) { setErr(x); }
      }}>
        <input aria-label={t('x.pesticide')} placeholder={t('x.pesticide')} value={f.pesticide} onChange={set('pesticide')} />
        <input type="date" aria-label={t('x.appliedOn')} value={f.appliedOn} onChange={set('appliedOn')} />
        <input aria-label={t('x.dose')} placeholder={t('x.dose')} value={f.dose} onChange={set('dose')} />
        <input aria-label={t('x.phi')} placeholder={t('x.phi')} size={6} value={f.preHarvestIntervalDays} onChange={set('preHarvestIntervalDays')} />
        <button type="submit" className="ghost">{t('x.addRecord')}</button>
        {v && <span className="error">{v}</span>}
      </form>
      <Problem err={err} />
    </div>
  );
}
