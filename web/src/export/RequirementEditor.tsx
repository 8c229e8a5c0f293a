import { useState } from 'react';
import { patch } from '../api.ts';
import { useT } from '../i18n.tsx';
import { Problem } from './Problem.tsx';

const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);
type MrlRow = { pesticide: string; mgPerKg: string };

/** Supervisors edit a requirement: only the fields that changed are sent, with the version read and a reason. */
export function RequirementEditor({ req, onClose, onSaved }: { req: any; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [f, setF] = useState({
    registeredOrchardRequired: !!req.registeredOrchardRequired, registeredPackingHouseRequired: !!req.registeredPackingHouseRequired, importPermitRequired: !!req.importPermitRequired,
    additionalDeclaration: req.additionalDeclaration ?? '', quarantinePests: (req.quarantinePests ?? []).join('\n'), pointsOfEntry: (req.pointsOfEntry ?? []).join('\n'),
    treatmentType: req.treatment?.type ?? '', treatmentDescription: req.treatment?.description ?? '', notes: req.notes ?? '', reason: '',
  });
  const [mrls, setMrls] = useState<MrlRow[]>(Object.entries(req.mrls ?? {}).map(([pesticide, m]: [string, any]) => ({ pesticide, mgPerKg: String(m.mgPerKg) })));
  const [v, setV] = useState(''), [err, setErr] = useState<unknown>(null);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const check = (k: 'registeredOrchardRequired' | 'registeredPackingHouseRequired' | 'importPermitRequired') => (
    <label className="check"><input type="checkbox" name={k} checked={f[k]} onChange={(e) => setF({ ...f, [k]: e.target.checked })} />{t(`x.req.${k === 'registeredOrchardRequired' ? 'orchard' : k === 'registeredPackingHouseRequired' ? 'packingHouse' : 'permit'}`)}</label>
  );

  const changes = () => {
    const c: Record<string, unknown> = {};
    for (const k of ['registeredOrchardRequired', 'registeredPackingHouseRequired', 'importPermitRequired'] as const) if (f[k] !== !!req[k]) c[k] = f[k];
    const ad = f.additionalDeclaration.trim() || null;
    if (ad !== (req.additionalDeclaration ?? null)) c.additionalDeclaration = ad;
    const pests = lines(f.quarantinePests);
    if (JSON.stringify(pests) !== JSON.stringify(req.quarantinePests ?? [])) c.quarantinePests = pests;
    const poe = lines(f.pointsOfEntry);
    if (JSON.stringify(poe) !== JSON.stringify(req.pointsOfEntry ?? [])) c.pointsOfEntry = poe;
    const tr = f.treatmentType.trim() ? { ...(req.treatment ?? {}), type: f.treatmentType.trim(), description: f.treatmentDescription.trim() } : null;
    if (JSON.stringify(tr) !== JSON.stringify(req.treatment ?? null)) c.treatment = tr;
    if (f.notes.trim() !== (req.notes ?? '')) c.notes = f.notes.trim();
    const m: Record<string, unknown> = {};
    for (const r of mrls) {
      const p = r.pesticide.trim().toLowerCase();
      const old = req.mrls?.[p];
      m[p] = { ...(old ?? { commodity: req.commodity, sources: [], verified: false }), mgPerKg: Number(r.mgPerKg) };
    }
    if (JSON.stringify(m) !== JSON.stringify(req.mrls ?? {})) c.mrls = m;
    return c;
  };

  return (
    <form className="stack" data-testid="requirement-editor" onSubmit={async (e) => {
      e.preventDefault(); setV(''); setErr(null);
      for (const r of mrls) if (!r.pesticide.trim() || !/^\d+(\.\d+)?$/.test(r.mgPerKg.trim())) return setV(`MRL: ${t('x.v.mgPerKg')}`);
      if (new Set(mrls.map((r) => r.pesticide.trim().toLowerCase())).size !== mrls.length) return setV(`MRL: ${t('x.v.duplicate')}`);
      if (f.treatmentType.trim() && !f.treatmentDescription.trim()) return setV(`${t('x.treatment')}: ${t('required')}`);
      if (!f.reason.trim()) return setV(`${t('reason')}: ${t('required')}`);
      const c = changes();
      if (!Object.keys(c).length) return setV(t('x.v.noChange'));
      try { await patch(`/api/v1/requirements/${req.id}`, { version: req.version, reason: f.reason.trim(), changes: c }); onSaved(); } catch (x) { setErr(x); }
    }}>
      <div className="row">{check('registeredOrchardRequired')}{check('registeredPackingHouseRequired')}{check('importPermitRequired')}</div>
      <label>{t('x.additionalDeclaration')}<textarea name="additionalDeclaration" rows={3} value={f.additionalDeclaration} onChange={set('additionalDeclaration')} /></label>
      <div className="row">
        <label>{t('x.pests')} ({t('x.onePerLine')})<textarea name="quarantinePests" rows={4} cols={30} value={f.quarantinePests} onChange={set('quarantinePests')} /></label>
        <label>{t('x.pointsOfEntry')} ({t('x.onePerLine')})<textarea name="pointsOfEntry" rows={4} cols={24} value={f.pointsOfEntry} onChange={set('pointsOfEntry')} /></label>
      </div>
      <div className="row">
        <label>{t('x.treatment')}<input name="treatmentType" placeholder="cold / fumigation" value={f.treatmentType} onChange={set('treatmentType')} /></label>
        <label className="grow">{t('description')}<input name="treatmentDescription" value={f.treatmentDescription} onChange={set('treatmentDescription')} /></label>
      </div>
      <label>{t('x.notes')}<textarea name="notes" rows={2} value={f.notes} onChange={set('notes')} /></label>
      <h4>MRL (mg/kg)</h4>
      <table className="grid small"><tbody>{mrls.map((r, i) => (
        <tr key={i}>
          <td><input name={`mrl.${i}.pesticide`} aria-label={t('x.pesticide')} value={r.pesticide} onChange={(e) => setMrls(mrls.map((x, j) => (j === i ? { ...x, pesticide: e.target.value } : x)))} /></td>
          <td><input name={`mrl.${i}.mgPerKg`} aria-label="mg/kg" size={8} value={r.mgPerKg} onChange={(e) => setMrls(mrls.map((x, j) => (j === i ? { ...x, mgPerKg: e.target.value } : x)))} /></td>
          <td><button type="button" className="ghost" onClick={() => setMrls(mrls.filter((_, j) => j !== i))}>{t('removeLine')}</button></td>
        </tr>
      ))}</tbody></table>
      <div className="row"><button type="button" className="ghost" onClick={() => setMrls([...mrls, { pesticide: '', mgPerKg: '' }])}>{t('x.addMrl')}</button></div>
      <label>{t('reason')} *<input name="reason" value={f.reason} onChange={set('reason')} /></label>
      {v && <p className="error">{v}</p>}
      <Problem err={err} />
      <div className="row"><button type="submit" data-testid="requirement-save">{t('x.save')}</button><button type="button" className="ghost" onClick={onClose}>{t('cancel')}</button></div>
    </form>
  );
}
