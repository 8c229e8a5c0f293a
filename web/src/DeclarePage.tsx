import { useEffect, useState } from 'react';
import { all, post } from './api.ts';
import { useT } from './i18n.tsx';

const blank = { hsCode: '', description: '', packages: '', grossKg: '', netKg: '', value: '', currency: 'CNY' };
type Line = typeof blank;
const LABEL: Record<string, string> = { vehicleId: 'vehicle', driverId: 'driver', routeId: 'route', originPlaceId: 'origin', destinationPlaceId: 'destination' };

/** An enterprise lodges a declaration: the form checks what it can before the API checks the rest. */
export function DeclarePage() {
  const t = useT();
  const [opts, setOpts] = useState<{ vehicles: any[]; drivers: any[]; routes: any[]; places: any[] }>({ vehicles: [], drivers: [], routes: [], places: [] });
  const [f, setF] = useState({ direction: 'export', vehicleId: '', driverId: '', routeId: '', originPlaceId: '', destinationPlaceId: '', containerNo: '' });
  const [lines, setLines] = useState<Line[]>([{ ...blank }]);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState('');
  useEffect(() => { Promise.all([all('/api/v1/vehicles'), all('/api/v1/drivers'), all('/api/v1/routes'), all('/api/v1/places')]).then(([vehicles, drivers, routes, places]) => setOpts({ vehicles, drivers, routes, places })); }, []);
  const route = opts.routes.find((r) => r.id === f.routeId);
  const placeOpts = route ? opts.places.filter((p) => route.placeIds.includes(p.id)) : opts.places;

  const validate = () => {
    const e: Record<string, string> = {};
    for (const k of ['vehicleId', 'driverId', 'routeId', 'originPlaceId', 'destinationPlaceId'] as const) if (!f[k]) e[k] = t('required');
    lines.forEach((l, i) => {
      if (!/^\d{4}(\.\d{2}){0,3}$|^\d{6,10}$/.test(l.hsCode)) e[`${i}.hsCode`] = t('hsInvalid');
      if (!l.description.trim()) e[`${i}.description`] = t('required');
      for (const k of ['packages', 'grossKg', 'netKg'] as const) if (!(Number(l[k]) > 0)) e[`${i}.${k}`] = t('positive');
      if (l.value === '' || Number(l.value) < 0) e[`${i}.value`] = t('required');
      if (Number(l.netKg) > Number(l.grossKg)) e[`${i}.netKg`] = t('netOverGross');
    });
    setErrs(e); return Object.keys(e).length === 0;
  };
  const sel = (k: keyof typeof f, items: any[], label: (x: any) => string) => (
    <label>{t(LABEL[k] ?? k)}
      <select name={k} value={f[k]} onChange={(e) => setF({ ...f, [k]: e.target.value })}><option value="">–</option>{items.map((x) => <option key={x.id} value={x.id}>{label(x)}</option>)}</select>
      {errs[k] && <em className="error">{errs[k]}</em>}
    </label>
  );
  return (
    <form className="page declare" noValidate onSubmit={async (e) => {
      e.preventDefault(); setMsg('');
      if (!validate()) return;
      try {
        const d = await post('/api/v1/declarations', { direction: f.direction, vehicleId: f.vehicleId, driverId: f.driverId, routeId: f.routeId, originPlaceId: f.originPlaceId, destinationPlaceId: f.destinationPlaceId, containerNo: f.containerNo || null, submit: true,
          goods: lines.map((l) => ({ hsCode: l.hsCode, description: l.description, packages: Number(l.packages), grossKg: Number(l.grossKg), netKg: Number(l.netKg), value: Number(l.value), currency: l.currency })) });
        setMsg(`${t('lodged')}: ${d.id} (${t(d.state)})`); setLines([{ ...blank }]);
      } catch (x: any) { setMsg(`${t('error')}: ${x.message}`); }
    }}>
      <h2>{t('declare')}</h2>
      <div className="form-grid">
        <label>{t('direction')}<select name="direction" value={f.direction} onChange={(e) => setF({ ...f, direction: e.target.value })}><option value="export">{t('export')}</option><option value="import">{t('import')}</option></select></label>
        {sel('vehicleId', opts.vehicles, (v) => `${v.plateCn ?? ''} ${v.plateHk ?? ''}`)}
        {sel('driverId', opts.drivers, (d) => d.name)}
        {sel('routeId', opts.routes, (r) => r.name)}
        {sel('originPlaceId', placeOpts, (p) => `${p.nameZh ?? ''} ${p.name}`)}
        {sel('destinationPlaceId', placeOpts, (p) => `${p.nameZh ?? ''} ${p.name}`)}
      </div>
      <h3>{t('goods')}</h3>
      <table className="grid goods"><thead><tr>{['hsCode', 'description', 'packages', 'grossKg', 'netKg', 'value', 'currency'].map((k) => <th key={k}>{t(k)}</th>)}<th /></tr></thead>
        <tbody>{lines.map((l, i) => <tr key={i}>
          {(Object.keys(blank) as (keyof Line)[]).map((k) => <td key={k}><input name={`goods.${i}.${k}`} value={l[k]} onChange={(e) => setLines(lines.map((x, j) => (j === i ? { ...x, [k]: e.target.value } : x)))} />{errs[`${i}.${k}`] && <em className="error">{errs[`${i}.${k}`]}</em>}</td>)}
          <td>{lines.length > 1 && <button type="button" onClick={() => setLines(lines.filter((_, j) => j !== i))}>{t('removeLine')}</button>}</td>
        </tr>)}</tbody></table>
      <div className="row"><button type="button" onClick={() => setLines([...lines, { ...blank }])}>{t('addLine')}</button><button type="submit" data-testid="lodge">{t('lodge')}</button></div>
      {msg && <p className="msg" role="status" data-testid="declare-msg">{msg}</p>}
    </form>
  );
}
