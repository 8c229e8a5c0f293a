import { useEffect, useState } from 'react';
import { all, post } from '../api.ts';
import { useT } from '../i18n.tsx';
import { commodityOf } from './seed.ts';
import { listUrl, usePaged } from './usePaged.ts';
import { More, Problem } from './Problem.tsx';
import { kg, when } from './format.ts';

/**
 * Inspection applications, newest first. An exporter sees its own and books from here; an officer works
 * the queue: each application without a batch can be opened as one (批次), then inspected on its page.
 */
export function ApplicationsTable({ staff }: { staff: boolean }) {
  const t = useT();
  const [filter, setFilter] = useState({ destination: '', commodity: '', open: staff });
  // Every filter is applied by the server (a filter over the loaded page would miss matches on later
  // pages), and each application comes with its batch; the destination and commodity choices are
  // every pair the requirements register covers.
  const list = usePaged(listUrl('/api/v1/inspection-applications', { destination: filter.destination, commodity: filter.commodity, batched: filter.open ? 'false' : '' }));
  const [reqs, setReqs] = useState<Array<{ country: string; commodity: string }>>([]);
  const [opening, setOpening] = useState<any | null>(null);
  useEffect(() => { all('/api/v1/requirements').then(setReqs).catch(() => {}); }, []);
  const rows = list.items;
  const dests = [...new Set(reqs.map((r) => r.country))].sort();
  const coms = [...new Set(reqs.map((r) => r.commodity))].sort();
  return (
    <div>
      <div className="toolbar">
        <select aria-label={t('x.destination')} value={filter.destination} onChange={(e) => setFilter({ ...filter, destination: e.target.value })}><option value="">{t('x.destination')}: {t('all')}</option>{dests.map((d) => <option key={d}>{d}</option>)}</select>
        <select aria-label={t('x.commodity')} value={filter.commodity} onChange={(e) => setFilter({ ...filter, commodity: e.target.value })}><option value="">{t('x.commodity')}: {t('all')}</option>{coms.map((c) => <option key={c} value={c}>{commodityOf(c)?.nameZh ?? ''} {c}</option>)}</select>
        <label className="check"><input type="checkbox" checked={filter.open} onChange={(e) => setFilter({ ...filter, open: e.target.checked })} />{t('x.withoutBatch')}</label>
        <button type="button" className="ghost" onClick={list.reload}>{t('x.refresh')}</button>
      </div>
      <Problem err={list.err} />
      <table className="grid small" data-testid="applications">
        <thead><tr><th>{t('x.lodgedAt')}</th>{staff && <th>{t('x.exporter')}</th>}<th>{t('x.commodity')}</th><th>{t('x.destination')}</th><th>{t('x.quantity')}</th><th>{t('packages')}</th><th>{t('x.consignee')}</th><th>{t('x.orchard')} / {t('x.packingHouse')}</th><th>{t('x.notes')}</th><th>{t('x.batch')}</th></tr></thead>
        <tbody>{rows.map((a: any) => {
          const b = a.batch;
          return (
            <tr key={a.id} data-application={a.id}>
              <td><div>{when(a.createdAt)}</div><div className="muted">{a.id}</div></td>
              {staff && <td>{a.exporter?.name}</td>}
              <td>{commodityOf(a.commodity)?.nameZh ?? a.commodity} {a.perishable && <span className="badge green" title={t('x.greenChannel')}>{t('x.perishable')}</span>}</td>
              <td>{a.destination}</td><td>{kg(a.quantityKg)}</td><td>{a.packages?.count} {a.packages?.typeCode}</td><td>{a.consignee?.name}</td>
              <td>{[a.orchardRegNo, a.packingHouseRegNo].filter(Boolean).join(' / ') || '–'}</td>
              <td className="muted">{(a.warnings ?? []).map((w: string) => w.split(':')[0]).join(', ')}</td>
              <td>{b ? <a href={`#/exports/batch/${b.id}`}>{t(`x.bs.${b.state}`)}</a>
                : staff ? <button type="button" data-testid="open-batch" onClick={() => setOpening(a)}>{t('x.openBatch')}</button>
                : <a href={`#/exports/appointments/${a.id}`}>{t('x.book')}</a>}</td>
            </tr>
          );
        })}</tbody>
      </table>
      {!rows.length && !list.loading && <p className="muted">{t('x.nothing')}</p>}
      <More list={list} />
      {opening && <OpenBatchDialog application={opening} onClose={() => setOpening(null)} />}
    </div>
  );
}

/** Open a batch (批次查检单元) from an application; it starts pending inspection. */
function OpenBatchDialog({ application, onClose }: { application: any; onClose: () => void }) {
  const t = useT();
  const [q, setQ] = useState(String(application.quantityKg)), [days, setDays] = useState('30'), [err, setErr] = useState<unknown>(null), [v, setV] = useState('');
  return (
    <div className="modal" role="dialog">
      <form onSubmit={async (e) => {
        e.preventDefault(); setErr(null); setV('');
        if (!(Number(q) > 0)) return setV(t('positive'));
        if (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > 365) return setV(t('x.v.days'));
        try { const b = await post('/api/v1/inspection-batches', { applicationId: application.id, quantityKg: Number(q), validDays: Number(days) }); location.hash = `#/exports/batch/${b.id}`; }
        catch (x) { setErr(x); }
      }}>
        <h3>{t('x.openBatch')}: {application.id}</h3>
        <label>{t('x.quantityKg')}<input name="quantityKg" value={q} onChange={(e) => setQ(e.target.value)} /></label>
        <label>{t('x.validDays')}<input name="validDays" value={days} onChange={(e) => setDays(e.target.value)} /></label>
        {v && <p className="error">{v}</p>}
        <Problem err={err} />
        <div className="row"><button type="submit" data-testid="open-batch-submit">{t('submit')}</button><button type="button" className="ghost" onClick={onClose}>{t('cancel')}</button></div>
      </form>
    </div>
  );
}
