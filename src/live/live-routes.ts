import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { Type } from 'typebox';
import type { RouteModule } from '../platform/http/app.ts';
import { LiveHub, matches, type LiveEvent, type LiveFilter } from './live-hub.ts';

/**
 * GET /api/v1/live (WebSocket). Client → server messages:
 *   {"subscribe": {"positions": "all" | "none" | {"tripIds": [...]} | {"bbox": [minLon,minLat,maxLon,maxLat]}, "alerts": true},
 *    "lastEventId": 123, "throttleMs": 1000}
 * Server → client: {"type":"hello","lastEventId"}, {"type":"event","id","kind","data"}, {"type":"gap"}, {"type":"error","code","message"}.
 * Positions are throttled per client and trip (the latest fix in each window is sent, 250 ms at least); alerts are never
 * dropped. A client following a few trips ({tripIds} of at most LIVE_FOLLOW_MAX) may ask for throttleMs 0: every fix, as
 * soon as it is stored.
 */
export const LIVE_FOLLOW_MAX = 100;
const MIN_THROTTLE_MS = 250;
export function liveRoutes(hub: LiveHub): RouteModule {
  return async (app) => {
    await app.register(websocket);
    app.get('/api/v1/live', {
      websocket: true,
      config: { roles: ['enterprise', 'officer', 'supervisor'] },
      schema: { tags: ['live'], summary: 'Live positions and alerts over WebSocket (token in Authorization or ?token=)', querystring: Type.Object({ token: Type.Optional(Type.String()) }) },
    }, (socket: WebSocket, req) => {
      const own = req.principal?.role === 'enterprise' ? req.principal.enterpriseId : null;
      const client = new LiveClient(socket, { positions: 'none', alerts: false, enterpriseId: own });
      socket.on('message', (raw) => client.onMessage(String(raw), hub));
      const stop = hub.listen((e) => client.offer(e));
      socket.on('close', () => { stop(); client.close(); });
      client.send({ type: 'hello', lastEventId: hub.lastId });
    });
  };
}

class LiveClient {
  private throttleMs = 1000;
  private asked = 1000;
  private pending = new Map<string, LiveEvent>();
  private timer: NodeJS.Timeout | null = null;
  constructor(private socket: WebSocket, private filter: LiveFilter) {}

  send(m: unknown) { if (this.socket.readyState === 1) this.socket.send(JSON.stringify(m)); }
  private sendEvent(e: LiveEvent) {
    if (this.socket.readyState !== 1) return;
    this.socket.send((e.wire ??= JSON.stringify({ type: 'event', id: e.id, kind: e.kind, data: e.data })));
  }

  onMessage(raw: string, hub: LiveHub) {
    let m: any;
    try { m = JSON.parse(raw); } catch { return this.send({ type: 'error', code: 'malformed_json', message: 'messages must be JSON' }); }
    const sub = m?.subscribe;
    if (!sub || typeof sub !== 'object') return this.send({ type: 'error', code: 'bad_subscription', message: 'expected {"subscribe": {...}}' });
    const p = sub.positions ?? 'none';
    const okPositions = p === 'all' || p === 'none' || (Array.isArray(p?.tripIds) && p.tripIds.every((t: unknown) => typeof t === 'string'))
      || (Array.isArray(p?.bbox) && p.bbox.length === 4 && p.bbox.every((n: unknown) => typeof n === 'number' && Number.isFinite(n)));
    if (!okPositions) return this.send({ type: 'error', code: 'bad_subscription', message: 'positions must be "all", "none", {tripIds:[…]} or {bbox:[minLon,minLat,maxLon,maxLat]}' });
    this.filter = { ...this.filter, positions: p, alerts: !!sub.alerts };
    if (typeof m.throttleMs === 'number' && Number.isFinite(m.throttleMs)) this.asked = m.throttleMs;
    const few = typeof p === 'object' && Array.isArray(p.tripIds) && p.tripIds.length <= LIVE_FOLLOW_MAX;
    this.throttleMs = Math.min(60_000, Math.max(few ? 0 : MIN_THROTTLE_MS, this.asked));
    if (typeof m.lastEventId === 'number') {
      const { events, gap } = hub.since(m.lastEventId);
      if (gap) this.send({ type: 'gap', message: 'some events were older than the buffer; reload state over REST' });
      for (const e of events) if (matches(this.filter, e)) this.sendEvent(e);
    }
    this.send({ type: 'subscribed', filter: { positions: this.filter.positions, alerts: this.filter.alerts }, throttleMs: this.throttleMs });
  }

  offer(e: LiveEvent) {
    if (!matches(this.filter, e)) return;
    if (e.kind === 'alert' || this.throttleMs === 0) return this.sendEvent(e);
    this.pending.set(e.tripId!, e);
    this.timer ??= setTimeout(() => this.flush(), this.throttleMs);
  }

  private flush() {
    this.timer = null;
    const evs = [...this.pending.values()].sort((a, b) => a.id - b.id);
    this.pending.clear();
    // A window's events (up to one per trip: thousands for a map of everything) leave in one
    // writev instead of one write each: ws nests inside an outer cork of its TCP socket.
    const tcp = (this.socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    tcp?.cork();
    for (const e of evs) this.sendEvent(e);
    tcp?.uncork();
  }

  close() { if (this.timer) clearTimeout(this.timer); }
}

