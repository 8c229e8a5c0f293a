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
const basemap = (extra: GeoJSON.Feature[] = []) => ({ type: 'FeatureCollection', features: [
  ...land.features.map((f: any) => ({ ...f, properties: { kind: 'land' } })),
  { type: 'Feature', geometry: borders, properties: { kind: 'border' } },
  ...extra,
] }) as GeoJSON.FeatureCollection;
const SEA = '#cfe3f1';

export const STATE_COLOURS: Record<string, string> = {
  sealed: '#6b7280', accepted: '#6b7280', in_transit: '#2563eb', at_boundary: '#7c3aed', handed_over: '#0891b2', arrived: '#059669',
  unsealed: '#059669', inspection: '#d97706', held: '#b91c1c', suspended: '#d97706', overdue: '#b91c1c',
};
export const ALERT_COLOURS: Record<string, string> = { critical: '#dc2626', warning: '#f59e0b', info: '#3b82f6' };

/**
 * Without a GPU, a frame's cost grows with its pixels. There the map rests at 3/4 of the screen's
 * resolution and drops to half while the camera moves (a pan or zoom is then as fluid as on a GPU,
 * and the slight blur is hidden by the motion); it sharpens again a moment after the camera stops.
 * With a GPU nothing changes.
 */
const SOFTWARE_RESOLUTION = { resting: 0.75, moving: 0.5, settleMs: 250 };
let software: boolean | undefined;
export function softwareGl(): boolean {
  if (software !== undefined) return software;
  const gl = document.createElement('canvas').getContext('webgl2');
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  const renderer = gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : '';
  gl?.getExtension('WEBGL_lose_context')?.loseContext();
  return (software = /swiftshader|llvmpipe|softpipe|software/i.test(renderer));
}

/**
 * A browser without a GPU (VMs, remote desktops, our CI) draws every pixel on the CPU, so a frame
 * costs about what it covers: each full-screen pass is several milliseconds. So the sea is the
 * container's colour, not a background layer; land, borders and route corridors share one source,
 * because every line or fill source costs a full-screen stencil pass (its tile clipping masks) per
 * frame; sources stop making tiles at zoom 10, where their data stops gaining detail; and tiles
 * carry a thin buffer (16 px: the widest line is the corridor, whose half width fits), since a
 * tile's geometry is rasterised over its whole buffer before the mask throws the overlap away.
 */
export function createMap(container: HTMLElement, center: [number, number] = [116.3, 23.4], zoom = 6.2) {
  container.style.background = SEA;
  const map = new maplibregl.Map({
    container, center, zoom, attributionControl: false, fadeDuration: 0,
    ...(softwareGl() ? { pixelRatio: SOFTWARE_RESOLUTION.resting } : {}),
    style: {
      version: 8,
      sources: { basemap: { type: 'geojson', data: basemap(), maxzoom: 10, buffer: 16 } },
      layers: [
        // the coast line draws the edge, so the fill needs no antialiasing outline pass of its own
        { id: 'land', type: 'fill', source: 'basemap', filter: ['==', ['get', 'kind'], 'land'], paint: { 'fill-color': '#f4f1ea', 'fill-antialias': false } },
        { id: 'coast', type: 'line', source: 'basemap', filter: ['==', ['get', 'kind'], 'land'], paint: { 'line-color': '#94a3b8', 'line-width': 0.8 } },
        { id: 'borders', type: 'line', source: 'basemap', filter: ['==', ['get', 'kind'], 'border'], paint: { 'line-color': '#64748b', 'line-width': 1.2, 'line-dasharray': [3, 2] } },
      ],
    },
  });
  // MapLibre shades the sky over every pixel of every frame, even the default transparent sky of a
  // style that sets none: on software GL that one full-screen shader is most of a frame (~40 ms).
  // Our styles set no sky, so there is nothing to draw until one does.
  const draw = map.painter.drawFunctions;
  map.painter.drawFunctions = { ...draw, sky: (...a) => { if (map.getSky()) draw.sky(...a); } };
  if (softwareGl()) {
    const r = SOFTWARE_RESOLUTION;
    let settle: number | undefined, own = false;
    // setPixelRatio resizes the map, and a resize fires movestart/moveend of its own: not a camera move.
    const ratio = (x: number) => { if (map.getPixelRatio() === x) return; own = true; try { map.setPixelRatio(x); } finally { own = false; } };
    map.on('movestart', () => { if (own) return; clearTimeout(settle); ratio(r.moving); });
    map.on('moveend', () => { if (own) return; clearTimeout(settle); settle = window.setTimeout(() => ratio(r.resting), r.settleMs); });
    map.on('remove', () => clearTimeout(settle));
  }
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new ThrottledScale({}), 'bottom-left');
  return map;
}

/**
 * MapLibre's scale bar, redrawn at most four times a second while the camera moves: each redraw
 * is a layout and repaint of the page, which without a GPU costs ~2 ms of every frame of a zoom.
 */
class ThrottledScale extends maplibregl.ScaleControl {
  constructor(options: maplibregl.ScaleControlOptions) {
    super(options);
    const update = this._onMove;
    let last = 0, trailing: number | undefined;
    this._onMove = () => {
      clearTimeout(trailing);
      const wait = 250 - (performance.now() - last);
      if (wait <= 0) { last = performance.now(); update(); } else trailing = window.setTimeout(() => { last = performance.now(); if (this._map) update(); }, wait);
    };
  }
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
  // Routes join the basemap's source (see createMap); their layers follow the basemap's so the
  // source's clipping masks are drawn once for all of them.
  (map.getSource('basemap') as maplibregl.GeoJSONSource).setData(basemap(routes.map((r) => ({ type: 'Feature', geometry: r.geometry, properties: { kind: 'route', id: r.id, name: r.name } }))));
  const isRoute = ['==', ['get', 'kind'], 'route'] as maplibregl.FilterSpecification;
  map.addLayer({ id: 'corridor', type: 'line', source: 'basemap', filter: isRoute, paint: { 'line-color': '#16a34a', 'line-opacity': 0.18, 'line-width': ['interpolate', ['exponential', 2], ['zoom'], 5, 4, 14, 120] } });
  map.addLayer({ id: 'route-line', type: 'line', source: 'basemap', filter: isRoute, paint: { 'line-color': '#15803d', 'line-width': 2 } });
  const pts = places.map((p) => ({ type: 'Feature', geometry: p.geometry.type === 'Point' ? p.geometry : { type: 'Point', coordinates: p.geometry.coordinates[0][0] }, properties: { id: p.id, name: p.name, nameZh: p.nameZh, kind: p.kind } }));
  map.addSource('places', { type: 'geojson', maxzoom: 10, buffer: 16, data: { type: 'FeatureCollection', features: pts as any } });
  map.addLayer({ id: 'places', type: 'circle', source: 'places', paint: { 'circle-radius': 5, 'circle-color': ['match', ['get', 'kind'], 'rest_area', '#a3a3a3', 'boundary_control_point', '#7c3aed', 'land_port', '#0f766e', '#0ea5e9'], 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5 } });
  const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false });
  map.on('mouseenter', 'places', (e) => { const f = e.features![0]; popup.setLngLat((f.geometry as any).coordinates).setHTML(`<b>${f.properties.nameZh ?? ''}</b><br>${f.properties.name}`).addTo(map); });
  map.on('mouseleave', 'places', () => popup.remove());
  return { routes, places };
}
