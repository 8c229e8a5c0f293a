import { useEffect, useState } from 'react';
import { all, get, type Me } from '../api.ts';
import { useT } from '../i18n.tsx';
import { commodityOf } from './seed.ts';
import { Problem, Reason } from './Problem.tsx';
import { Remaining } from './BatchesPage.tsx';
import { InspectionForm } from './InspectionForm.tsx';
import { LabResultForm } from './LabResultForm.tsx';
import { LabResults } from './LabResults.tsx';
import { IssueForm } from './IssueForm.tsx';
import { WriteOffs } from './WriteOffs.tsx';
import { CertificatesTable } from './CertificatesTable.tsx';
import { kg, when } from './format.ts';

/**
 * One batch, in the order the work happens: inspection and sampling, lab results against the MRLs,
 * then certificates, each written off the batch until it is used up or expires.
 */
export function BatchPage({ id, me }: { id: string; me: Me }) {
  const t = useT();
  const staff = me.role !== 'enterprise';
  const [b, setB] = useState<any>(null), [app, setApp] = useState<any>(null), [req, setReq] = useState<any>(null), [err, setErr] = useState<unknown>(null);
  const [gen, setGen] = useState(0);
  const reload = () => setGen((g) => g + 1);
  useEffect(() => {
    get(`/api/v1/inspection-batches/${id}`).then(async (x) => {
      setB(x);
      const a = await get(`/api/v1/inspection-applications/${x.applicationId}`); setApp(a);
      if (a.requirementId) setReq(await get(`/api/v1/requirements/${a.requirementId}`).catch(() => null));
    }).catch(setErr);
  }, [id, gen]);
  if (err) return <Problem err={err} />;
  if (!b) return <p>{t('loading')}</p>;
  const c = commodityOf(b.commodity);
  return (
    <div className="batch-page" data-testid="batch-page" data-state={b.state}>
      <a href="#/exports/batches">← {t('back')}</a>
      <h2>{t('x.batch')} {b.id} <span className={`badge bs-${b.state}`} data-testid="batch-state">{t(`x.bs.${b.state}`)}</span></h2>
      <div className="kpis small">
        <div><span>{t('x.commodity')}</span><b>{c?.nameZh ?? b.commodity}</b><small>{c?.nameEn} · {c?.scientificName}</small></div>
        <div><span>{t('x.destination')}</span><b>{b.destination}</b><small>{req?.countryName}</small></div>
        <div><span>{t('x.quantity')}</span><b>{kg(b.quantityKg)}</b><small>{app ? `${app.packages.count} ${app.packages.typeCode}` : ''}</small></div>
        <div><span>{t('x.remaining')}</span><b><Remaining b={b} /></b><small>{t('x.expires')} {when(b.expiresAt)}</small></div>
        {app && <div><span>{t('x.exporter')}</span><b className="small">{app.exporter?.name}</b><small>{t('x.consignee')}: {app.consignee?.name}</small></div>}
      </div>
      {b.failureReasons?.length > 0 && <div className="problem" role="alert" data-testid="failure-reasons"><b>{t('x.batchFailed')}</b><ul>{b.failureReasons.map((r: string, i: number) => <li key={i}><Reason text={r} /></li>)}</ul></div>}
      <div className="two-col">
        <section className="panel">
          <h3>{t('x.inspection')}</h3>
          {b.inspection ? <p data-testid="inspection-record">{b.inspection.conform ? `✔ ${t('x.conform')}` : `✘ ${t('x.nonconform')}`} · {t('x.sampleId')} {b.inspection.sampleId ?? '–'} · {b.inspection.by} · {when(b.inspection.at)}{b.inspection.findings ? <><br />{b.inspection.findings}</> : null}</p>
            : staff && b.state === 'pending' ? <InspectionForm batchId={b.id} onDone={reload} /> : <p className="muted">{t('x.notInspected')}</p>}
          <h3>{t('x.labResults')}</h3>
          <LabResults results={b.labResults} />
          {staff && b.inspection && b.state === 'pending' && <LabResultForm batch={b} requirement={req} sampleId={b.inspection.sampleId} onDone={reload} />}
        </section>
        <section className="panel">
          <h3>{t('x.certificates')}</h3>
          <CertificatesTable key={gen} batchId={b.id} me={me} compact onChanged={reload} />
          {staff && b.state === 'passed' && <IssueForm batch={b} onDone={reload} />}
          <h3>{t('x.writeOffs')}</h3>
          <WriteOffs key={`w${gen}`} batch={b} onDone={reload} />
        </section>
      </div>
    </div>
  );
}

/** Active trips a certificate can name, so verification can show the seal chain. */
export const tripsForCertificate = () => all('/api/v1/trips', 400).then((ts) => ts.filter((x: any) => !['closed', 'cancelled'].includes(x.state)));
