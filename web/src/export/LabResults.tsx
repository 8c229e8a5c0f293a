import { useT } from '../i18n.tsx';
import { when } from './format.ts';

/** Recorded lab results: each residue against the limit that was applied; an exceeded one fails, with the reason. */
export function LabResults({ results }: { results: any[] }) {
  const t = useT();
  if (!results?.length) return <p className="muted">{t('x.noLabResults')}</p>;
  return (
    <>{results.map((l) => (
      <div key={l.id} className="lab-result" data-testid="lab-result" data-pass={String(l.pass)}>
        <p><span className={`badge ${l.pass ? 'pass' : 'critical'}`}>{l.pass ? t('x.pass') : t('x.fail')}</span> {l.lab} · {t('x.sampleId')} {l.sampleId ?? '–'} · {when(l.createdAt)}</p>
        <table className="grid small">
          <thead><tr><th>{t('x.pesticide')}</th><th>{t('x.measured')}</th><th>{t('x.limit')}</th><th>{t('x.source')}</th><th>{t('x.result')}</th></tr></thead>
          <tbody>{l.assessment.findings.map((f: any) => (
            <tr key={f.pesticide} className={f.exceeded ? 'fail' : ''} data-pesticide={f.pesticide} data-exceeded={String(f.exceeded)}>
              <td>{f.pesticide}</td><td>{f.value} mg/kg</td><td>{f.limit === null ? '–' : `${f.limit} mg/kg`}</td><td>{t(`x.src.${f.source}`)}</td>
              <td>{f.exceeded ? <b className="error">✘ {t('x.overLimit')}: {f.value} &gt; {f.limit}</b> : f.limit === null ? t('x.noLimitKnown') : `✔ ${t('x.withinLimit')}`}</td>
            </tr>
          ))}</tbody>
        </table>
        {l.assessment.reasons.length > 0 && <ul className="error" data-testid="lab-reasons">{l.assessment.reasons.map((r: string) => <li key={r}>{r}</li>)}</ul>}
        {l.assessment.noLimit.length > 0 && <p className="muted">{t('x.noLimitReview')}: {l.assessment.noLimit.join(', ')}</p>}
      </div>
    ))}</>
  );
}
