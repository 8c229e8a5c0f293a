import type * as maplibregl from 'maplibre-gl';
import { STATE_COLOURS, ALERT_COLOURS } from './map-base.ts';

/**
 * One truck marker = one icon: the alert ring and the heading arrow in the trip state's colour,
 * drawn together so the map spends one symbol layer (one draw per tile) on trucks instead of a
 * circle layer plus a symbol layer. Icons are named `truck/<state>/<alert>` and drawn the first
 * time the map asks for one, so only the combinations on screen are ever made.
 */
export const TRUCK_ICON = ['concat', 'truck/', ['get', 'state'], '/', ['get', 'alert']] as any;
const PREFIX = 'truck/';
const RATIO = 2, SIZE = 24; // CSS pixels; drawn at 2× so it stays sharp on high-DPI screens

export function drawTruckIcon(state: string, alert: string): ImageData {
  const px = SIZE * RATIO, c = document.createElement('canvas');
  c.width = c.height = px;
  const g = c.getContext('2d')!;
  g.scale(RATIO, RATIO);
  const mid = SIZE / 2;
  g.beginPath(); g.arc(mid, mid, 11, 0, Math.PI * 2);
  g.globalAlpha = alert === 'none' ? 0.85 : 0.55;
  g.fillStyle = ALERT_COLOURS[alert] ?? '#ffffff'; g.fill();
  g.globalAlpha = 1; g.lineWidth = 1; g.strokeStyle = '#334155'; g.stroke();
  // the arrow of addArrowIcon (32 px box) at 0.6, pointing up = north before icon-rotate
  const k = 0.6, o = mid - 16 * k, pt = (x: number, y: number) => [o + x * k, o + y * k] as const;
  g.beginPath(); g.moveTo(...pt(16, 2)); g.lineTo(...pt(26, 28)); g.lineTo(...pt(16, 22)); g.lineTo(...pt(6, 28)); g.closePath();
  g.fillStyle = STATE_COLOURS[state] ?? '#2563eb'; g.fill();
  return g.getImageData(0, 0, px, px);
}

/** Supplies `truck/<state>/<alert>` icons on demand. */
export function provideTruckIcons(map: maplibregl.Map) {
  map.on('styleimagemissing', (e) => {
    if (!e.id.startsWith(PREFIX) || map.hasImage(e.id)) return;
    const [state, alert] = e.id.slice(PREFIX.length).split('/');
    map.addImage(e.id, drawTruckIcon(state, alert ?? 'none'), { pixelRatio: RATIO });
  });
}
