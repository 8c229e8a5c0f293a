import { useState } from 'react';
import { post } from '../api.ts';
import { useT } from '../i18n.tsx';
import { codex } from './seed.ts';
import { Problem } from './Problem.tsx';

type Row = { pesticide: string; mgPerKg: string };

/** The limit the server will apply: the destination's own MRL, else Codex (a hint; the server decides). */
export function limitHint(requirement: any, pesticide: string): { limit: number; source: 'country' | 'codex' } | null {
  const p = pesticide.trim().toLowerCase();
  const own = requirement?.mrls?.[p];
  if (own) return { limit: own.mgPerKg, source: 'country' };
  return codex[p] ? { limit: codex[p].mgPerKg, source: 'codex' } : null;
}

/** Residues per pesticide from the lab; one value over the limit fails the batch and blocks certificates. */
export function LabResultForm({ batch, requirement, sampleId, onDone }: { batch: any; requirement: any; sampleId?: string; onDone: () => void }) {
  const t = useT();
  const [lab, setLab] = useState(''), [sample, setSample] = useState(sampleId ?? '');
  const [rows, setRows] = useState<Row[]>([{ pesticide: '', mgPerKg: '' }]);
  const [errs, setErrs] = useState<Record<string, string>>({}), [err, setErr] = useState<unknown>(null);
  const known = [...new Set([...Object.keys(requirement?.mrls ?? {}), ...Object.keys(codex)])].sort();
  const setRow = (i: number, k: keyof Row, v: string) => setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  return (
    <form className="stack" data-testid="lab-form" onSubmit={async (e) => {
      e.preventDefault(); setErr(null);
      const v: Record<string, string> = {};
      if (!lab.trim()) v.lab = t('required');
      rows.forEach((r, i) => {
        if (!r.pesticide.trim()) v[`${i}.pesticide`] = t('required');
        if (!/^\d+(\.\d+)?(e-?\d+)?$/i.test(r.mgPerKg.trim())) v[`${i}.mgPerKg`] = t('x.v.mgPerKg');
      });
      setErrs(v);
      if (Object.keys(v).length) return;
      try {
        await post(`/api/v1/inspection-batches/${batch.id}/lab-results`, { lab: lab.trim(), ...(sample.trim() ? { sampleId: sample.trim() } : {}), residues: rows.map((r) => ({ pesticide: r.pesticide.trim().toLowerCase(), mgPerKg: Number(r.mgPerKg) })) });
        onDone();
      } catch (x) { setErr(x); }
    }}>
      <div className="row">
        <label>{t('x.lab')}<input name="lab" value={lab} onChange={(e) => setLab(e.target.value)} />{errs.lab && <em className="error">{errs.lab}</em>}</label>
        <label>{t('x.sampleId')}<input name="labSampleId" value={sample} onChange={(e) => setSample(e.target.value)} /></label>
      </div>
      <table className="grid small">
        <thead><tr><th>{t('x.pesticide')}</th><th>mg/kg</th><th>{t('x.limit')} ({batch.destination})</th><th /></tr></thead>
        <tbody>{rows.map((r, i) => {
          const h = r.pesticide ? limitHint(requirement, r.pesticide) : null;
          const over = h && r.mgPerKg !== '' && Number(r.mgPerKg) > h.limit;
          return (
            <tr key={i} className={over ? 'fail' : ''}>
              <td><input name={`residues.${i}.pesticide`} list="pesticides" value={r.pesticide} onChange={(e) => setRow(i, 'pesticide', e.target.value)} />{errs[`${i}.pesticide`] && <em className="error">{errs[`${i}.pesticide`]}</em>}</td>
              <td><input name={`residues.${i}.mgPerKg`} inputMode="decimal" size={8} value={r.mgPerKg} onChange={(e) => setRow(i, 'mgPerKg', e.target.value)} />{errs[`${i}.mgPerKg`] && <em className="error">{errs[`${i}.mgPerKg`]}</em>}</td>
              <td className="muted">{h ? `${h.limit} (${t(`x.src.${h.source}`)})` : r.pesticide ? t('x.noLimitKnown') : ''}{over ? ` · ${t('x.overLimit')}` : ''}</td>
              <td>{rows.length > 1 && <button type="button" className="ghost" onClick={() => setRows(rows.filter((_, j) => j !== i))}>{t('removeLine')}</button>}</td>
            </tr>
          );
        })}</tbody>
      </table>
      <datalist id="pesticides">{known.map((p) => <option key={p} value={p} />)}</datalist>
      <Problem err={err} />
      <div className="row"><button type="button" className="ghost" onClick={() => setRows([...rows, { pesticide: '', mgPerKg: '' }])}>{t('x.addResidue')}</button><button type="submit" data-testid="lab-submit">{t('x.recordLab')}</button></div>
    </form>
  );
}
