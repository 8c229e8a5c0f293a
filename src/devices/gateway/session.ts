/**
 * One terminal connection. Frames come from the streaming splitter; replies go out in the version
 * the terminal used. Positions (0x0200, 0x0704, 0x5501/0x5502) of one socket read are written as one
 * batch through the group-commit writer and their 0x8001 goes out only after that batch commits.
 * Before a successful 0x0102 nothing is stored: data is answered 0x8001 result 1 (failure), which
 * per the standard tells the terminal to register/authenticate again (protocol doc §1).
 * Backpressure: reading pauses while the socket's write buffer is full or too many positions wait
 * for their commit, and resumes on 'drain' / commit.
 */
import type { Socket } from 'node:net';
import {
  Jt808FrameSplitter, SubpackageAssembler, parseFrame, decodeParsed, encodeGeneralReply, encodeRegisterReply, encodeSubpackageRequestFor,
  isJt808Error, type Jt808Header, type Jt808Version, type Jt808Frame, type LocationBody, type BatchLocationBody, type JointechLocationBody,
  type RegisterBody, type AuthenticateBody, type GeneralResponseBody, type ParametersAnswerBody, type Jt808Message, type Jt808Body,
} from '../jt808/index.ts';
import type { PositionRecord } from '../position.ts';
import { positionOf, type DeviceRef } from './positions.ts';
import type { Jt808Gateway } from './server.ts';

const GENERAL_OK = 0, GENERAL_FAIL = 1, GENERAL_BAD_MESSAGE = 2, GENERAL_UNSUPPORTED = 3;
const REGISTER_OK = 0, REGISTER_ALREADY_REGISTERED = 3, REGISTER_UNKNOWN_TERMINAL = 4;

