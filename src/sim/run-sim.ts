/**
 * The device emulator: N customs e-locks drive the real seed route (Jinjiang → HK airport) over
 * real TCP at a report interval. Options inject lock events, dead zones (fixes buffered while the
 * connection is down, uploaded as a 0x0704 blind-area batch on reconnect) and reconnect storms
 * (every terminal drops and logs in again at once, re-sending what was not acknowledged).
 * Reusable: `onelock sim` calls it, and so can `npm start` for the demo.
 */
import { EmulatedTerminal, type SimFix } from './terminal.ts';
import { simTerminalId } from './devices.ts';
import { loadSeedRoute } from '../supervision/seed-route.ts';
import { syntheticTrack } from '../supervision/synthetic-track.ts';
import type { LockEventName } from '../devices/lock-events.ts';

export interface SimOptions {
  terminals: number;
  intervalMs: number;
  host: string;
  port: number;
  terminalPrefix?: string;
  /** Simulated truck speed; the track is sampled at intervalMs of device time per report. */
  speedKmh?: number;
  /** Each terminal loses coverage for this share of its reports (fixes buffered, then 0x0704). */
  deadZone?: boolean;
  lockEvent?: LockEventName;
  reconnectStorm?: boolean;
  /** Stop after this many reports per terminal (default: the whole route). */
  reports?: number;
  onProgress?: (s: SimStatus) => void;
  signal?: AbortSignal;
}
export interface SimStatus { connected: number; sent: number; acked: number; reports: number }

export class Simulation {
  readonly terminals: EmulatedTerminal[];
  private stopped = false;
  constructor(readonly o: SimOptions) {
    this.terminals = Array.from({ length: o.terminals }, (_, i) => new EmulatedTerminal(simTerminalId(i, o.terminalPrefix), { host: o.host, port: o.port }));
  }
  status(): SimStatus {
    let connected = 0, sent = 0, acked = 0;
    for (const t of this.terminals) { if (t.authenticated) connected++; sent += t.sent; acked += t.acked; }
    return { connected, sent, acked, reports: 0 };
  }
  stop() { this.stopped = true; for (const t of this.terminals) t.drop(); }

  async run(): Promise<SimStatus> {
    const o = this.o;
    const route = loadSeedRoute();
    const start = Date.now() - 60_000;
    const tracks = this.terminals.map((_, i) => syntheticTrack({ corridor: route.corridor, startTime: start + i * 1000, speedKmh: o.speedKmh ?? 60, intervalMs: Math.max(1000, o.intervalMs), seed: i + 1, noiseM: 3, batteryPct: 95, batteryDrainPctPerHour: 0.5 }).fixes);
    // Connect in waves so thousands of terminals do not all hit accept() in one tick.
    for (let i = 0; i < this.terminals.length; i += 200) await Promise.all(this.terminals.slice(i, i + 200).map((t) => t.login()));
    const total = Math.min(o.reports ?? Infinity, ...tracks.map((t) => t.length));
    const deadFrom = Math.floor(total * 0.4), deadTo = Math.floor(total * 0.5);
    const storms = new Set(o.reconnectStorm ? [Math.floor(total * 0.25), Math.floor(total * 0.75)] : []);
    const backlog = this.terminals.map(() => [] as SimFix[]);
    let k = 0;
    for (; k < total && !this.stopped && !o.signal?.aborted; k++) {
      const tick = Date.now();
      if (storms.has(k)) {
        for (const t of this.terminals) t.drop();
        await Promise.all(this.terminals.map((t) => t.login().catch(() => undefined)));
      }
      const inDead = o.deadZone && k >= deadFrom && k < deadTo;
      if (o.deadZone && k === deadFrom) for (const t of this.terminals) t.drop();
      if (o.deadZone && k === deadTo) {
        await Promise.all(this.terminals.map(async (t, i) => { await t.login(); t.uploadBacklog(backlog[i]!); backlog[i] = []; }));
      }
      if (o.lockEvent && k === Math.floor(total / 2) + 1) for (const t of this.terminals) t.injectEvent(o.lockEvent);
      this.terminals.forEach((t, i) => {
        const f = tracks[i]![k]!;
        if (inDead) backlog[i]!.push(f);
        else if (t.authenticated) t.report(f);
      });
      o.onProgress?.({ ...this.status(), reports: k + 1 });
      const wait = o.intervalMs - (Date.now() - tick);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    // Give the last answers a moment, then report.
    const until = Date.now() + 5000;
    while (Date.now() < until && this.terminals.some((t) => t.unacked.size && t.authenticated)) await new Promise((r) => setTimeout(r, 20));
    return { ...this.status(), reports: k };
  }
}
