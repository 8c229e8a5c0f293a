import { useEffect, useMemo, useRef, useState } from 'react';
import { all, live, post, type Me } from './api.ts';
import { useT } from './i18n.tsx';

const RANK: Record<string, number> = { critical: 3, warning: 2, info: 1 };
const DISPOSITIONS = ['false_alarm', 'driver_contacted', 'unit_dispatched', 'violation_confirmed'];
const INCIDENTS = ['deviated_from_route', 'seal_broken', 'goods_transferred', 'goods_unloaded', 'carrier_unable_to_continue', 'means_of_transport_changed'];
const TYPES = ['route_deviation', 'unauthorised_stop', 'seal_opened', 'tamper', 'low_battery', 'signal_lost', 'overdue'];

/** A short beep through WebAudio: no sound file to ship, and only after the user turned sound on. */
function beep() {
  const ac = new AudioContext(), o = ac.createOscillator(), g = ac.createGain();
  o.frequency.value = 880; g.gain.value = 0.15; o.connect(g); g.connect(ac.destination);
  o.start(); o.stop(ac.currentTime + 0.25); o.onended = () => void ac.close();
}

const ago = (iso: string) => { const m = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000)); return m < 60 ? `${m}m` : m < 1440 ? `${Math.floor(m / 60)}h${m % 60}m` : `${Math.floor(m / 1440)}d`; };

export function AlertsPage({ me }: { me: Me }) {
  const t = useT();
  const [alerts, setAlerts] = useState<Map<string, any>>(new Map());
  const [f, setF] = useState({ state: 'unresolved', severity: '', type: '' });
  const [sound, setSound] = useState(localStorage.getItem('onelock.sound') === '1');
  const [resolving, setResolving] = useState<any | null>(null);
  const [err, setErr] = useState('');
  const soundRef = useRef(sound); soundRef.current = sound;
  const customs = me.role !== 'enterprise';

  useEffect(() => {
    let stop = () => {};
    const load = () => all('/api/v1/alerts', 1000).then((xs) => setAlerts(new Map(xs.map((a) => [a.id, a]))));
    void load();
    stop = live({ positions: 'none', alerts: true }, (m) => {
      if (m.type !== 'event' || m.kind !== 'alert') return;
      const a = m.data;
      setAlerts((prev) => {
        if (a.severity === 'critical' && a.state === 'open' && !prev.has(a.id) && soundRef.current) beep();
        return new Map(prev).set(a.id, a);
      });
    }, () => void load());
    return stop;
  }, []);

  const rows = useMemo(() => [...alerts.values()]
    .filter((a) => (f.state === 'unresolved' ? a.state !== 'resolved' : !f.state || a.state === f.state) && (!f.severity || a.severity === f.severity) && (!f.type || a.type === f.type))
    .sort((a, b) => (RANK[b.severity] - RANK[a.severity]) || Date.parse(a.firstAt) - Date.parse(b.firstAt)), [alerts, f]);
  const critOpen = rows.filter((a) => a.severity === 'critical' && a.state === 'open').length;
  const upd = (a: any) => setAlerts((p) => new Map(p).set(a.id, a));

  return (
    <div className="page">
      {critOpen > 0 && <div className="crit-banner" data-testid="crit-banner">⚠ {t('criticalBanner')}: {critOpen}</div>}
      <div className="toolbar">
        <select aria-label={t('state')} value={f.state} onChange={(e) => setF({ ...f, state: e.target.value })}>
          <option value="unresolved">{t('open')} + {t('acknowledged')}</option><option value="">{t('all')}</option>
          {['open', 'acknowledged', 'resolved'].map((s) => <option key={s} value={s}>{t(s)}</option>)}
        </select>
        <select aria-label={t('severity')} value={f.severity} onChange={(e) => setF({ ...f, severity: e.target.value })}>
          <option value="">{t('severity')}: {t('all')}</option>{['critical', 'warning', 'info'].map((s) => <option key={s} value={s}>{t(s)}</option>)}
        </select>
        <select aria-label={t('type')} value={f.type} onChange={(e) => setF({ ...f, type: e.target.value })}>
          <option value="">{t('type')}: {t('all')}</option>{TYPES.map((s) => <option key={s} value={s}>{t(s)}</option>)}
        </select>
        <label className="check"><input type="checkbox" checked={sound} onChange={(e) => { setSound(e.target.checked); localStorage.setItem('onelock.sound', e.target.checked ? '1' : '0'); if (e.target.checked) beep(); }} /> {t('sound')}</label>
        {err && <span className="error">{err}</span>}
      </div>
      <table className="grid" data-testid="alert-table">
        <thead><tr><th>{t('severity')}</th><th>{t('type')}</th><th>{t('state')}</th><th>{t('age')}</th><th>{t('trip')}</th>{customs && <th>{t('actions')}</th>}</tr></thead>
        <tbody>
          {rows.length === 0 && <tr><td colSpan={6}>{t('noAlerts')}</td></tr>}
          {rows.map((a) => (
            <tr key={a.id} className={`sev-${a.severity} st-${a.state}`} data-alert={a.id}>
              <td><span className={`badge ${a.severity}`}>{t(a.severity)}</span></td>
              <td>{t(a.type)}{a.late ? ' (late)' : ''}{a.occurrences > 1 ? ` ×${a.occurrences}` : ''}</td>
              <td data-testid="alert-state">{t(a.state)}{a.disposition ? ` · ${t(a.disposition)}` : ''}</td>
              <td title={a.firstAt}>{ago(a.firstAt)}</td>
              <td><a href={`#/trip/${a.tripId}`}>{a.tripId}</a></td>
              {customs && <td>
                {a.state === 'open' && <button onClick={() => post(`/api/v1/alerts/${a.id}/acknowledge`, {}).then(upd, (e) => setErr(e.message))}>{t('acknowledge')}</button>}
                {a.state !== 'resolved' && <button onClick={() => setResolving(a)}>{t('resolve')}</button>}
              </td>}
            </tr>
          ))}
        </tbody>
      </table>
      {resolving && <ResolveDialog alert={resolving} onClose={() => setResolving(null)} onDone={(a) => { upd(a); setResolving(null); }} />}
    </div>
  );
}

