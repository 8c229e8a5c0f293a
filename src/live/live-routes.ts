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
    await app.register(websocket, { preClose: closeLiveClients });
    app.get('/api/v1/live', {
      websocket: true,
      config: { roles: ['enterprise', 'officer', 'supervisor'] },
      schema: { tags: ['live'], summary: 'Live positions and alerts over WebSocket (token in Authorization or ?token=)', querystring: Type.Object({ token: Type.Optional(Type.String()) }) },
    }, (socket: WebSocket, req) => {
      const own = req.principal?.role === 'enterprise' ? req.principal.enterpriseId : null;
      const client = new LiveClient(socket, { positions: 'none', alerts: false, enterpriseId: own });
      socket.on('message', (raw) => {
        // a throw here would reach no handler and end the process
        try { client.onMessage(String(raw), hub); } catch (e) { req.log.error({ err: e }, 'live: message failed'); client.send({ type: 'error', code: 'internal', message: 'the message could not be handled' }); }
      });
      const stop = hub.listen((e) => client.offer(e));
      socket.on('close', () => { stop(); client.close(); });
      client.send({ type: 'hello', lastEventId: hub.lastId });
    });
  };
}

/** How long a shutdown waits for live clients to answer the close handshake before it drops them. */
const CLOSE_GRACE_MS = 1000;

/**
 * Shutdown: each live client is sent a close frame, and any that has not closed within a second is
 * dropped. The plugin's default waits for every close handshake, so one client that stopped reading
 * (a half-closed connection) held `onelock serve` ~30 s past SIGTERM.
 */
function closeLiveClients(this: { websocketServer: { clients: Set<WebSocket>; close(cb: () => void): void } }, done: () => void) {
  const server = this.websocketServer;
  const clients = [...server.clients];
  for (const c of clients) c.close(1001, 'server shutting down');
  const timer = setTimeout(() => { for (const c of clients) if (c.readyState !== c.CLOSED) c.terminate(); }, CLOSE_GRACE_MS);
  timer.unref();
  server.close(() => clearTimeout(timer));
  done();
}

/**
 * Events (or ready-made messages) a client is sent per turn of the event loop. A map of
 * everything gets up to one event per trip each window: sent in one go, 10,000 of them held the
 * loop 57–77 ms every second (measured at 10,000 positions/s), and every alert and socket read
 * waited behind them. 256 is ~1.5 ms of sending; the loop reads sockets between chunks.
 */
const SEND_CHUNK = 256;
/**
 * A client that stops reading is closed once this much waits for it (a replay of the whole buffer
 * is ~15 MB): otherwise the server holds everything it is sent, for as long as the socket stays
 * open. It reconnects with its last event ID and resumes.
 */
export const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

export class LiveClient {
  private throttleMs = 1000;
  private asked = 1000;
  private pending = new Map<string, LiveEvent>();
  private timer: NodeJS.Timeout | null = null;
  /** Waiting to be sent, in order, SEND_CHUNK per turn: throttle windows and replays. */
  private outbox: Array<LiveEvent | string> = [];
  private sent = 0;
  private draining = false;
  /** A replay went into the outbox and it has not emptied since: alerts queue behind it, so the ids a client sees only grow while it resumes. */
  private replaying = false;
  private closed = false;
  constructor(private socket: WebSocket, private filter: LiveFilter) {}

