import { useEffect, useState } from 'react';
import { post } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Problem } from './Problem.tsx';
import { PACKAGE_TYPES } from './application-form.ts';
import { isKg, kg } from './format.ts';
import { tripsForCertificate } from './BatchPage.tsx';

/** An officer issues a phytosanitary certificate for one shipment; its quantity is written off the batch. */
export function IssueForm({ batch, onDone }: { batch: any; onDone: () => void }) {
  const t = useT();
  const [f, setF] = useState({ quantityKg: String(batch.remainingKg), packageCount: '', packageType: 'BX', shipmentRef: '', distinguishingMarks: '', tripId: '', place: '' });
  const [trips, setTrips] = useState<any[]>([]);
  const [v, setV] = useState(''), [err, setErr] = useState<unknown>(null), [issued, setIssued] = useState<any>(null);
  useEffect(() => { tripsForCertificate().then(setTrips, () => setTrips([])); }, []);
  // after each certificate the next one defaults to what is left
  useEffect(() => setF((x) => ({ ...x, quantityKg: String(batch.remainingKg), shipmentRef: '' })), [batch.remainingKg]);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  return (
    <form className="stack issue-form" data-testid="issue-form" onSubmit={async (e) => {
      e.preventDefault(); setV(''); setErr(null); setIssued(null);
      if (!isKg(f.quantityKg)) return setV(`${t('x.quantityKg')}: ${t('x.v.kg')}`);
      if (Number(f.quantityKg) > batch.remainingKg) return setV(`${t('x.quantityKg')}: ${t('x.v.overRemaining')} ${kg(batch.remainingKg)}`);
      if (f.packageCount && !(/^\d+$/.test(f.packageCount) && Number(f.packageCount) > 0)) return setV(`${t('packages')}: ${t('x.v.wholeCount')}`);
      try {
        const c = await post('/api/v1/certificates', {
          batchId: batch.id, quantityKg: Number(f.quantityKg),
          ...(f.packageCount ? { packages: { count: Number(f.packageCount), typeCode: f.packageType } } : {}),
          ...(f.shipmentRef.trim() ? { shipmentRef: f.shipmentRef.trim() } : {}), ...(f.distinguishingMarks.trim() ? { distinguishingMarks: f.distinguishingMarks.trim() } : {}),
          ...(f.tripId ? { tripId: f.tripId } : {}), ...(f.place.trim() ? { place: f.place.trim() } : {}),
        });
        setIssued(c); onDone();
      } catch (x) { setErr(x); }
    }}>
      <h4>{t('x.issueCertificate')}</h4>
      <div className="row">
        <label>{t('x.quantityKg')}<input name="certQuantityKg" size={10} value={f.quantityKg} onChange={set('quantityKg')} /></label>
        <label>{t('packages')} ({t('x.optional')})<span className="pair"><input name="certPackages" size={6} value={f.packageCount} onChange={set('packageCount')} /><select aria-label={t('x.packageType')} value={f.packageType} onChange={set('packageType')}>{PACKAGE_TYPES.map((p) => <option key={p}>{p}</option>)}</select></span></label>
        <label>{t('x.shipmentRef')}<input name="shipmentRef" size={14} value={f.shipmentRef} onChange={set('shipmentRef')} /></label>
      </div>
      <div className="row">
        <label>{t('x.marks')}<input name="distinguishingMarks" value={f.distinguishingMarks} onChange={set('distinguishingMarks')} /></label>
        <label>{t('x.lockedTrip')}<select name="tripId" value={f.tripId} onChange={set('tripId')}><option value="">{t('none')}</option>{trips.map((x) => <option key={x.id} value={x.id}>{x.id} · {t(x.state)}</option>)}</select></label>
        <label>{t('x.placeOfIssue')}<input name="place" size={12} placeholder="Quanzhou 泉州" value={f.place} onChange={set('place')} /></label>
      </div>
      {v && <p className="error">{v}</p>}
      <Problem err={err} />
      <div className="row"><button type="submit" data-testid="issue-submit">{t('x.issue')}</button>
        {issued && <span className="msg ok" role="status" data-testid="issued-msg">{t('x.issued')}: <a href={`#/verify/${issued.number}`}><b>{issued.number}</b></a></span>}</div>
    </form>
  );
}
