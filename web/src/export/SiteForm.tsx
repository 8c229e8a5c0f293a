import { useState } from 'react';
import { post } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Problem } from './Problem.tsx';

/** Supervisors add an inspection site: capacity per slot and the share held for perishables. */
export function SiteForm({ onCreated }: { onCreated: (site: any) => void }) {
  const t = useT();
  const [f, setF] = useState({ name: '', office: 'CN-QZ', capacityPerSlot: '4', perishableReserve: '25', slotMinutes: '60', minLeadMinutes: '60' });
  const [v, setV] = useState(''), [err, setErr] = useState<unknown>(null);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  return (
    <details className="panel">
      <summary>{t('x.addSite')}</summary>
      <form className="row" data-testid="site-form" onSubmit={async (e) => {
        e.preventDefault(); setV(''); setErr(null);
        const int = (s: string) => /^\d+$/.test(s) ? Number(s) : NaN;
        if (!f.name.trim()) return setV(`${t('x.name')}: ${t('required')}`);
        if (!/^[A-Z0-9]+(-[A-Z0-9]+)*$/.test(f.office)) return setV(`${t('x.office')}: CN-QZ`);
        if (!(int(f.capacityPerSlot) >= 1)) return setV(`${t('x.capacity')}: ≥ 1`);
        if (!(int(f.perishableReserve) >= 0 && int(f.perishableReserve) <= 100)) return setV(`${t('x.greenShare')}: 0–100`);
        if (!(int(f.slotMinutes) >= 5 && 1440 % int(f.slotMinutes) === 0)) return setV(`${t('x.slotMinutes')}: 60, 30, 120…`);
        try {
          const s = await post('/api/v1/inspection-sites', { name: f.name.trim(), office: f.office, capacityPerSlot: int(f.capacityPerSlot), perishableReserve: int(f.perishableReserve) / 100, slotMinutes: int(f.slotMinutes), minLeadMinutes: int(f.minLeadMinutes) || 0 });
          setF({ ...f, name: '' }); onCreated(s);
        } catch (x) { setErr(x); }
      }}>
        <label>{t('x.name')}<input name="name" value={f.name} onChange={set('name')} /></label>
        <label>{t('x.office')}<input name="office" size={8} value={f.office} onChange={set('office')} /></label>
        <label>{t('x.capacity')}<input name="capacityPerSlot" size={4} value={f.capacityPerSlot} onChange={set('capacityPerSlot')} /></label>
        <label>{t('x.greenShare')} %<input name="perishableReserve" size={4} value={f.perishableReserve} onChange={set('perishableReserve')} /></label>
        <label>{t('x.slotMinutes')}<input name="slotMinutes" size={4} value={f.slotMinutes} onChange={set('slotMinutes')} /></label>
        <label>{t('x.leadTime')} min<input name="minLeadMinutes" size={4} value={f.minLeadMinutes} onChange={set('minLeadMinutes')} /></label>
        <button type="submit">{t('x.addSite')}</button>
        {v && <span className="error">{v}</span>}
      </form>
      <Problem err={err} />
    </details>
  );
}
