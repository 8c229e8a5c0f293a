import * as maplibregl from 'maplibre-gl';
// MapLibre looks for its worker next to its own module; after bundling it is a hashed asset.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { feature, mesh } from 'topojson-client';
import countries from 'world-atlas/countries-50m.json';
import { all } from './api.ts';

/**
 * A map with no tile or glyph server: land and boundaries come from the world-atlas npm package,
 * routes and places from the API. Nothing here draws text (that would need glyphs); labels are HTML.
 */
maplibregl.setWorkerUrl(workerUrl);
const topo = countries as any;
const land = feature(topo, topo.objects.land) as any;
const borders = mesh(topo, topo.objects.countries, (a: any, b: any) => a !== b) as any;

export const STATE_COLOURS: Record<string, string> = {
  sealed: '#6b7280', accepted: '#6b7280', in_transit: '#2563eb', at_boundary: '#7c3aed', handed_over: '#0891b2', arrived: '#059669',
  unsealed: '#059669', inspection: '#d97706', held: '#b91c1c', suspended: '#d97706', overdue: '#b91c1c',
};
export const ALERT_COLOURS: Record<string, string> = { critical: '#dc2626', warning: '#f59e0b', info: '#3b82f6' };

export function createMap(container: HTMLElement, center: [number, number] = [116.3, 23.4], zoom = 6.2) {
  const map = new maplibregl.Map({
    container, center, zoom, attributionControl: false, fadeDuration: 0,
    style: {
      version: 8,
      sources: { land: { type: 'geojson', data: land }, borders: { type: 'geojson', data: borders } },
      layers: [
        { id: 'sea', type: 'background', paint: { 'background-color': '#cfe3f1' } },
        { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#f4f1ea' } },
        { id: 'coast', type: 'line', source: 'land', paint: { 'line-color': '#94a3b8', 'line-width': 0.8 } },
        { id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': '#64748b', 'line-width': 1.2, 'line-dasharray': [3, 2] } },
      ],
    },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({}), 'bottom-left');
  return map;
}

/** An arrow drawn once on a canvas, used as an SDF icon so it can take any colour and rotate with the heading. */
export function addArrowIcon(map: maplibregl.Map) {
  const s = 32, c = document.createElement('canvas'); c.width = c.height = s;
  const g = c.getContext('2d')!;
  g.fillStyle = '#000'; g.beginPath(); g.moveTo(s / 2, 2); g.lineTo(s - 6, s - 4); g.lineTo(s / 2, s - 10); g.lineTo(6, s - 4); g.closePath(); g.fill();
  map.addImage('arrow', g.getImageData(0, 0, s, s), { sdf: true });
}

export async function addRoutesAndPlaces(map: maplibregl.Map) {
  const [routes, places] = await Promise.all([all('/api/v1/routes'), all('/api/v1/places')]);
  map.addSource('routes', { type: 'geojson', data: { type: 'FeatureCollection', features: routes.map((r) => ({ type: 'Feature', geometry: r.geometry, properties: { id: r.id, name: r.name } })) } });
  map.addLayer({ id: 'corridor', type: 'line', source: 'routes', paint: { 'line-color': '#16a34a', 'line-opacity': 0.18, 'line-width': ['interpolate', ['exponential', 2], ['zoom'], 5, 4, 14, 120] } });
  map.addLayer({ id: 'route-line', type: 'line', source: 'routes', paint: { 'line-color': '#15803d', 'line-width': 2 } });
  const pts = places.map((p) => ({ type: 'Feature', geometry: p.geometry.type === 'Point' ? p.geometry : { type: 'Point', coordinates: p.geometry.coordinates[0][0] }, properties: { id: p.id, name: p.name, nameZh: p.nameZh, kind: p.kind } }));
  map.addSource('places', { type: 'geojson', data: { type: 'FeatureCollection', features: pts as any } });
  map.addLayer({ id: 'places', type: 'circle', source: 'places', paint: { 'circle-radius': 5, 'circle-color': ['match', ['get', 'kind'], 'rest_area', '#a3a3a3', 'boundary_control_point', '#7c3aed', 'land_port', '#0f766e', '#0ea5e9'], 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5 } });
  const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false });
  map.on('mouseenter', 'places', (e) => { const f = e.features![0]; popup.setLngLat((f.geometry as any).coordinates).setHTML(`<b>${f.properties.nameZh ?? ''}</b><br>${f.properties.name}`).addTo(map); });
  map.on('mouseleave', 'places', () => popup.remove());
  return { routes, places };
}