function ResolveDialog({ alert, onClose, onDone }: { alert: any; onClose: () => void; onDone: (a: any) => void }) {
  const t = useT();
  const [disposition, setD] = useState(''), [incidentCode, setI] = useState(''), [comment, setC] = useState(''), [err, setErr] = useState('');
  return (
    <div className="modal" role="dialog">
      <form onSubmit={async (e) => {
        e.preventDefault();
        if (!disposition || !comment.trim()) return setErr(t('required'));
        try { onDone(await post(`/api/v1/alerts/${alert.id}/resolve`, { disposition, comment, ...(incidentCode ? { incidentCode } : {}) })); }
        catch (x: any) { setErr(x.message); }
      }}>
        <h3>{t('resolve')}: {t(alert.type)}</h3>
        <label>{t('disposition')}<select name="disposition" value={disposition} onChange={(e) => setD(e.target.value)}><option value="">–</option>{DISPOSITIONS.map((d) => <option key={d} value={d}>{t(d)}</option>)}</select></label>
        <label>{t('incidentCode')}<select name="incidentCode" value={incidentCode} onChange={(e) => setI(e.target.value)}><option value="">{t('none')}</option>{INCIDENTS.map((d) => <option key={d} value={d}>{t(d)}</option>)}</select></label>
        <label>{t('comment')}<textarea name="comment" value={comment} onChange={(e) => setC(e.target.value)} /></label>
        {err && <p className="error">{err}</p>}
        <div className="row"><button type="submit">{t('submit')}</button><button type="button" onClick={onClose}>{t('cancel')}</button></div>
      </form>
    </div>
  );
}
