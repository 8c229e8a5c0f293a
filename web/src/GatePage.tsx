import { useEffect, useState } from 'react';
import { get, post } from './api.ts';
import { useT } from './i18n.tsx';

/** Gate console: per lane the latest passage, its decision light with every reason, and an override. */
export function GatePage() {
  const t = useT();
  const [gates, setGates] = useState<any[]>([]);
  const [latest, setLatest] = useState<Record<string, any>>({});
  useEffect(() => {
    let stop = false, timer: number | undefined;
    const poll = async () => {
      const g = (await get('/api/v1/gates')).items; setGates(g);
      const lanes = g.flatMap((x: any) => x.lanes.map((l: any) => l.id));
      const res = await Promise.all(lanes.map((id: string) => get(`/api/v1/passages?laneId=${id}&limit=1`).then((r) => [id, r.items[0] ?? null] as const)));
      if (!stop) { setLatest(Object.fromEntries(res)); timer = window.setTimeout(poll, 3000); }
    };
    void poll();
    return () => { stop = true; clearTimeout(timer); };
  }, []);
  return (
    <div className="page gate">
      {gates.map((g) => (
        <section key={g.id}><h2>{g.name}</h2>
          <div className="lanes">{g.lanes.map((l: any) => <Lane key={l.id} lane={l} p={latest[l.id]} onChanged={(p) => setLatest((x) => ({ ...x, [l.id]: p }))} />)}</div>
        </section>
      ))}
      {!gates.length && <p>{t('loading')}</p>}
    </div>
  );
  function Lane({ lane, p, onChanged }: { lane: any; p: any; onChanged: (p: any) => void }) {
    const [decision, setDecision] = useState('inspect'), [reason, setReason] = useState(''), [err, setErr] = useState('');
    return (
      <div className="lane" data-lane={lane.code}>
        <h3>{t('lane')} {lane.code} <small>{lane.direction}</small></h3>
        {!p ? <p className="muted">{t('noPassage')}</p> : <>
          <div className={`light ${p.effectiveDecision}`} data-testid="decision-light" data-decision={p.effectiveDecision}>{t(p.effectiveDecision)}</div>
          <p className="muted">{(p.inputs.platesRead ?? []).join(' / ')} · {new Date(p.decidedAt).toLocaleTimeString()} · {p.decisionMs.toFixed(1)} ms{p.tripId ? <> · <a href={`#/trip/${p.tripId}`}>{p.tripId}</a></> : null}</p>
          <ul className="reasons">{p.reasons.map((r: any, i: number) => <li key={i} className={r.outcome}><b>{t(r.outcome)}</b> {r.code}: {r.message}</li>)}</ul>
          {p.override ? <p data-testid="override-note"><b>{t('override')}</b>: {t(p.decision)} → {t(p.override.decision)} · {p.override.reason} · {p.override.by}</p> : (
            <form className="row" onSubmit={async (e) => {
              e.preventDefault(); setErr('');
              if (reason.trim().length < 5) return setErr(`${t('reason')} ≥ 5`);
              try { onChanged(await post(`/api/v1/passages/${p.id}/override`, { decision, reason })); } catch (x: any) { setErr(x.message); }
            }}>
              <select aria-label={t('decision')} value={decision} onChange={(e) => setDecision(e.target.value)}>{['release', 'inspect', 'hold'].map((d) => <option key={d} value={d}>{t(d)}</option>)}</select>
              <input aria-label={t('reason')} placeholder={t('reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
              <button type="submit">{t('override')}</button>
              {err && <span className="error">{err}</span>}
            </form>)}
        </>}
      </div>
    );
  }
}
