import { Fragment, useEffect, useState } from 'react';
import { all, post, type Me } from '../api.ts';
import { useT } from '../i18n.tsx';
import { listUrl, usePaged } from './usePaged.ts';
import { More, Problem } from './Problem.tsx';
import { FacilityForm } from './FacilityForm.tsx';
import { ReasonDialog } from './ReasonDialog.tsx';
import { PesticideRecords } from './PesticideRecords.tsx';
import { day } from './format.ts';

const KINDS = ['orchards', 'packing-houses'] as const;
const STATUSES = ['active', 'suspended', 'revoked'];

/** Registered orchards (注册果园) and packing houses (包装厂): officers register, suspend and reinstate; an exporter sees its own. */
export function FacilitiesPage({ me }: { me: Me }) {
  const t = useT();
  const staff = me.role !== 'enterprise';
  const [kind, setKind] = useState<(typeof KINDS)[number]>('orchards');
  const [status, setStatus] = useState(''), [regNo, setRegNo] = useState(''), [search, setSearch] = useState('');
  const list = usePaged(listUrl(`/api/v1/${kind}`, { status, regNo: search }));
  const [ents, setEnts] = useState<Map<string, string>>(new Map());
  const [acting, setActing] = useState<{ f: any; action: 'suspend' | 'reinstate' } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => { if (staff) all('/api/v1/enterprises').then((es) => setEnts(new Map(es.map((e) => [e.id, e.name])))).catch(() => {}); }, [staff]);
  return (
    <div>
      <nav className="subtabs">{KINDS.map((k) => <button type="button" key={k} className={kind === k ? 'on' : 'ghost'} data-kind={k} onClick={() => { setKind(k); setOpen(null); }}>{t(`x.${k}`)}</button>)}</nav>
      <form className="toolbar" onSubmit={(e) => { e.preventDefault(); setSearch(regNo.trim()); }}>
        <select aria-label={t('state')} value={status} onChange={(e) => setStatus(e.target.value)}><option value="">{t('state')}: {t('all')}</option>{STATUSES.map((s) => <option key={s} value={s}>{t(`x.fs.${s}`)}</option>)}</select>
        <input aria-label={t('x.regNo')} placeholder={t('x.regNo')} value={regNo} onChange={(e) => setRegNo(e.target.value)} />
        <button type="submit" className="ghost">{t('x.search')}</button>
      </form>
      <Problem err={list.err} />
      <table className="grid small" data-testid="facilities">
        <thead><tr><th>{t('x.regNo')}</th><th>{t('x.name')}</th>{staff && <th>{t('x.owner')}</th>}<th>{t('x.location')}</th><th>{t('state')}</th><th>{t('x.approvedFor')}</th><th>{t('x.commodity')}</th><th>{t('x.validUntil')}</th><th>{t('x.pesticideRecords')}</th><th>{t('actions')}</th></tr></thead>
        <tbody>{list.items.map((f: any) => (<Fragment key={f.id}>
          <tr data-facility={f.regNo} data-status={f.status}>
            <td>{f.regNo}</td><td>{f.name}</td>{staff && <td>{ents.get(f.enterpriseId) ?? f.enterpriseId}</td>}
            <td className="muted">{f.location.type === 'Point' ? f.location.coordinates.map((c: number) => c.toFixed(4)).join(', ') : t('x.polygon')}</td>
            <td><span className={`badge fs-${f.status}`} data-testid="facility-status">{t(`x.fs.${f.status}`)}</span></td>
            <td>{f.approvedDestinations.join(', ')}</td><td>{f.commodities.length ? f.commodities.join(', ') : t('x.any')}</td><td>{day(f.validUntil)}</td>
            <td><button type="button" className="ghost" onClick={() => setOpen(open === f.id ? null : f.id)}>{f.pesticideRecords.length} {open === f.id ? '▴' : '▾'}</button></td>
            <td><div className="row">
              {staff && f.status === 'active' && <button type="button" className="ghost danger" data-testid="suspend" onClick={() => setActing({ f, action: 'suspend' })}>{t('x.suspend')}</button>}
              {staff && f.status === 'suspended' && <button type="button" className="ghost" data-testid="reinstate" onClick={() => setActing({ f, action: 'reinstate' })}>{t('x.reinstate')}</button>}
            </div></td>
          </tr>
          {open === f.id && <tr><td colSpan={staff ? 10 : 9}><PesticideRecords kind={kind} facility={f} onAdded={list.reload} /></td></tr>}
        </Fragment>))}</tbody>
      </table>
      {!list.items.length && !list.loading && <p className="muted">{t('x.nothing')}</p>}
      <More list={list} />
      {staff && <FacilityForm kind={kind} enterprises={ents} onCreated={list.reload} />}
      {acting && <StatusDialog kind={kind} {...acting} onClose={() => setActing(null)} onDone={(x) => { list.replace(x); setActing(null); }} />}
    </div>
  );
}

/** Suspend or reinstate, always with a reason (it goes into the audit log). */
function StatusDialog({ kind, f, action, onClose, onDone }: { kind: string; f: any; action: 'suspend' | 'reinstate'; onClose: () => void; onDone: (x: any) => void }) {
  const t = useT();
  return (
    <ReasonDialog title={`${t(`x.${action}`)}: ${f.regNo} ${f.name}`} submitLabel={t(`x.${action}`)} testId="status-submit" onClose={onClose}
      act={async (reason) => onDone(await post(`/api/v1/${kind}/${f.id}/${action}`, { reason }))} />
  );
}
