import { useEffect, useState } from 'react';
import { all, post } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Problem } from './Problem.tsx';
import { commodities } from './seed.ts';

/** Register an orchard or packing house: owner, a point location, the destinations it is approved for. */
export function FacilityForm({ kind, enterprises, onCreated }: { kind: 'orchards' | 'packing-houses'; enterprises: Map<string, string>; onCreated: () => void }) {
  const t = useT();
  const [countries, setCountries] = useState<string[]>([]);
  const [f, setF] = useState({ regNo: '', name: '', enterpriseId: '', lon: '', lat: '', validUntil: '' });
  const [dest, setDest] = useState<string[]>([]), [coms, setComs] = useState<string[]>([]);
  const [v, setV] = useState(''), [err, setErr] = useState<unknown>(null), [ok, setOk] = useState('');
  useEffect(() => { all('/api/v1/requirements').then((r) => setCountries([...new Set(r.map((x: any) => x.country as string))].sort())).catch(setErr); }, []);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const toggle = (xs: string[], x: string, setter: (v: string[]) => void) => setter(xs.includes(x) ? xs.filter((y) => y !== x) : [...xs, x]);
  return (
    <details className="panel" open={false}>
      <summary data-testid="register-facility">{t(kind === 'orchards' ? 'x.registerOrchard' : 'x.registerPackingHouse')}</summary>
      <form className="stack" data-testid="facility-form" onSubmit={async (e) => {
        e.preventDefault(); setV(''); setErr(null); setOk('');
        const lon = Number(f.lon), lat = Number(f.lat);
        if (!f.regNo.trim() || !f.name.trim() || !f.enterpriseId) return setV(`${t('x.regNo')} / ${t('x.name')} / ${t('x.owner')}: ${t('required')}`);
        if (f.lon === '' || f.lat === '' || !(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90)) return setV(`${t('x.location')}: ${t('x.v.lonLat')}`);
        if (!dest.length) return setV(`${t('x.approvedFor')}: ${t('required')}`);
        try {
          await post(`/api/v1/${kind}`, { regNo: f.regNo.trim(), name: f.name.trim(), enterpriseId: f.enterpriseId, location: { type: 'Point', coordinates: [lon, lat] }, approvedDestinations: dest, ...(coms.length ? { commodities: coms } : {}), ...(f.validUntil ? { validUntil: new Date(`${f.validUntil}T23:59:59+08:00`).toISOString() } : {}) });
          setOk(f.regNo.trim()); setF({ ...f, regNo: '', name: '' }); onCreated();
        } catch (x) { setErr(x); }
      }}>
        <div className="row">
          <label>{t('x.regNo')}<input name="regNo" value={f.regNo} onChange={set('regNo')} /></label>
          <label>{t('x.name')}<input name="name" value={f.name} onChange={set('name')} /></label>
          <label>{t('x.owner')}<select name="enterpriseId" value={f.enterpriseId} onChange={set('enterpriseId')}><option value="">–</option>{[...enterprises].map(([id, n]) => <option key={id} value={id}>{n}</option>)}</select></label>
          <label>{t('x.lon')}<input name="lon" size={9} value={f.lon} onChange={set('lon')} placeholder="118.29" /></label>
          <label>{t('x.lat')}<input name="lat" size={9} value={f.lat} onChange={set('lat')} placeholder="25.32" /></label>
          <label>{t('x.validUntil')}<input type="date" name="validUntil" value={f.validUntil} onChange={set('validUntil')} /></label>
        </div>
        <div className="row"><b>{t('x.approvedFor')}</b>{countries.map((c) => <label key={c} className="check"><input type="checkbox" name={`dest-${c}`} checked={dest.includes(c)} onChange={() => toggle(dest, c, setDest)} />{c}</label>)}</div>
        <div className="row"><b>{t('x.commodity')}</b>{commodities.map((c) => <label key={c.code} className="check"><input type="checkbox" checked={coms.includes(c.code)} onChange={() => toggle(coms, c.code, setComs)} />{c.nameZh}</label>)}<span className="muted">{t('x.noneMeansAny')}</span></div>
        {v && <p className="error">{v}</p>}
        <Problem err={err} />
        <div className="row"><button type="submit" data-testid="facility-submit">{t('x.register')}</button>{ok && <span className="msg ok" role="status">{t('x.registered')}: {ok}</span>}</div>
      </form>
    </details>
  );
}
