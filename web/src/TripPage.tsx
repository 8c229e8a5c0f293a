import { useEffect, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import { get, type Me } from './api.ts';
import { useT } from './i18n.tsx';
import { createMap, addArrowIcon, addRoutesAndPlaces } from './map-base.ts';

interface Fix { fixTime: string; lat: number; lon: number; speedKmh: number; heading: number; late: boolean; lockEvents: string[] }
const SPEEDS = [1, 10, 60, 300, 1800];

/** Trip detail: the timeline, goods lines and seal sessions, and a playback of the recorded track. */
export function TripPage({ id }: { id: string; me: Me }) {
  const t = useT();
  const [trip, setTrip] = useState<any>(null), [dec, setDec] = useState<any>(null), [events, setEvents] = useState<any[]>([]), [track, setTrack] = useState<Fix[]>([]);
  const [err, setErr] = useState('');
  useEffect(() => {
    (async () => {
      const tr = await get(`/api/v1/trips/${id}`); setTrip(tr);
      const [d, ev, tk] = await Promise.all([get(`/api/v1/declarations/${tr.declarationId}`).catch(() => null), get(`/api/v1/trips/${id}/events`), get(`/api/v1/trips/${id}/track`)]);
      setDec(d); setEvents(ev.items); setTrack(tk.items.map((p: any) => ({ ...p, fixTime: new Date(p.fixTime).toISOString() })));
    })().catch((e) => setErr(e.message));
  }, [id]);
  if (err) return <div className="page error">{err}</div>;
  if (!trip) return <div className="page">{t('loading')}</div>;
  return (
    <div className="trip-page">
      <section className="trip-side">
        <a href="#/map">← {t('back')}</a>
        <h2>{t('trip')} {trip.id}</h2>
        <p><span className="badge">{t(trip.state)}</span> {t(trip.direction)} · {t('deadline')} {new Date(trip.deadlineAt).toLocaleString()}</p>
        <h3>{t('timeline')}</h3>
        <ol className="timeline" data-testid="timeline">
          {events.map((e, i) => <li key={i} className={`ev-${e.kind}`}><time>{new Date(e.at).toLocaleString()}</time> <b>{t(e.kind === 'gate' ? 'passage' : e.kind)}</b> {t(e.type)}{e.late ? ' (late)' : ''}<div className="muted">{e.summary}</div></li>)}
        </ol>
        <h3>{t('goods')}</h3>
        <table className="grid small"><thead><tr><th>{t('hsCode')}</th><th>{t('description')}</th><th>{t('packages')}</th><th>{t('grossKg')}</th><th>{t('value')}</th></tr></thead>
          <tbody>{(dec?.goods ?? []).map((g: any, i: number) => <tr key={i}><td>{g.hsCode}</td><td>{g.description}</td><td>{g.packages}</td><td>{g.grossKg}</td><td>{g.value} {g.currency}</td></tr>)}</tbody></table>
        <h3>{t('sealSessions')}</h3>
        <ul>{trip.sealSessions.map((s: any) => <li key={s.id}>{s.jurisdiction} · {s.deviceId} · {new Date(s.openedAt).toLocaleString()} → {s.closedAt ? new Date(s.closedAt).toLocaleString() : '…'} {s.closeReason ?? ''}</li>)}</ul>
      </section>
      <Playback track={track} />
    </div>
  );
}

function Playback({ track }: { track: Fix[] }) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [idx, setIdx] = useState(0), [playing, setPlaying] = useState(false), [speed, setSpeed] = useState(60);
  const clock = useRef(0);
  const times = track.map((p) => Date.parse(p.fixTime));

  useEffect(() => {
    const map = createMap(box.current!); mapRef.current = map;
    map.on('load', async () => {
      addArrowIcon(map);
      await addRoutesAndPlaces(map);
      map.addSource('track', { type: 'geojson', data: { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: track.map((p) => [p.lon, p.lat]) } } });
      map.addLayer({ id: 'track', type: 'line', source: 'track', paint: { 'line-color': '#1d4ed8', 'line-width': 3 } });
      map.addSource('cursor', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer({ id: 'cursor', type: 'symbol', source: 'cursor', layout: { 'icon-image': 'arrow', 'icon-size': 0.9, 'icon-rotate': ['get', 'heading'], 'icon-rotation-alignment': 'map', 'icon-allow-overlap': true }, paint: { 'icon-color': '#dc2626' } });
      if (track.length > 1) {
        const b = new maplibregl.LngLatBounds(); for (const p of track) b.extend([p.lon, p.lat]);
        map.fitBounds(b, { padding: 60, duration: 0, maxZoom: 13 });
      }
      (window as any).__onelockPlayback = { map };
      setIdx(0);
    });
    return () => map.remove();
  }, [track]);

  // Moves the cursor to the fix at idx.
  useEffect(() => {
    const p = track[idx]; const src = mapRef.current?.getSource('cursor') as maplibregl.GeoJSONSource | undefined;
    if (p && src) src.setData({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { heading: p.heading }, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } }] });
  }, [idx, track]);

  // Plays in track time: `speed` seconds of recorded time per real second.
  useEffect(() => {
    if (!playing || track.length < 2) return;
    let raf = 0, last = performance.now();
    clock.current = times[idx];
    const step = (now: number) => {
      clock.current += (now - last) * speed; last = now;
      let i = idx; while (i < track.length - 1 && times[i + 1] <= clock.current) i++;
      setIdx((cur) => { let j = cur; while (j < track.length - 1 && times[j + 1] <= clock.current) j++; return j; });
      if (i >= track.length - 1 && clock.current >= times[track.length - 1]) { setPlaying(false); return; }
      raf = requestAnimationFrame(step);
    };
    raf = requestAnimationFrame(step);
    return () => cancelAnimationFrame(raf);
    // idx is read only when playback starts; the loop keeps its own clock
  }, [playing, speed, track]);

  const p = track[idx];
  return (
    <section className="playback">
      <div ref={box} className="map" data-testid="playback-map" />
      <div className="player" data-testid="player">
        <strong>{t('playback')}</strong>
        {track.length === 0 ? <span>{t('noTrack')}</span> : <>
          <button data-testid="play" onClick={() => { if (idx >= track.length - 1) setIdx(0); setPlaying(!playing); }}>{playing ? t('pause') : t('play')}</button>
          <label>{t('speed')} <select data-testid="speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>{SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}</select></label>
          <input data-testid="scrubber" type="range" min={0} max={track.length - 1} value={idx} onChange={(e) => { setPlaying(false); setIdx(Number(e.target.value)); }} />
          <span data-testid="playhead">{idx + 1}/{track.length} · {p ? new Date(p.fixTime).toLocaleString() : ''} · {p?.speedKmh ?? 0} km/h{p?.lockEvents?.length ? ` · ${p.lockEvents.join(',')}` : ''}</span>
        </>}
      </div>
    </section>
  );
}
