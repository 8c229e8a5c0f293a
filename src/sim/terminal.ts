/**
 * One emulated JT/T 808 e-lock (customs-elock profile) over real TCP: registers, authenticates,
 * reports 0x0200 with the 0xE1 lock item, uploads buffered dead-zone fixes as a 0x0704 blind-area
 * batch, re-sends unacknowledged reports with their original serial after a reconnect, and answers
 * downlink commands (0x8103/0x8104/0x8106/0x8105/0x8900) as a terminal would.
 */
import net from 'node:net';
import {
  Jt808FrameSplitter, decodeFrame, encodeMessage, deviceTimeOf, encodeCustomsElockItem, CUSTOMS_UNSEAL_COMMAND, CUSTOMS_SEAL_COMMAND,
  type Jt808Version, type LocationInput, type GeneralResponseBody, type RegisterResponseBody, type TerminalControlBody, type SetParametersBody, type QueryParametersBody,
} from '../devices/jt808/index.ts';
import type { LockEventName } from '../devices/lock-events.ts';

export interface SimFix {
  time: number; lat: number; lon: number; speedKmh: number; heading: number; batteryPct?: number | null;
  /** Lock events observed with this fix (kept with it when the fix is buffered for a blind-area batch). */
  events?: LockEventName[];
}

export class EmulatedTerminal {
  socket: net.Socket | null = null;
  private splitter = new Jt808FrameSplitter();
  private serial = 0;
  authCode: string | null = null;
  authenticated = false;
  /** Reports sent and not yet answered: serial → wire bytes (re-sent as-is after a reconnect). */
  readonly unacked = new Map<number, { wire: Buffer; sentAt: number; count: number }>();
  private waiters = new Map<string, (b: any) => void>();
  acked = 0;
  sent = 0;
  /** Ack latencies (ms) when recordLatency is on. */
  latencies: number[] = [];
  lockState: 'sealed' | 'unsealed' = 'sealed';
  private pendingEvents: LockEventName[] = [];
  private pendingHow: 'platform' | undefined;
  readonly params = new Map<number, number | string>([[0x0001, 30], [0x0029, 30]]);
  readonly received: number[] = [];
  /** Off: downlink commands are received and never answered, as by a lock whose firmware hangs. */
  answerCommands = true;
  /** Commands received while answerCommands was off, for answerHeld(). */
  private held: Array<{ msgId: number; serial: number; body: unknown }> = [];

  constructor(readonly terminalId: string, private opts: { host: string; port: number; version?: Jt808Version; recordLatency?: boolean; onAck?: (n: number) => void }) {}

  get version(): Jt808Version { return this.opts.version ?? 2013; }
  get connected() { return !!this.socket && !this.socket.destroyed; }

  async connect(): Promise<void> {
    this.splitter = new Jt808FrameSplitter();
    this.authenticated = false;
    const s = net.connect({ host: this.opts.host, port: this.opts.port, noDelay: true });
    this.socket = s;
    await new Promise<void>((resolve, reject) => { s.once('connect', resolve); s.once('error', reject); });
    s.on('error', () => { /* close follows */ });
    const mine = (this.waiters = new Map()); // answers awaited on this connection only
    s.on('close', () => { if (this.socket === s) { this.socket = null; this.authenticated = false; } for (const w of mine.values()) w(null); mine.clear(); });
    s.on('data', (c) => this.onData(c));
  }

  private next() { this.serial = (this.serial + 1) & 0xffff; return this.serial; }

  /** Sends a message; resolves with the platform's answer to it (0x8100 or 0x8001), or null if the connection closes. */
  request<T = any>(msgId: number, body: unknown, answerId: 0x8100 | 0x8001 = 0x8001): Promise<T | null> {
    const serial = this.next();
    const p = new Promise<T | null>((r) => this.waiters.set(`${answerId}|${serial}`, r));
    this.write(encodeMessage({ header: { msgId, version: this.version, terminalId: this.terminalId, serial }, body }));
    return p;
  }

  write(buf: Buffer) { this.socket?.write(buf); }

  /** 0x0100 → 0x8100: the result (0 registered, 3 already registered: a lock sealing a trip, 4 unknown terminal). */
  async register(): Promise<number> {
    const r = await this.request<RegisterResponseBody>(0x0100, { provinceId: 35, cityId: 500, makerId: 'ONELK', terminalModel: 'CEL-808', terminalId: this.terminalId.slice(-7), plateColor: 0, plate: 'SIM' }, 0x8100);
    if (!r) throw new Error(`terminal ${this.terminalId}: connection closed during registration`);
    if (r.result === 0) this.authCode = r.authCode;
    return r.result;
  }

  /** 0x0102 → 0x8001 result (0 = authenticated). */
  async authenticate(code = this.authCode ?? ''): Promise<number> {
    const r = await this.request<GeneralResponseBody>(0x0102, { authCode: code });
    if (!r) throw new Error(`terminal ${this.terminalId}: connection closed during authentication`);
    this.authenticated = r.result === 0;
    return r.result;
  }

