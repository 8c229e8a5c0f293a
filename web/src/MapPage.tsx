import { useEffect, useRef, useState } from 'react';
import type * as maplibregl from 'maplibre-gl';
import { get, live, type Me } from './api.ts';
import { useT } from './i18n.tsx';
import { createMap, addArrowIcon, addRoutesAndPlaces, STATE_COLOURS, ALERT_COLOURS } from './map-base.ts';

interface Truck { tripId: string; state: string; plate: string | null; lat: number | null; lon: number | null; heading: number | null; speedKmh: number | null; fixTime: string | null; alertSeverity: string | null; alerts?: Record<string, string> }
const RANK: Record<string, number> = { info: 1, warning: 2, critical: 3 };

const stateMatch = ['match', ['get', 'state'], ...Object.entries(STATE_COLOURS).flat(), '#2563eb'] as any;

/** The live map: every active trip, clustered when zoomed out, updated from the WebSocket. */
export function MapPage({ me }: { me: Me }) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const [count, setCount] = useState(0);
  const [sel, setSel] = useState<Truck | null>(null);
  const [connected, setConnected] = useState(false);
  const trucks = useRef(new Map<string, Truck>());
  const selId = useRef<string | null>(null);

  useEffect(() => {
    const map = createMap(box.current!);
    let dirty = false, timer: number | undefined, stopLive = () => {};
    const toGeo = () => ({ type: 'FeatureCollection' as const, features: [...trucks.current.values()].filter((x) => x.lat !== null).map((x) => ({
      type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [x.lon!, x.lat!] },
      properties: { tripId: x.tripId, state: x.state, heading: x.heading ?? 0, alert: x.alertSeverity ?? 'none', crit: x.alertSeverity === 'critical' ? 1 : 0 },
    })) });
    // Many fixes arrive per second; redraw at most twice a second so 5,000 trucks stay fluid.
    const flush = () => {
      timer = undefined; if (!dirty) return; dirty = false;
      (map.getSource('trips') as maplibregl.GeoJSONSource | undefined)?.setData(toGeo());
      setCount(trucks.current.size);
      if (selId.current) setSel({ ...trucks.current.get(selId.current)! });
    };
    const touch = () => { dirty = true; timer ??= window.setTimeout(flush, 500); };
    const load = async () => {
      const snap = await get<{ items: Truck[] }>('/api/v1/live/snapshot');
      trucks.current.clear();
      for (const x of snap.items) trucks.current.set(x.tripId, x);
      touch();
    };
    (window as any).__onelock = { map, trucks: trucks.current, get size() { return trucks.current.size; } };
    map.on('load', async () => {
      addArrowIcon(map);
      await addRoutesAndPlaces(map);
      map.addSource('trips', { type: 'geojson', data: toGeo(), cluster: true, clusterRadius: 45, clusterMaxZoom: 9, clusterProperties: { crit: ['+', ['get', 'crit']] } });
      map.addLayer({ id: 'clusters', type: 'circle', source: 'trips', filter: ['has', 'point_count'], paint: {
        'circle-color': ['case', ['>', ['get', 'crit'], 0], '#dc2626', '#2563eb'], 'circle-opacity': 0.8, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2,
        'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 12, 100, 22, 1000, 34] } });
      map.addLayer({ id: 'truck-halo', type: 'circle', source: 'trips', filter: ['!', ['has', 'point_count']], paint: {
        'circle-radius': 11, 'circle-color': ['match', ['get', 'alert'], 'critical', ALERT_COLOURS.critical, 'warning', ALERT_COLOURS.warning, 'info', ALERT_COLOURS.info, '#ffffff'],
        'circle-opacity': ['match', ['get', 'alert'], 'none', 0.85, 0.55], 'circle-stroke-width': 1, 'circle-stroke-color': '#334155' } });
      map.addLayer({ id: 'trucks', type: 'symbol', source: 'trips', filter: ['!', ['has', 'point_count']],
        layout: { 'icon-image': 'arrow', 'icon-size': 0.6, 'icon-rotate': ['get', 'heading'], 'icon-rotation-alignment': 'map', 'icon-allow-overlap': true, 'icon-ignore-placement': true },
        paint: { 'icon-color': stateMatch } });
      map.on('click', 'clusters', async (e) => {
        const f = e.features![0];
        const z = await (map.getSource('trips') as maplibregl.GeoJSONSource).getClusterExpansionZoom(f.properties.cluster_id);
        map.easeTo({ center: (f.geometry as any).coordinates, zoom: z });
      });
      const pick = (e: maplibregl.MapLayerMouseEvent) => { const id = e.features![0].properties.tripId; selId.current = id; setSel({ ...trucks.current.get(id)! }); };
      map.on('click', 'trucks', pick); map.on('click', 'truck-halo', pick);
      for (const l of ['clusters', 'trucks', 'truck-halo']) { map.on('mouseenter', l, () => { map.getCanvas().style.cursor = 'pointer'; }); map.on('mouseleave', l, () => { map.getCanvas().style.cursor = ''; }); }
      await load();
      stopLive = live({ positions: 'all', alerts: true }, (m) => {
        setConnected(true);
        if (m.type !== 'event') return;
        const d = m.data;
        if (m.kind === 'position') {
          const x = trucks.current.get(d.tripId) ?? { tripId: d.tripId, state: 'in_transit', plate: null, alertSeverity: null } as Truck;
          Object.assign(x, { lat: d.lat, lon: d.lon, heading: d.heading, speedKmh: d.speedKmh, fixTime: d.fixTime });
          trucks.current.set(d.tripId, x);
        } else if (m.kind === 'alert' && d.tripId) {
          const x = trucks.current.get(d.tripId); if (!x) return;
          x.alerts ??= {};
          if (d.state === 'resolved') delete x.alerts[d.id]; else x.alerts[d.id] = d.severity;
          const worst = Object.values(x.alerts).sort((a, b) => RANK[b] - RANK[a])[0];
          x.alertSeverity = worst ?? null;
        }
        touch();
      }, () => void load());
      setConnected(true);
    });
    return () => { stopLive(); if (timer) clearTimeout(timer); map.remove(); };
  }, [me.id]);

  return (
    <div className="map-page">
      <div ref={box} className="map" data-testid="map" />
      <div className="map-legend">
        <div><b data-testid="truck-count">{t('activeTrips')}: {count}</b> <span className={connected ? 'dot ok' : 'dot'} title={connected ? t('live') : t('reconnecting')} /></div>
        {['in_transit', 'at_boundary', 'handed_over', 'held'].map((s) => <div key={s}><i style={{ background: STATE_COLOURS[s] }} />{t(s)}</div>)}
        {['critical', 'warning'].map((s) => <div key={s}><i className="ring" style={{ borderColor: ALERT_COLOURS[s] }} />{t(s)}</div>)}
      </div>
      {sel && (
        <aside className="trip-panel" data-testid="trip-panel">
          <button className="close" onClick={() => { selId.current = null; setSel(null); }}>×</button>
          <h3>{sel.plate ?? sel.tripId}</h3>
          <dl>
            <dt>{t('trip')}</dt><dd>{sel.tripId}</dd>
            <dt>{t('state')}</dt><dd>{t(sel.state)}</dd>
            <dt>{t('speed')}</dt><dd>{sel.speedKmh ?? '–'} km/h · {sel.heading ?? '–'}°</dd>
            <dt>{t('alert')}</dt><dd>{sel.alertSeverity ? t(sel.alertSeverity) : t('none')}</dd>
            <dt>GPS</dt><dd>{sel.fixTime ? new Date(sel.fixTime).toLocaleString() : '–'}</dd>
          </dl>
          <a className="btn" href={`#/trip/${sel.tripId}`}>{t('openTrip')}</a>
        </aside>
      )}
    </div>
  );
}
