import { useEffect, useState } from 'react';
import { all, post } from '../api.ts';
import { useT } from '../i18n.tsx';
import { applicationBody, blankApplication, CONVEYANCE_MODES, PACKAGE_TYPES, validateApplication, type ApplicationFormValues } from './application-form.ts';
import { commodities, requirementFor } from './seed.ts';
import { Problem } from './Problem.tsx';
import { ApplicationsTable } from './ApplicationsTable.tsx';
import { RequirementSummary } from './RequirementSummary.tsx';

/** An exporter lodges an inspection application (申请报检) and follows its own applications below the form. */
export function ApplyPage() {
  const t = useT();
  const [reqs, setReqs] = useState<any[]>([]);
  const [facilities, setFacilities] = useState<{ orchards: any[]; packingHouses: any[] }>({ orchards: [], packingHouses: [] });
  const [f, setF] = useState<ApplicationFormValues>(blankApplication);
  const [errs, setErrs] = useState<Record<string, string>>({});
  const [serverErr, setServerErr] = useState<unknown>(null);
  const [done, setDone] = useState<any>(null);
  const [gen, setGen] = useState(0);
  useEffect(() => {
    all('/api/v1/requirements').then(setReqs, setServerErr);
    Promise.all([all('/api/v1/orchards'), all('/api/v1/packing-houses')]).then(([orchards, packingHouses]) => setFacilities({ orchards, packingHouses }), setServerErr);
  }, []);
  const countries = [...new Map(reqs.map((r) => [r.country, r.countryName])).entries()].sort((a, b) => a[0].localeCompare(b[0]));
  const req = f.destination ? requirementFor(reqs, f.destination, f.commodity) : undefined;
  const set = (k: keyof ApplicationFormValues) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const err = (k: string) => errs[k] && <em className="error" data-error-for={k}>{t(errs[k])}</em>;
  const field = (k: keyof ApplicationFormValues, label: string, extra: Record<string, unknown> = {}) => (
    <label>{t(label)}{extra.required ? ' *' : ''}<input name={k} value={f[k]} onChange={set(k)} {...extra} required={undefined} />{err(k)}</label>
  );

  return (
    <div className="export-apply">
      <form className="panel" noValidate data-testid="apply-form" onSubmit={async (e) => {
        e.preventDefault(); setServerErr(null); setDone(null);
        const v = validateApplication(f, req);
        setErrs(v);
        if (Object.keys(v).length) return;
        try {
          const a = await post('/api/v1/inspection-applications', applicationBody(f));
          setDone(a); setF({ ...blankApplication, commodity: f.commodity, destination: f.destination }); setGen((g) => g + 1);
        } catch (x: any) {
          setServerErr(x);
          // every refusal that names a field is also shown at the field
          const byField: Record<string, string> = {};
          for (const r of x.body?.errors?.reasons ?? []) if (r.field) byField[r.field === 'packages' ? 'packageCount' : r.field.split('.')[0] === 'consignee' ? 'consigneeName' : r.field] = r.message;
          setErrs(byField);
        }
      }}>
        <h2>{t('x.applyTitle')}</h2>
        <div className="form-grid four">
          <label>{t('x.commodity')} *<select name="commodity" value={f.commodity} onChange={set('commodity')}>
            {commodities.map((c) => <option key={c.code} value={c.code}>{c.nameZh} {c.nameEn}{c.perishable ? ` · ${t('x.perishable')}` : ''}</option>)}
          </select>{err('commodity')}</label>
          <label>{t('x.destination')} *<select name="destination" value={f.destination} onChange={set('destination')}>
            <option value="">–</option>{countries.map(([c, n]) => <option key={c} value={c}>{c} {n}</option>)}
          </select>{err('destination')}</label>
          {field('quantityKg', 'x.quantityKg', { inputMode: 'decimal', required: true })}
          <label>{t('packages')} *<span className="pair"><input name="packageCount" inputMode="numeric" value={f.packageCount} onChange={set('packageCount')} />
            <select name="packageType" aria-label={t('x.packageType')} value={f.packageType} onChange={set('packageType')}>{PACKAGE_TYPES.map((p) => <option key={p} value={p}>{p} {t(`x.pkg.${p}`)}</option>)}</select></span>{err('packageCount')}</label>
          {field('consigneeName', 'x.consignee', { required: true })}
          <label>{t('x.consigneeAddress')}<textarea name="consigneeAddress" rows={2} value={f.consigneeAddress} onChange={set('consigneeAddress')} />{err('consigneeAddress')}</label>
          <label>{t('x.exporterAddress')}<textarea name="exporterAddress" rows={2} value={f.exporterAddress} onChange={set('exporterAddress')} />{err('exporterAddress')}</label>
          <label>{t('x.conveyance')} *<span className="pair"><select name="conveyanceMode" value={f.conveyanceMode} onChange={set('conveyanceMode')}>{CONVEYANCE_MODES.map((m) => <option key={m} value={m}>{t(`x.mode.${m}`)}</option>)}</select>
            <input name="conveyanceName" placeholder={t('x.conveyanceName')} value={f.conveyanceName} onChange={set('conveyanceName')} /></span></label>
          {field('orchardRegNo', 'x.orchard', { list: 'own-orchards', required: req?.registeredOrchardRequired })}
          {field('packingHouseRegNo', 'x.packingHouse', { list: 'own-packing-houses', required: req?.registeredPackingHouseRequired })}
          {field('importPermitNo', 'x.importPermit', { required: req?.importPermitRequired })}
          <label>{t('x.pointOfEntry')}<span className="pair"><input name="pointOfEntryName" list="entry-points" placeholder={t('x.name')} value={f.pointOfEntryName} onChange={set('pointOfEntryName')} />
            <input name="pointOfEntryLocode" placeholder="UN/LOCODE" size={7} value={f.pointOfEntryLocode} onChange={set('pointOfEntryLocode')} /></span>{err('pointOfEntryName')}{err('pointOfEntryLocode')}</label>
        </div>
        <datalist id="own-orchards">{facilities.orchards.map((o) => <option key={o.id} value={o.regNo}>{o.name} · {t(`x.fs.${o.status}`)}</option>)}</datalist>
        <datalist id="own-packing-houses">{facilities.packingHouses.map((o) => <option key={o.id} value={o.regNo}>{o.name} · {t(`x.fs.${o.status}`)}</option>)}</datalist>
        <datalist id="entry-points">{(req?.pointsOfEntry ?? []).map((p: string) => <option key={p} value={p} />)}</datalist>
        {req ? <RequirementSummary req={req} compact /> : f.destination && <p className="muted">{t('x.noRequirement')}</p>}
        <div className="row"><button type="submit" data-testid="apply-submit">{t('x.lodgeApplication')}</button></div>
        <Problem err={serverErr} />
        {done && <div className="msg ok" role="status" data-testid="apply-msg">{t('x.applicationLodged')}: <b>{done.id}</b> · <a href={`#/exports/appointments/${done.id}`}>{t('x.bookForIt')}</a>
          {done.warnings?.length ? <ul className="warnings">{done.warnings.map((w: string, i: number) => <li key={i}>{w}</li>)}</ul> : null}</div>}
      </form>
      <h3>{t('x.myApplications')}</h3>
      <ApplicationsTable key={gen} staff={false} />
    </div>
  );
}