export class Jt808Session {
  readonly splitter: Jt808FrameSplitter;
  readonly assembler = new SubpackageAssembler();
  /** Raw hex of the parts of each incomplete sub-packaged message, to keep with its records. */
  private partsHex = new Map<string, string[]>();
  terminalId: string | null = null;
  device: DeviceRef | null = null;
  authenticated = false;
  /** Version this connection showed (2011 register layout is not visible in later headers). */
  versionHint: Jt808Version | undefined;
  lastHeader: Jt808Header | null = null;
  private serial = 0;
  private inflight = 0;
  private writeBlocked = false;
  private lastFixTime = 0;
  closed = false;
  /** Work (device lookups) queued in arrival order so replies keep the terminal's order. */
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly socket: Socket, private gw: Jt808Gateway) {
    this.splitter = new Jt808FrameSplitter({ maxFrameBytes: gw.opts.maxFrameBytes });
    socket.setNoDelay(true);
    socket.setTimeout(gw.opts.idleMs, () => { gw.stats.idleClosed++; socket.destroy(); });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => { this.writeBlocked = false; this.maybeResume(); });
    socket.on('error', () => { /* reset by peer: 'close' follows */ });
    socket.on('close', () => { this.closed = true; gw.detach(this); });
  }

  nextSerial(): number {
    this.serial = (this.serial + 1) & 0xffff;
    return this.serial;
  }

  send(buf: Buffer) {
    if (this.closed) return;
    if (!this.socket.write(buf)) { this.writeBlocked = true; this.socket.pause(); }
  }

  private maybeResume() {
    if (!this.writeBlocked && this.inflight < this.gw.opts.maxInflight && this.socket.isPaused()) this.socket.resume();
  }

  private onData(chunk: Buffer) {
    const out = this.splitter.push(chunk);
    let batch: { recs: PositionRecord[]; acks: Jt808Header[] } | null = null;
    for (const o of out) {
      if (o.error) { this.gw.countError(o.error.code, this, o.error.message); continue; }
      let frame: Jt808Frame;
      try {
        frame = parseFrame(o.frame, { versionHint: this.versionHint });
      } catch (e) {
        // A frame we cannot trust (checksum, length, header) is counted and logged, never answered;
        // so is one that trips a bug in the header reader (thrown from here, it would end the process).
        if (isJt808Error(e)) { this.gw.countError(e.code, this, e.message); continue; }
        this.gw.countInternal(this, e, 'frame header could not be read');
        continue;
      }
      this.gw.stats.frames++;
      const hex = o.frame.bytes.toString('hex');
      // A frame that trips a bug is counted, logged and answered as failed: thrown from this
      // 'data' handler it would reach no handler and end the process, every session with it.
      try {
        if (frame.header.package && (!this.authenticated || frame.header.terminalId !== this.terminalId)) {
          // parts are kept only for the terminal this session authenticated: a stranger's parts
          // would hold memory for a message that could never be stored
          this.gw.stats.unauthenticated++;
          this.send(encodeGeneralReply(frame.header, this.nextSerial(), GENERAL_FAIL));
        } else if (frame.header.package) {
          const r = this.assemble(frame, hex);
          if (!r) continue;
          frame = r.frame;
          this.handle(frame, r.hex, (batch ??= { recs: [], acks: [] }));
        } else this.handle(frame, hex, (batch ??= { recs: [], acks: [] }));
      } catch (e) {
        this.gw.countInternal(this, e, 'frame handling failed', { msgId: frame.header.msgId });
        this.send(encodeGeneralReply(frame.header, this.nextSerial(), GENERAL_FAIL));
      }
    }
    if (batch && (batch.recs.length || batch.acks.length)) this.commit(batch);
  }

  private assemble(frame: Jt808Frame, hex: string): { frame: Jt808Frame; hex: string } | null {
    const h = frame.header;
    const key = `${h.msgId}|${h.package!.total}`;
    const parts = this.partsHex.get(key) ?? [];
    parts.push(hex);
    this.partsHex.set(key, parts);
    const r = this.assembler.add(frame, this.gw.ctx.clock.now());
    if (r.status === 'complete') {
      this.partsHex.delete(key);
      this.gw.pendingPackages.delete(this);
      return { frame: { header: r.header, body: r.body }, hex: parts.join(' ') };
    }
    if (r.status === 'pending') {
      this.gw.pendingPackages.add(this);
      // Each part is answered as received; the message's own answer follows its reassembly.
      if (this.authenticated) this.send(encodeGeneralReply(h, this.nextSerial(), GENERAL_OK));
    }
    return null;
  }

  /** Called by the gateway's sweep: ask again for missing parts, drop expired ones. */
  sweepPackages(now: number) {
    const { resend, expired } = this.assembler.sweep(now);
    for (const g of resend) {
      this.gw.stats.resendRequests++;
      // 0x8003 holds at most 255 IDs (a BYTE count) before 2019, and a 1,023-byte body in 2019
      const most = g.header.version === 2019 ? 509 : 255;
      this.send(encodeSubpackageRequestFor(g.header, this.nextSerial(), g.originalSerial, g.missing.slice(0, most)));
    }
    for (const g of expired) { this.partsHex.delete(`${g.msgId}|${g.total}`); this.gw.stats.packagesExpired++; }
    if (!this.assembler.size) this.gw.pendingPackages.delete(this);
  }

  private handle(frame: Jt808Frame, hex: string, batch: { recs: PositionRecord[]; acks: Jt808Header[] }) {
    const h = frame.header;
    let msg: Jt808Message<Jt808Body>;
    try {
      msg = decodeParsed(frame);
    } catch (e) {
      if (!isJt808Error(e)) throw e;
      this.gw.countError(e.code, this, e.message);
      this.send(encodeGeneralReply(h, this.nextSerial(), GENERAL_BAD_MESSAGE));
      return;
    }
    this.lastHeader = msg.header;
    if ((msg.body as { encrypted?: true }).encrypted) {
      // RSA-encrypted bodies (header encryption bit) are not supported: answered 3, per the standard
      this.gw.countError('encrypted_unsupported', this, `encrypted 0x${h.msgId.toString(16).padStart(4, '0')} body`);
      this.send(encodeGeneralReply(h, this.nextSerial(), GENERAL_UNSUPPORTED));
      return;
    }
    if (this.terminalId && h.terminalId !== this.terminalId && this.authenticated) {
      // One connection speaks for one terminal; another ID on it is not trusted.
      this.gw.countError('terminal_mismatch', this, `frame for ${h.terminalId} on the session of ${this.terminalId}`);
      this.send(encodeGeneralReply(h, this.nextSerial(), GENERAL_FAIL));
      return;
    }
    const body = msg.body as any;
    switch (h.msgId) {
      case 0x0100: return this.enqueue(() => this.register(msg.header, body as RegisterBody));
      case 0x0102: return this.enqueue(() => this.authenticate(msg.header, body as AuthenticateBody));
      case 0x0003: this.send(encodeGeneralReply(h, this.nextSerial(), GENERAL_OK)); this.socket.end(); return;
    }
    if (!this.authenticated || !this.device) {
      this.gw.stats.unauthenticated++;
      return this.enqueue(async () => this.send(encodeGeneralReply(h, this.nextSerial(), GENERAL_FAIL)));
    }
    const now = this.gw.ctx.clock.now();
    switch (h.msgId) {
      case 0x0002: this.send(encodeGeneralReply(h, this.nextSerial(), GENERAL_OK)); return;
      case 0x0200: case 0x5501: case 0x5502: {
        const rec = positionOf(this.device, body as LocationBody | JointechLocationBody, h.serial, now, hex, h.msgId === 0x5502);
        if (rec.fixTime < this.lastFixTime) rec.late = true; // older than what this terminal already reported
        else this.lastFixTime = rec.fixTime;
        batch.recs.push(rec); batch.acks.push(h);
        return;
      }
      case 0x0704: {
        const b = body as BatchLocationBody;
        for (const loc of b.locations) batch.recs.push(positionOf(this.device, loc, h.serial, now, hex, b.type === 1));
        batch.acks.push(h);
        return;
      }
      case 0x0001: this.gw.commands?.onReply(this, body as GeneralResponseBody, null); return;
      case 0x0104: {
        const a = body as ParametersAnswerBody;
        this.gw.commands?.onReply(this, { answerSerial: a.answerSerial, answerMsgId: 0x8104, result: 0 }, a);
        return;
      }
      case 0x0005: case 0x0900: this.send(encodeGeneralReply(h, this.nextSerial(), GENERAL_OK)); return;
      default:
        this.gw.stats.unsupported++;
        this.send(encodeGeneralReply(h, this.nextSerial(), GENERAL_UNSUPPORTED));
    }
  }

  private enqueue(fn: () => Promise<void>) {
    this.chain = this.chain.then(fn).catch((e) => this.gw.ctx.log.error({ err: e, terminalId: this.terminalId }, 'jt808 session step failed'));
  }

  private async register(h: Jt808Header, body: RegisterBody) {
    if (h.version === 2011) this.versionHint = 2011;
    this.terminalId ??= h.terminalId;
    const dev = await this.gw.deviceByTerminal(h.terminalId);
    // Registration is idempotent for a lock in stock: it gets its auth code back. A lock sealing a
    // trip is answered 3 (already registered) without the code: a terminal ID is printed on
    // certificates and seen at gates, and its code would let anyone log in as the lock mid-route,
    // take over its session and its commands. The lock itself keeps the code it authenticated with.
    if (dev?.sealing) {
      this.gw.stats.registrationsRefused++;
      this.gw.ctx.log.warn({ terminalId: h.terminalId, remote: this.socket.remoteAddress }, 'jt808: registration of a lock that seals a trip refused (result 3)');
      this.send(encodeRegisterReply(h, this.nextSerial(), REGISTER_ALREADY_REGISTERED, null));
      return;
    }
    this.send(encodeRegisterReply(h, this.nextSerial(), dev ? REGISTER_OK : REGISTER_UNKNOWN_TERMINAL, dev ? dev.authCode : null));
    if (!dev) { this.gw.stats.unknownTerminals++; this.gw.ctx.log.info({ terminalId: h.terminalId, model: body.terminalModel }, 'jt808: unknown terminal refused (result 4)'); }
  }

  private async authenticate(h: Jt808Header, body: AuthenticateBody) {
    const dev = await this.gw.deviceByTerminal(h.terminalId);
    const ok = !!dev && body.authCode === dev.authCode;
    if (ok) {
      this.terminalId = h.terminalId;
      this.device = { id: dev.id, terminalId: dev.terminalId, profile: dev.profile };
      this.authenticated = true;
      this.gw.attach(this);
    } else this.gw.stats.authFailures++;
    this.send(encodeGeneralReply(h, this.nextSerial(), ok ? GENERAL_OK : GENERAL_FAIL));
  }

  /** Store the read's positions, then answer every message of the read (durable before acknowledged). */
  private commit(batch: { recs: PositionRecord[]; acks: Jt808Header[] }) {
    const n = batch.recs.length;
    this.inflight += n;
    if (this.inflight >= this.gw.opts.maxInflight) this.socket.pause();
    // The write starts now (joining the writer's next group commit); the answers keep arrival order.
    const written = n ? this.gw.ctx.positions.write(batch.recs) : Promise.resolve(null);
    written.catch(() => { /* handled below */ });
    this.chain = this.chain.then(() => written).then(() => {
      this.gw.stats.positionsStored += n;
      this.gw.stats.positionsAcked += n;
      if (batch.acks.length === 1) this.send(encodeGeneralReply(batch.acks[0]!, this.nextSerial(), GENERAL_OK));
      else if (batch.acks.length) this.send(Buffer.concat(batch.acks.map((h) => encodeGeneralReply(h, this.nextSerial(), GENERAL_OK))));
    }, (e) => {
      // Not stored → not acknowledged: the terminal re-sends after its answer timeout.
      this.gw.stats.writeFailures++;
      this.gw.ctx.log.error({ err: e, terminalId: this.terminalId, n }, 'jt808: position batch not stored; not acknowledged');
    }).finally(() => { this.inflight -= n; this.maybeResume(); });
  }
}
