/**
 * Child process of bench/alert-latency.bench.ts: emulated e-locks of supervised trips driving the
 * seed route over real TCP at a paced rate (reports spread evenly over each interval, not a flood).
 *
 * - mode "load": the bulk of the terminals. Each 0x0200 body is encoded once per terminal and then
 *   only patched (position, speed, heading, BCD time, serial), so the generator is not the
 *   bottleneck. Counts acknowledgements and their latency.
 * - mode "probe": a few terminals whose every frame is timed, plus WebSocket clients on the live
 *   feed: one follows the probe trips' positions unthrottled and takes every alert; optional
 *   "dashboards" subscribe to all positions (throttled) and alerts, as monitoring screens would.
 *   Probes inject alert-raising frames: a wire_cut lock event every `alertEveryS` (tamper:
 *   raise, then updates), and deviators leave the corridor and come back on a 4-minute cycle
 *   (route_deviation raise and clear). An alert event is matched to the frame that caused it by
 *   (trip, fix time): the rules stamp the alert with that fix's time. Send and receipt are timed
 *   with performance.now() in this one process, so there is one clock.
 * IPC: parent → {job}, {go}, {measure: true|false}, {stop}; child → {ready}, {result}.
 */
import WebSocket from 'ws';
import { monitorEventLoopDelay, performance as perf } from 'node:perf_hooks';
import { EmulatedTerminal } from '../../src/sim/terminal.ts';
import { encodeBody, frameContent, escapeAndFrame, deviceTimeOf } from '../../src/devices/jt808/index.ts';
import { loadSeedRoute } from '../../src/supervision/seed-route.ts';
import { pointAt } from '../../src/supervision/corridor.ts';
import { percentile } from './stats.ts';

export interface LoadTerminal { tid: string; authCode: string; tripId: string; startM: number; speedKmh: number }
export interface LoadJob {
  mode: 'load' | 'probe';
  port: number;
  terminals: LoadTerminal[];
  intervalMs: number;
  /** probe only */
  httpPort?: number; token?: string; alertEveryS?: number; deviators?: number; dashboards?: number; followMax?: number;
}

const route = loadSeedRoute();
const job: LoadJob = await new Promise((r) => process.once('message', (m: any) => r(m.job)));
const N = job.terminals.length;
const ts = job.terminals.map((t) => { const e = new EmulatedTerminal(t.tid, { host: '127.0.0.1', port: job.port, recordLatency: job.mode === 'load' }); e.authCode = t.authCode; return e; });
for (let i = 0; i < ts.length; i += 500) await Promise.all(ts.slice(i, i + 500).map((t) => Promise.race([t.login(), new Promise((r) => setTimeout(r, 15_000))]).catch(() => undefined)));
const connected = ts.filter((t) => t.authenticated).length;

let measuring = false;
const ackLat: number[] = [];
let acks = 0, sent = 0;
for (const t of ts) (t as any).opts.onAck = (n: number) => { const l = t.latencies.pop(); if (measuring) { acks += n; if (l !== undefined) ackLat.push(l); } t.latencies.length = 0; };

