import { useEffect, useState } from 'react';
import { all, get, post, type Me } from '../api.ts';
import { useT } from '../i18n.tsx';
import { SlotGrid, type SlotView } from './SlotGrid.tsx';
import { SiteForm } from './SiteForm.tsx';
import { listUrl, usePaged } from './usePaged.ts';
import { More, Problem } from './Problem.tsx';
import { siteClock, siteDate, siteToday } from './format.ts';
import { commodityOf } from './seed.ts';

const STATES = ['booked', 'confirmed', 'done', 'rescheduled', 'no_show', 'cancelled'];

/**
 * Inspection appointments (预约查验): pick a site and day, see its round-the-clock slots, book one for an
 * application (perishables use the green channel), move or cancel a booking; officers also confirm,
 * complete and record no-shows.
 */
export function AppointmentsPage({ me, applicationId }: { me: Me; applicationId?: string }) {
  const t = useT();
  const staff = me.role !== 'enterprise';
  const [sites, setSites] = useState<any[]>([]);
  const [apps, setApps] = useState<any[]>([]);
  const [siteId, setSiteId] = useState('');
  const [dayStr, setDay] = useState('');
  const [slots, setSlots] = useState<SlotView[]>([]);
  const [appId, setAppId] = useState(applicationId ?? '');
  const [selected, setSelected] = useState<string | null>(null);
  const [moving, setMoving] = useState<any | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [msg, setMsg] = useState('');
  const [stateFilter, setStateFilter] = useState('');
  const [gen, setGen] = useState(0);
  const list = usePaged(listUrl('/api/v1/appointments', { state: stateFilter }));
  const site = sites.find((s) => s.id === siteId);

  const loadSites = () => all('/api/v1/inspection-sites').then((s) => { setSites(s); if (!siteId && s[0]) { setSiteId(s[0].id); setDay(siteToday(s[0].utcOffsetMinutes)); } }, setErr);
  useEffect(() => { void loadSites(); all('/api/v1/inspection-applications', 500).then(setApps, setErr); }, []);
  useEffect(() => {
    if (!siteId || !dayStr) return;
    get(`/api/v1/inspection-sites/${siteId}/slots?day=${dayStr}`).then((r) => setSlots(r.items), setErr);
  }, [siteId, dayStr, gen]);
  const app = apps.find((a) => a.id === appId);
  // the commodity decides the green channel, not the booker (an enterprise without an application books general)
  const perishable = moving ? moving.perishable : !!app?.perishable;
  const refresh = () => { setGen((g) => g + 1); list.reload(); };
  const act = async (fn: () => Promise<any>, ok: string) => {
    setErr(null); setMsg('');
    try { await fn(); setMsg(ok); setSelected(null); setMoving(null); refresh(); } catch (x) { setErr(x); refresh(); }
  };
  const siteName = (id: string) => sites.find((s) => s.id === id)?.name ?? id;
  const offsetOf = (id: string) => sites.find((s) => s.id === id)?.utcOffsetMinutes ?? 480;

  return (
    <div className="export-appointments">
      <div className="toolbar">
        <label>{t('x.site')} <select name="siteId" value={siteId} onChange={(e) => { setSiteId(e.target.value); setSelected(null); }}>{sites.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}</select></label>
        <label>{t('x.day')} <input type="date" name="day" value={dayStr} onChange={(e) => { setDay(e.target.value); setSelected(null); }} /></label>
        {!moving && <label>{t('x.application')} <select name="applicationId" value={appId} onChange={(e) => setAppId(e.target.value)}>
          <option value="">{staff ? t('x.noApplication') : t('x.generalGoods')}</option>
          {apps.map((a) => <option key={a.id} value={a.id}>{a.id} · {commodityOf(a.commodity)?.nameZh ?? a.commodity} → {a.destination}</option>)}
        </select></label>}
        {perishable ? <span className="badge green" data-testid="green-channel">{t('x.greenChannel')}</span> : <span className="badge">{t('x.generalGoods')}</span>}
        {site && <span className="muted">{t('x.capacity')} {site.capacityPerSlot} · {t('x.greenShare')} {Math.round(site.perishableReserve * 100)}% · {t('x.leadTime')} {site.minLeadMinutes} min · UTC{site.utcOffsetMinutes >= 0 ? '+' : ''}{site.utcOffsetMinutes / 60}</span>}
      </div>
      {!sites.length && <p className="muted">{t('x.noSites')}</p>}
      {site && <SlotGrid slots={slots} utcOffsetMinutes={site.utcOffsetMinutes} perishable={perishable} selected={selected} onSelect={setSelected} />}
      <div className="legend row muted"><span className="slot-key open" />{t('x.slot.open')}<span className="slot-key green-only" />{t('x.slot.green-only')}<span className="slot-key full" />{t('x.slot.full')}<span className="slot-key closed" />{t('x.slot.closed')}</div>
      <div className="row action-bar">
        {moving ? <>
          <span>{t('x.moving')} {moving.id} ({siteClock(moving.slotStart, offsetOf(moving.siteId))} {siteDate(moving.slotStart, offsetOf(moving.siteId))})</span>
          <button type="button" data-testid="move-here" disabled={!selected} onClick={() => act(() => post(`/api/v1/appointments/${moving.id}/reschedule`, { slotStart: selected }), t('x.rescheduled'))}>{t('x.moveHere')}</button>
          <button type="button" className="ghost" onClick={() => setMoving(null)}>{t('cancel')}</button>
        </> : <button type="button" data-testid="book" disabled={!selected} onClick={() => act(() => post('/api/v1/appointments', { siteId, slotStart: selected, ...(appId ? { applicationId: appId } : {}) }), t('x.booked'))}>
          {t('x.bookSelected')}{selected && site ? ` ${siteClock(selected, site.utcOffsetMinutes)}` : ''}</button>}
        {msg && <span className="msg ok" role="status" data-testid="appointment-msg">{msg}</span>}
      </div>
      <Problem err={err} />

      <h3>{staff ? t('x.appointments') : t('x.myAppointments')}</h3>
      <div className="toolbar"><select aria-label={t('state')} value={stateFilter} onChange={(e) => setStateFilter(e.target.value)}><option value="">{t('state')}: {t('all')}</option>{STATES.map((s) => <option key={s} value={s}>{t(`x.as.${s}`)}</option>)}</select></div>
      <table className="grid small" data-testid="appointments">
        <thead><tr><th>{t('x.slotTime')}</th><th>{t('x.site')}</th><th>{t('x.application')}</th><th>{t('x.channel')}</th><th>{t('state')}</th><th>{t('actions')}</th></tr></thead>
        <tbody>{list.items.map((a: any) => (
          <tr key={a.id} data-appointment={a.id} data-state={a.state}>
            <td>{siteDate(a.slotStart, offsetOf(a.siteId))} {siteClock(a.slotStart, offsetOf(a.siteId))}–{siteClock(a.slotEnd, offsetOf(a.siteId))}<div className="muted">{a.id}</div></td>
            <td>{siteName(a.siteId)}</td><td>{a.applicationId ?? '–'}</td>
            <td>{a.perishable ? <span className="badge green">{t('x.greenChannel')}</span> : t('x.generalGoods')}</td>
            <td><span className={`badge as-${a.state}`} data-testid="appointment-state">{t(`x.as.${a.state}`)}</span>{a.rescheduledTo && <div className="muted">→ {a.rescheduledTo}</div>}{a.rescheduledFrom && <div className="muted">← {a.rescheduledFrom}</div>}</td>
            <td><div className="row">
              {['booked', 'confirmed'].includes(a.state) && <button type="button" className="ghost" onClick={() => { setMoving(a); setSiteId(a.siteId); setDay(siteDate(a.slotStart, offsetOf(a.siteId))); setSelected(null); scrollTo(0, 0); }}>{t('x.reschedule')}</button>}
              {['booked', 'confirmed'].includes(a.state) && <button type="button" className="ghost danger" onClick={() => act(() => post(`/api/v1/appointments/${a.id}/cancel`, {}), t('x.as.cancelled'))}>{t('x.cancelAppointment')}</button>}
              {staff && a.state === 'booked' && <button type="button" onClick={() => act(() => post(`/api/v1/appointments/${a.id}/confirm`, {}), t('x.as.confirmed'))}>{t('x.confirm')}</button>}
              {staff && a.state === 'confirmed' && <button type="button" onClick={() => act(() => post(`/api/v1/appointments/${a.id}/complete`, {}), t('x.as.done'))}>{t('x.complete')}</button>}
              {staff && ['booked', 'confirmed'].includes(a.state) && <button type="button" className="ghost" onClick={() => act(() => post(`/api/v1/appointments/${a.id}/no-show`, {}), t('x.as.no_show'))}>{t('x.noShow')}</button>}
            </div></td>
          </tr>
        ))}</tbody>
      </table>
      {!list.items.length && !list.loading && <p className="muted">{t('x.nothing')}</p>}
      <More list={list} />
      {me.role === 'supervisor' && <SiteForm onCreated={(s) => { void loadSites().then(() => { setSiteId(s.id); setDay(siteToday(s.utcOffsetMinutes)); }); }} />}
    </div>
  );
}
