/**
 * Load generator for the JT/T 808 benches, run as a child process (its own core): authenticates
 * terminals over loopback TCP, then either keeps `window` reports in flight per terminal for
 * `durationMs` (e2e) or just holds the connections with heartbeats (connections bench).
 * Talks to the parent over IPC: {ready}, {result}.
 */
import { EmulatedTerminal } from '../../src/sim/terminal.ts';
import { encodeBody, frameContent, escapeAndFrame, deviceTimeOf } from '../../src/devices/jt808/index.ts';

interface Job { port: number; terminals: Array<{ tid: string; authCode: string }>; mode: 'flood' | 'hold'; window: number; warmupMs: number; durationMs: number; baseTime: number }

process.once('message', async (job: Job) => {
  const ts = job.terminals.map((t) => { const e = new EmulatedTerminal(t.tid, { host: '127.0.0.1', port: job.port, recordLatency: true }); e.authCode = t.authCode; return e; });
  // A terminal that cannot connect (e.g. the server at its file limit) is counted, not fatal.
  for (let i = 0; i < ts.length; i += 500) await Promise.all(ts.slice(i, i + 500).map((t) => Promise.race([t.login(), new Promise((r) => setTimeout(r, 10_000))]).catch(() => undefined)));
  if (job.mode === 'hold') {
    process.send!({ ready: ts.filter((t) => t.authenticated).length });
    process.once('message', () => { for (const t of ts) t.drop(); process.exit(0); });
    return;
  }
  let time = job.baseTime;
  let measuring = false, acks = 0;
  const lat: number[] = [];
  // The load generator must not be the bottleneck: each terminal encodes its 0x0200 body once and
  // then only patches the BCD time (bytes 22-27) and the header serial per report.
  const bodies = new Map<EmulatedTerminal, Buffer>();
  const next = (t: EmulatedTerminal) => {
    let body = bodies.get(t);
    if (!body) { body = encodeBody(0x0200, t.locationOf({ time: job.baseTime, lat: 24.7 + Math.random() * 0.1, lon: 118.5 + Math.random() * 0.1, speedKmh: 60, heading: 90, batteryPct: 80 }), 2013); bodies.set(t, body); }
    const iso = deviceTimeOf((time += 1000));
    body.write(iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19), 22, 6, 'hex');
    const serial = ((t as any).serial = ((t as any).serial + 1) & 0xffff);
    const wire = escapeAndFrame(frameContent({ msgId: 0x0200, version: 2013, terminalId: t.terminalId, serial }, body));
    t.unacked.set(serial, { wire, sentAt: performance.now(), count: 1 });
    t.sent++;
    t.write(wire);
  };
  for (const t of ts) {
    (t as any).opts.onAck = (n: number) => {
      if (measuring) { acks += n; const l = t.latencies.pop(); if (l !== undefined) lat.push(l); } else t.latencies.length = 0;
      next(t);
    };
    for (let k = 0; k < job.window; k++) next(t);
  }
  await new Promise((r) => setTimeout(r, job.warmupMs));
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, job.durationMs));
  measuring = false;
  const secs = (performance.now() - t0) / 1000;
  for (const t of ts) (t as any).opts.onAck = undefined;
  await new Promise((r) => setTimeout(r, 1500)); // let in-flight answers arrive
  lat.sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))];
  process.send!({ result: { acksPerS: acks / secs, p50: pct(50), p99: pct(99), totalAcked: ts.reduce((a, t) => a + t.acked, 0), unacked: ts.reduce((a, t) => a + t.unacked.size, 0) } });
  for (const t of ts) t.drop();
  setTimeout(() => process.exit(0), 100);
});