  /** Connect, register if needed, authenticate, then re-send what was never acknowledged. */
  async login(): Promise<void> {
    if (!this.connected) await this.connect();
    if (!this.authCode) {
      const r = await this.register();
      if (r !== 0) throw new Error(`terminal ${this.terminalId} refused: 0x8100 result ${r}`);
    }
    const a = await this.authenticate();
    if (a !== 0) throw new Error(`terminal ${this.terminalId} authentication failed: result ${a}`);
    for (const [, u] of this.unacked) { u.sentAt = performance.now(); this.write(u.wire); }
  }

  /** Queue a lock event for the next report (e.g. 'shell_tamper'). */
  injectEvent(e: LockEventName) { this.pendingEvents.push(e); }

  locationOf(f: SimFix): LocationInput {
    const events = f.events?.length ? [...this.pendingEvents, ...f.events] : this.pendingEvents; this.pendingEvents = [];
    const how = this.pendingHow; this.pendingHow = undefined;
    return {
      alarm: 0, status: 0x3, latitude: f.lat, longitude: f.lon, altitudeM: 10, speedKmh: f.speedKmh, heading: Math.round(f.heading) % 360, time: deviceTimeOf(f.time),
      items: [encodeCustomsElockItem({ lockState: this.lockState, batteryPct: f.batteryPct ?? 90, events, how })],
    };
  }

  /** One 0x0200; returns its serial. */
  report(f: SimFix): number {
    const serial = this.next();
    const wire = encodeMessage({ header: { msgId: 0x0200, version: this.version, terminalId: this.terminalId, serial }, body: this.locationOf(f) });
    this.unacked.set(serial, { wire, sentAt: performance.now(), count: 1 });
    this.sent++;
    this.write(wire);
    return serial;
  }

  /** Dead-zone fixes as 0x0704 blind-area batches (type 1), each within the 1023-byte body limit. */
  uploadBacklog(fixes: SimFix[], type = 1) {
    for (let i = 0; i < fixes.length; i += 20) {
      const chunk = fixes.slice(i, i + 20);
      const serial = this.next();
      const wire = encodeMessage({ header: { msgId: 0x0704, version: this.version, terminalId: this.terminalId, serial }, body: { type, locations: chunk.map((f) => this.locationOf(f)) } });
      this.unacked.set(serial, { wire, sentAt: performance.now(), count: chunk.length });
      this.sent += chunk.length;
      this.write(wire);
    }
  }

  heartbeat() { return this.request(0x0002, {}); }

  /** Drop the connection without logout (as a truck entering a tunnel). */
  drop() { this.socket?.destroy(); this.socket = null; this.authenticated = false; }

  private onData(chunk: Buffer) {
    for (const o of this.splitter.push(chunk)) {
      if (!o.frame) continue;
      let m;
      try { m = decodeFrame(o.frame, { versionHint: this.version === 2011 ? 2011 : undefined }); } catch { continue; }
      const h = m.header, b = m.body as any;
      this.received.push(h.msgId);
      if (h.msgId === 0x8001 || h.msgId === 0x8100) {
        const g = b as GeneralResponseBody;
        const u = h.msgId === 0x8001 && (g.answerMsgId === 0x0200 || g.answerMsgId === 0x0704) && g.result === 0 ? this.unacked.get(g.answerSerial) : undefined;
        if (u) {
          this.unacked.delete(g.answerSerial);
          this.acked += u.count;
          if (this.opts.recordLatency) this.latencies.push(performance.now() - u.sentAt);
          this.opts.onAck?.(u.count);
        }
        const key = `${h.msgId}|${g.answerSerial}`;
        const w = this.waiters.get(key);
        if (w) { this.waiters.delete(key); w(b); }
        continue;
      }
      if (this.answerCommands) this.answerCommand(h.msgId, h.serial, b);
      else this.held.push({ msgId: h.msgId, serial: h.serial, body: b });
    }
  }

  /** Carries out and answers the commands held while answerCommands was off (a lock answering late). */
  answerHeld() {
    for (const c of this.held.splice(0)) this.answerCommand(c.msgId, c.serial, c.body);
  }

  private answerCommand(msgId: number, serial: number, b: any) {
    const ok = (result = 0) => this.write(encodeMessage({ header: { msgId: 0x0001, version: this.version, terminalId: this.terminalId, serial: this.next() }, body: { answerSerial: serial, answerMsgId: msgId, result } }));
    switch (msgId) {
      case 0x8103: for (const p of (b as SetParametersBody).params) this.params.set(p.id, p.value); return ok();
      case 0x8104: case 0x8106: {
        const ids = msgId === 0x8106 ? (b as QueryParametersBody).ids : [...this.params.keys()];
        const params = ids.filter((id) => this.params.has(id)).map((id) => ({ id, value: this.params.get(id)! }));
        return this.write(encodeMessage({ header: { msgId: 0x0104, version: this.version, terminalId: this.terminalId, serial: this.next() }, body: { answerSerial: serial, params } }));
      }
      case 0x8105: {
        const c = b as TerminalControlBody;
        if (c.command === CUSTOMS_UNSEAL_COMMAND) { this.lockState = 'unsealed'; this.pendingEvents.push('unsealed'); this.pendingHow = 'platform'; return ok(); }
        if (c.command === CUSTOMS_SEAL_COMMAND) { this.lockState = 'sealed'; this.pendingEvents.push('sealed'); return ok(); }
        return ok(3);
      }
      case 0x8900: return ok();
      default: return undefined;
    }
  }
}