  send(m: unknown) { if (this.socket.readyState === 1) this.socket.send(JSON.stringify(m)); }
  private sendEvent(e: LiveEvent) {
    if (this.socket.readyState !== 1) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) { this.close(); this.socket.terminate(); return; }
    if (e.wire === undefined) {
      e.wire = JSON.stringify({ type: 'event', id: e.id, kind: e.kind, data: e.data });
      // the ring holds each event for seconds: once serialised, the wire is all a client is sent
      // again, and the object tree would only be promoted to the old generation with it
      e.data = undefined;
    }
    this.socket.send(e.wire);
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
    if (m.lastEventId !== undefined && !(Number.isSafeInteger(m.lastEventId) && m.lastEventId >= 0)) return this.send({ type: 'error', code: 'bad_last_event_id', message: 'lastEventId must be a whole number ≥ 0 (the id of the last event received)' });
    this.filter = { ...this.filter, positions: p, alerts: !!sub.alerts };
    // A new subscription replaces what the old one still had to send, except alerts it still
    // matches (alerts are never dropped); the old throttle window goes with it.
    const alertsLeft = this.outbox.slice(this.sent).filter((x): x is LiveEvent => typeof x !== 'string' && x.kind === 'alert' && matches(this.filter, x));
    this.outbox = alertsLeft; this.sent = 0; this.pending.clear();
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    if (typeof m.throttleMs === 'number' && Number.isFinite(m.throttleMs)) this.asked = m.throttleMs;
    const few = typeof p === 'object' && Array.isArray(p.tripIds) && p.tripIds.length <= LIVE_FOLLOW_MAX;
    this.throttleMs = Math.min(60_000, Math.max(few ? 0 : MIN_THROTTLE_MS, this.asked));
    if (m.lastEventId !== undefined) {
      const { events, gap } = hub.since(m.lastEventId);
      if (gap) this.send({ type: 'gap', message: 'some events were older than the buffer; reload state over REST' });
      // A replay can be the whole buffer (50,000 events): sent in chunks, then the confirmation.
      // Until that goes out, live events queue behind it: a client that reconnects mid-replay with
      // the last ID it saw must not skip the part of the replay it never got.
      const replay = events.filter((e) => matches(this.filter, e));
      if (replay.length) { this.replaying = true; this.queue(replay); }
    }
    this.queue([JSON.stringify({ type: 'subscribed', filter: { positions: this.filter.positions, alerts: this.filter.alerts }, throttleMs: this.throttleMs })]);
  }

  offer(e: LiveEvent) {
    if (!matches(this.filter, e)) return;
    // Alerts go out at once, ahead of a throttle window's positions (never ahead of a replay);
    // unthrottled positions keep their order.
    if (e.kind === 'alert' || this.throttleMs === 0) return this.replaying || (this.throttleMs === 0 && this.draining) ? this.queue([e]) : this.sendEvent(e);
    this.pending.set(e.tripId!, e);
    this.timer ??= setTimeout(() => this.flush(), this.throttleMs);
  }

  private flush() {
    this.timer = null;
    // The last window is still going out (a slow loop, many clients): wait, and keep only the
    // latest fix per trip meanwhile, instead of queueing stale positions behind it.
    if (this.draining) { this.timer = setTimeout(() => this.flush(), this.throttleMs); return; }
    const evs = [...this.pending.values()].sort((a, b) => a.id - b.id);
    this.pending.clear();
    this.queue(evs);
  }

  private queue(items: Array<LiveEvent | string>) {
    if (!items.length || this.closed) return;
    if (this.sent >= this.outbox.length) { this.outbox = items; this.sent = 0; } else for (const x of items) this.outbox.push(x);
    if (!this.draining) this.drain();
  }

  /** One chunk now, the rest on later turns of the loop. */
  private drain = () => {
    this.draining = false;
    if (this.closed) return;
    // A chunk leaves in one writev instead of one write per event: ws nests inside an outer cork of its TCP socket.
    const tcp = (this.socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    tcp?.cork();
    const end = Math.min(this.outbox.length, this.sent + SEND_CHUNK);
    while (this.sent < end) {
      const x = this.outbox[this.sent++]!;
      if (typeof x === 'string') { if (this.socket.readyState === 1) this.socket.send(x); } else this.sendEvent(x);
    }
    tcp?.uncork();
    if (this.sent < this.outbox.length) { this.draining = true; setImmediate(this.drain); } else { this.outbox = []; this.sent = 0; this.replaying = false; }
  };

  close() { this.closed = true; this.outbox = []; if (this.timer) clearTimeout(this.timer); }
}
