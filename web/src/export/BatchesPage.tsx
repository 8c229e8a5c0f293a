import { useState } from 'react';
import { useT } from '../i18n.tsx';
import { listUrl, usePaged } from './usePaged.ts';
import { More, Problem } from './Problem.tsx';
import { commodityOf } from './seed.ts';
import { day, kg } from './format.ts';

export const BATCH_STATES = ['pending', 'passed', 'failed', 'exhausted', 'expired'];

/** Inspection batches (批次), newest first: what remains to be written off and why a batch failed. */
export function BatchesPage() {
  const t = useT();
  const [state, setState] = useState('');
  // Filtered by the server: filtering the loaded page would hide matches on later pages.
  const list = usePaged(listUrl('/api/v1/inspection-batches', { state }));
  return (
    <div>
      <div className="toolbar">
        <select aria-label={t('state')} value={state} onChange={(e) => setState(e.target.value)}><option value="">{t('state')}: {t('all')}</option>{BATCH_STATES.map((s) => <option key={s} value={s}>{t(`x.bs.${s}`)}</option>)}</select>
        <button type="button" className="ghost" onClick={list.reload}>{t('x.refresh')}</button>
      </div>
      <Problem err={list.err} />
      <table className="grid small" data-testid="batches">
        <thead><tr><th>{t('x.batch')}</th><th>{t('x.commodity')}</th><th>{t('x.destination')}</th><th>{t('x.quantity')}</th><th>{t('x.remaining')}</th><th>{t('state')}</th><th>{t('x.expires')}</th><th>{t('reasons')}</th></tr></thead>
        <tbody>{list.items.map((b: any) => (
          <tr key={b.id} data-batch={b.id}>
            <td><a href={`#/exports/batch/${b.id}`}>{b.id}</a></td>
            <td>{commodityOf(b.commodity)?.nameZh ?? b.commodity}</td><td>{b.destination}</td><td>{kg(b.quantityKg)}</td>
            <td><Remaining b={b} /></td>
            <td><span className={`badge bs-${b.state}`}>{t(`x.bs.${b.state}`)}</span></td><td>{day(b.expiresAt)}</td>
            <td className="error">{b.failureReasons?.join('; ')}</td>
          </tr>
        ))}</tbody>
      </table>
      {!list.items.length && !list.loading && <p className="muted">{t('x.nothing')}</p>}
      <More list={list} />
    </div>
  );
}

export function Remaining({ b }: { b: { quantityKg: number; remainingKg: number } }) {
  const pct = b.quantityKg > 0 ? (100 * b.remainingKg) / b.quantityKg : 0;
  return <span className="remaining" data-testid="remaining"><span className="load"><i style={{ width: `${pct}%` }} /></span> {kg(b.remainingKg)}</span>;
}