// ---- probe side: WebSocket clients and the send-time book ----
interface Sent { at: number; inWindow: boolean; posSeen: boolean; alertSeen: boolean }
const book = new Map<string, Sent>(); // `${tripId}|${fixIso}` → when its frame was written
const alertLat: Record<string, number[]> = {};
const posLat: number[] = [];
let unmatchedAlerts = 0, dashboardEvents = 0, injected = 0;
const sockets: WebSocket[] = [];
if (job.mode === 'probe') {
  const open = (sub: unknown) => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${job.httpPort}/api/v1/live?token=${job.token}`);
    ws.once('open', () => { ws.send(JSON.stringify(sub)); resolve(ws); });
    ws.once('error', reject);
    sockets.push(ws);
  });
  const follow = job.terminals.slice(0, job.followMax ?? 100).map((t) => t.tripId);
  const main = await open({ subscribe: { positions: { tripIds: follow }, alerts: true }, throttleMs: 0 });
  main.on('message', (raw) => {
    const now = performance.now();
    const m = JSON.parse(String(raw));
    if (m.type !== 'event') return;
    const key = m.kind === 'alert' ? `${m.data.tripId}|${m.data.lastAt}` : `${m.data.tripId}|${m.data.fixTime}`;
    const s = book.get(key);
    if (m.kind === 'alert') {
      // Escalations re-publish an alert with an old lastAt: only the first receipt per frame counts.
      if (!s || s.alertSeen) { unmatchedAlerts++; return; }
      s.alertSeen = true;
      if (s.inWindow) (alertLat[m.data.type] ??= []).push(now - s.at);
    } else if (s && !s.posSeen) {
      s.posSeen = true;
      if (s.inWindow) posLat.push(now - s.at);
    }
  });
  for (let d = 0; d < (job.dashboards ?? 0); d++) {
    const ws = await open({ subscribe: { positions: 'all', alerts: true }, throttleMs: 1000 });
    ws.on('message', () => { if (measuring) dashboardEvents++; });
  }
}

// ---- paced reports ----
const bodies: Buffer[] = [];
const deviator = (i: number) => job.mode === 'probe' && i < (job.deviators ?? 0);
/** Lateral offset (m) of a deviating probe at `sec` seconds: on the route, out 1.5 km at ~21 m/s, hold, back. */
const offsetAt = (sec: number) => {
  const c = sec % 240;
  if (c < 60) return 0;
  if (c < 130) return ((c - 60) / 70) * 1500;
  if (c < 170) return 1500;
  return ((240 - c) / 70) * 1500;
};
function fixOf(i: number, k: number) {
  const t = job.terminals[i];
  const sec = (k * job.intervalMs) / 1000;
  const along = t.startM + (t.speedKmh / 3.6) * sec;
  return { ...pointAt(route.corridor, along, deviator(i) ? offsetAt(sec + i * 17) : (Math.random() - 0.5) * 6), speedKmh: t.speedKmh };
}

function sendReport(i: number, k: number, deviceMs: number) {
  const t = ts[i];
  if (!t.authenticated) return;
  const f = fixOf(i, k);
  const heading = Math.round(f.heading + 360) % 360;
  const serial = ((t as any).serial = ((t as any).serial + 1) & 0xffff);
  let wire: Buffer;
  if (job.mode === 'probe') {
    const every = Math.max(1, Math.round(((job.alertEveryS ?? 10) * 1000) / job.intervalMs));
    if (!deviator(i) && (k + i * 7) % every === 0) { t.injectEvent('wire_cut'); if (measuring) injected++; }
    wire = escapeAndFrame(frameContent({ msgId: 0x0200, version: 2013, terminalId: t.terminalId, serial }, encodeBody(0x0200, t.locationOf({ time: deviceMs, lat: f.lat, lon: f.lon, speedKmh: f.speedKmh, heading, batteryPct: 80 }), 2013)));
  } else {
    let body = bodies[i];
    if (!body) body = bodies[i] = encodeBody(0x0200, t.locationOf({ time: deviceMs, lat: f.lat, lon: f.lon, speedKmh: f.speedKmh, heading, batteryPct: 80 }), 2013);
    body.writeUInt32BE(Math.round(f.lat * 1e6), 8);
    body.writeUInt32BE(Math.round(f.lon * 1e6), 12);
    body.writeUInt16BE(Math.round(f.speedKmh * 10), 18);
    body.writeUInt16BE(heading, 20);
    const iso = deviceTimeOf(deviceMs);
    body.write(iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19), 22, 6, 'hex');
    wire = escapeAndFrame(frameContent({ msgId: 0x0200, version: 2013, terminalId: t.terminalId, serial }, body));
  }
  const at = performance.now();
  t.unacked.set(serial, { wire, sentAt: at, count: 1 });
  t.write(wire);
  if (measuring) sent++;
  if (job.mode === 'probe') book.set(`${job.terminals[i].tripId}|${new Date(deviceMs).toISOString()}`, { at, inWindow: measuring, posSeen: false, alertSeen: false });
}

let timer: NodeJS.Timeout | null = null;
/** This process's own event loop: a stalled measurer would inflate the latencies it reports. */
const loop = monitorEventLoopDelay({ resolution: 5 });
let elu0 = perf.eventLoopUtilization();
function go() {
  const start = performance.now();
  const wall0 = Math.floor(Date.now() / 1000) * 1000; // device clocks in whole seconds, at or just before real time
  let done = 0;
  timer = setInterval(() => {
    const due = Math.floor(((performance.now() - start) / job.intervalMs) * N);
    for (; done < due; done++) {
      const i = done % N, k = Math.floor(done / N);
      sendReport(i, k, wall0 + k * job.intervalMs);
    }
  }, 2);
  if (job.mode === 'probe') {
    // Forget sends older than a minute: their answers are long in (or never coming).
    setInterval(() => { const old = performance.now() - 60_000; for (const [k, v] of book) { if (v.at >= old) break; book.delete(k); } }, 5000).unref();
  }
}

const summary = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return { n: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s.at(-1) ?? NaN }; };

process.on('message', async (m: any) => {
  if (m.go) go();
  else if (m.measure === true) {
    loop.reset(); loop.enable(); elu0 = perf.eventLoopUtilization();
    measuring = true; acks = 0; sent = 0; injected = 0; unmatchedAlerts = 0; dashboardEvents = 0;
    ackLat.length = 0; posLat.length = 0; for (const k of Object.keys(alertLat)) delete alertLat[k];
  } else if (m.measure === false) {
    const secs = m.seconds as number;
    measuring = false;
    loop.disable();
    const own = { elu: perf.eventLoopUtilization(elu0).utilization, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 };
    await new Promise((r) => setTimeout(r, 1500)); // answers to the window's last frames
    const all = Object.values(alertLat).flat();
    process.send!({ result: {
      mode: job.mode, connected, sentPerS: sent / secs, acksPerS: acks / secs, ack: summary(ackLat),
      alerts: summary(all), alertsByType: Object.fromEntries(Object.entries(alertLat).map(([k, v]) => [k, summary(v)])), injectedTamper: injected,
      positions: summary(posLat), unmatchedAlerts, dashboardEventsPerS: dashboardEvents / secs, own,
    } });
  } else if (m.stop) {
    if (timer) clearInterval(timer);
    for (const ws of sockets) ws.terminate();
    for (const t of ts) t.drop();
    setTimeout(() => process.exit(0), 100);
  }
});
// Never outlive the bench (a crashed parent must not leave thousands of sockets behind).
process.on('disconnect', () => process.exit(0));
process.send!({ ready: connected });
