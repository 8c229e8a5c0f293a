import { useEffect, useState } from 'react';
import { all, get, type Me } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Problem } from './Problem.tsx';
import { RequirementSummary } from './RequirementSummary.tsx';
import { RequirementEditor } from './RequirementEditor.tsx';
import { RequirementHistory } from './RequirementHistory.tsx';
import { when } from './format.ts';

/** The importing-country requirements register: everyone reads it; supervisors edit, every version kept. */
export function RequirementsPage({ me }: { me: Me }) {
  const t = useT();
  const [rows, setRows] = useState<any[]>([]), [sel, setSel] = useState<string>(''), [err, setErr] = useState<unknown>(null);
  const [cur, setCur] = useState<any>(null), [editing, setEditing] = useState(false), [gen, setGen] = useState(0);
  useEffect(() => { all('/api/v1/requirements').then((r) => { setRows(r.sort((a, b) => a.country.localeCompare(b.country))); if (!sel && r[0]) setSel(r[0].id); }, setErr); }, [gen]);
  useEffect(() => { if (sel) get(`/api/v1/requirements/${sel}`).then(setCur, setErr); }, [sel, gen]);
  const yes = (b: boolean) => (b ? '●' : '○');
  return (
    <div className="two-col wide-left">
      <section>
        <Problem err={err} />
        <table className="grid small" data-testid="requirements">
          <thead><tr><th>{t('x.country')}</th><th>{t('x.commodity')}</th><th title={t('x.req.orchard')}>{t('x.orchardShort')}</th><th title={t('x.req.packingHouse')}>{t('x.packingHouseShort')}</th><th title={t('x.req.permit')}>{t('x.permitShort')}</th><th>{t('x.treatment')}</th><th>MRL</th><th>{t('x.version')}</th></tr></thead>
          <tbody>{rows.map((r) => (
            <tr key={r.id} className={`clickable ${sel === r.id ? 'sel' : ''}`} data-requirement={r.id} onClick={() => { setSel(r.id); setEditing(false); }}>
              <td>{r.country} {r.countryName}{!r.verified && <span className="badge warning">{t('x.unverified')}</span>}</td><td>{r.commodity}</td>
              <td>{yes(r.registeredOrchardRequired)}</td><td>{yes(r.registeredPackingHouseRequired)}</td><td>{yes(r.importPermitRequired)}</td>
              <td>{r.treatment?.type ?? '–'}</td><td>{Object.keys(r.mrls ?? {}).length || t('x.codexOnly')}</td><td>v{r.version}</td>
            </tr>
          ))}</tbody>
        </table>
      </section>
      {cur && <section className="panel" data-testid="requirement-detail">
        <div className="row"><h3>{cur.country} {cur.countryName} · {cur.commodity} <small>v{cur.version} · {when(cur.updatedAt)}</small></h3>
          {me.role === 'supervisor' && !editing && <button type="button" data-testid="edit-requirement" onClick={() => setEditing(true)}>{t('x.edit')}</button>}</div>
        {editing ? <RequirementEditor req={cur} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); setGen((g) => g + 1); }} /> : <>
          <RequirementSummary req={cur} />
          <h4>MRL (mg/kg)</h4>
          {Object.keys(cur.mrls ?? {}).length ? <table className="grid small"><thead><tr><th>{t('x.pesticide')}</th><th>mg/kg</th><th>{t('x.commodity')}</th><th>{t('x.verified')}</th></tr></thead>
            <tbody>{Object.entries(cur.mrls).map(([p, m]: [string, any]) => <tr key={p}><td>{p}</td><td>{m.mgPerKg}</td><td>{m.commodity}</td><td>{m.verified ? '✔' : '–'}</td></tr>)}</tbody></table>
            : <p className="muted">{t('x.codexFallback')}</p>}
        </>}
        <h4>{t('x.history')}</h4>
        <RequirementHistory key={`${cur.id}-${cur.version}`} id={cur.id} />
      </section>}
    </div>
  );
}
