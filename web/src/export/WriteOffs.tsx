import { useState } from 'react';
import { post } from '../api.ts';
import { useT } from '../i18n.tsx';
import { usePaged } from './usePaged.ts';
import { More, Problem } from './Problem.tsx';
import { isKg, kg, when } from './format.ts';

/** The batch ledger: every shipment written off and what remained after it; a shipment can be written off here too. */
export function WriteOffs({ batch, onDone }: { batch: any; onDone: () => void }) {
  const t = useT();
  const list = usePaged(`/api/v1/inspection-batches/${batch.id}/write-offs`);
  const [q, setQ] = useState(''), [ref, setRef] = useState(''), [v, setV] = useState(''), [err, setErr] = useState<unknown>(null);
  return (
    <div>
      <table className="grid small" data-testid="write-offs">
        <thead><tr><th>{t('x.when')}</th><th>{t('x.quantity')}</th><th>{t('x.remainingAfter')}</th><th>{t('x.shipmentRef')}</th><th>{t('x.certificate')}</th><th>{t('x.by')}</th></tr></thead>
        <tbody>{list.items.map((w: any) => <tr key={w.id}><td>{when(w.createdAt)}</td><td>{kg(w.quantityKg)}</td><td>{kg(w.remainingKg)}</td><td>{w.shipmentRef ?? '–'}</td><td>{w.certificateId ?? '–'}</td><td className="muted">{w.createdBy}</td></tr>)}</tbody>
      </table>
      {!list.items.length && !list.loading && <p className="muted">{t('x.nothing')}</p>}
      <More list={list} />
      <Problem err={list.err} />
      {batch.state === 'passed' && (
        <form className="row" data-testid="write-off-form" onSubmit={async (e) => {
          e.preventDefault(); setV(''); setErr(null);
          if (!isKg(q)) return setV(t('x.v.kg'));
          try { await post(`/api/v1/inspection-batches/${batch.id}/write-offs`, { quantityKg: Number(q), ...(ref.trim() ? { shipmentRef: ref.trim() } : {}) }); setQ(''); setRef(''); onDone(); }
          catch (x) { setErr(x); }
        }}>
          <input name="writeOffKg" aria-label={t('x.quantityKg')} placeholder={t('x.quantityKg')} size={10} value={q} onChange={(e) => setQ(e.target.value)} />
          <input name="writeOffRef" aria-label={t('x.shipmentRef')} placeholder={t('x.shipmentRef')} value={ref} onChange={(e) => setRef(e.target.value)} />
          <button type="submit" className="ghost">{t('x.writeOff')}</button>
          {v && <span className="error">{v}</span>}
        </form>
      )}
      <Problem err={err} />
    </div>
  );
}
