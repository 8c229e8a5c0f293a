import { useEffect, useRef, useState } from 'react';
import type * as maplibregl from 'maplibre-gl';
import { get, live, type Me } from './api.ts';
import { useT } from './i18n.tsx';
import { createMap, addRoutesAndPlaces, STATE_COLOURS, ALERT_COLOURS } from './map-base.ts';
import { LiveTrucks, type Truck } from './live-trucks.ts';
import { TRUCK_ICON, provideTruckIcons } from './truck-icons.ts';

/**
 * Redraw cadence. The feed sends each trip's latest fix at most once a second, in one burst, so the
 * map takes the changes once a second: one re-cluster and one tile reload in the map's worker, one
 * redraw. While the officer pans or zooms, that reload would compete with the camera's frames, so
 * it waits for the camera to stop, but never longer than MOVING_MS, so trucks do not freeze during
 * a long sweep.
 */
const FLUSH_MS = 1000, MOVING_MS = 3000;

/** The live map: every active trip, clustered when zoomed out, updated from the WebSocket. */
export function MapPage({ me }: { me: Me }) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const [count, setCount] = useState(0);
  const [sel, setSel] = useState<Truck | null>(null);
  const [connected, setConnected] = useState(false);
  const board = useRef(new LiveTrucks());
  const selId = useRef<string | null>(null);

  useEffect(() => {
    const map = createMap(box.current!);
    const trucks = board.current;
    let timer: number | undefined, lastFlush = 0, stopLive = () => {};
    const source = () => map.getSource('trips') as maplibregl.GeoJSONSource | undefined;
    const flush = () => {
      timer = undefined;
      const src = source();
      if (!src || !trucks.dirty) return;
      if (map.isMoving() && performance.now() - lastFlush < MOVING_MS) { schedule(); return; }
      lastFlush = performance.now();
      const { all, features } = trucks.takeChanges();
      if (all) void src.setData({ type: 'FeatureCollection', features });
      else if (features.length) void src.updateData({ add: features });
      setCount(trucks.trucks.size);
      if (selId.current) { const x = trucks.trucks.get(selId.current); setSel(x ? { ...x } : null); }
    };
    const schedule = () => { timer ??= window.setTimeout(flush, FLUSH_MS); };
    const load = async () => {
      const snap = await get<{ items: Truck[] }>('/api/v1/live/snapshot');
      trucks.reset(snap.items);
      schedule();
    };
    (window as any).__onelock = { map, trucks: trucks.trucks, received: trucks.received, get size() { return trucks.trucks.size; } };
    provideTruckIcons(map);
    map.on('load', async () => {
      await addRoutesAndPlaces(map);
      // promoteId lets each second's changes go to the worker as a diff keyed by trip; a 32 px tile
      // buffer holds a marker, so fewer trucks are drawn twice (once faded out) by neighbouring tiles.
      map.addSource('trips', { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'tripId', maxzoom: 10, buffer: 32, cluster: true, clusterRadius: 45, clusterMaxZoom: 9, clusterProperties: { crit: ['+', ['get', 'crit']] } });
      map.addLayer({ id: 'clusters', type: 'circle', source: 'trips', filter: ['has', 'point_count'], paint: {
        'circle-color': ['case', ['>', ['get', 'crit'], 0], '#dc2626', '#2563eb'], 'circle-opacity': 0.8, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2,
        'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 12, 100, 22, 1000, 34] } });
      map.addLayer({ id: 'trucks', type: 'symbol', source: 'trips', filter: ['!', ['has', 'point_count']],
        layout: { 'icon-image': TRUCK_ICON, 'icon-rotate': ['get', 'heading'], 'icon-rotation-alignment': 'map', 'icon-allow-overlap': true, 'icon-ignore-placement': true } });
      map.on('click', 'clusters', async (e) => {
        const f = e.features![0];
        const z = await source()!.getClusterExpansionZoom(f.properties.cluster_id);
        map.easeTo({ center: (f.geometry as any).coordinates, zoom: z });
      });
      map.on('click', 'trucks', (e) => {
        const id = e.features![0].properties.tripId, x = trucks.trucks.get(id);
        selId.current = id; setSel(x ? { ...x } : null);
      });
      for (const l of ['clusters', 'trucks']) { map.on('mouseenter', l, () => { map.getCanvas().style.cursor = 'pointer'; }); map.on('mouseleave', l, () => { map.getCanvas().style.cursor = ''; }); }
      await load();
      stopLive = live({ positions: 'all', alerts: true }, (m) => { if (trucks.apply(m)) schedule(); }, () => void load());
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
