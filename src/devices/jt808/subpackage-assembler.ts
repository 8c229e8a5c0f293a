/**
 * Sub-package reassembly (protocol doc §3.6). Parts are keyed by (terminal, message ID, package
 * total) and placed by index — serials need not be consecutive (K4/K5: 1233 and 1250).
 * Pure-ish: no timers; the caller passes `now` (epoch ms, from platform/clock) to add() and sweep().
 *  - add() returns the full body once every index is present;
 *  - sweep() lists incomplete messages idle for ≥ resendAfterMs with their missing indices, so
 *    the server can send 0x8003 (encodeSubpackageRequestFor), and drops those idle ≥ timeoutMs.
 * Memory is capped per terminal (maxBytesPerTerminal, counting each message's part index as well
 * as its bytes, so empty parts count too) and per assembler (maxMessages): the oldest incomplete
 * message is dropped. A message of more than maxPackages parts is refused (a 16-bit total would
 * otherwise reserve 65,535 slots for one frame).
 */
import type { Jt808Frame, Jt808Header } from './types.ts';

export interface SubpackageGap {
  terminalId: string;
  msgId: number;
  total: number;
  /** Serial of package 1 (known, or estimated as serial − (index − 1) of the earliest part received). */
  originalSerial: number;
  missing: number[];
  /** The header of the first part received (version, protocol version for the 0x8003 reply). */
  header: Jt808Header;
}

export type AddResult =
  | { status: 'complete'; header: Jt808Header; body: Buffer }
  | { status: 'pending'; missing: number[] }
  | { status: 'ignored'; reason: 'not_a_package' | 'bad_index' | 'duplicate' | 'too_many_packages' };

export interface SubpackageAssemblerOptions {
  /** Ask for missing parts after this idle time. Default 5 s. */
  resendAfterMs?: number;
  /** Give up after this idle time. Default 60 s. */
  timeoutMs?: number;
  /** Default 256 KiB. */
  maxBytesPerTerminal?: number;
  /** Parts one message may have. Default 1,024 (~1 MB at the 1,023-byte body limit). */
  maxPackages?: number;
  /** Incomplete messages held at once. Default 16. */
  maxMessages?: number;
}

/** What an entry costs beyond its bytes, per part slot (the index), in the byte cap. */
const SLOT_BYTES = 16;

interface Entry {
  key: string;
  header: Jt808Header;
  total: number;
  parts: Map<number, Buffer>;
  received: number;
  bytes: number;
  originalSerial: number;
  serialKnown: boolean;
  createdAt: number;
  lastAt: number;
  askedAt: number | null;
}

export class SubpackageAssembler {
  private readonly entries = new Map<string, Entry>();
  private readonly resendAfter: number;
  private readonly timeout: number;
  private readonly maxBytes: number;
  private readonly maxPackages: number;
  private readonly maxMessages: number;

  constructor(opts: SubpackageAssemblerOptions = {}) {
    this.resendAfter = opts.resendAfterMs ?? 5_000;
    this.timeout = opts.timeoutMs ?? 60_000;
    this.maxBytes = opts.maxBytesPerTerminal ?? 256 * 1024;
    this.maxPackages = opts.maxPackages ?? 1024;
    this.maxMessages = opts.maxMessages ?? 16;
  }

  get size(): number {
    return this.entries.size;
  }

  add(frame: Jt808Frame, now: number): AddResult {
    const { header, body } = frame;
    const pkg = header.package;
    if (!pkg) return { status: 'ignored', reason: 'not_a_package' };
    if (pkg.total < 1 || pkg.index < 1 || pkg.index > pkg.total) return { status: 'ignored', reason: 'bad_index' };
    if (pkg.total > this.maxPackages) return { status: 'ignored', reason: 'too_many_packages' };
    const key = `${header.terminalId}|${header.msgId}|${pkg.total}`;
    let e = this.entries.get(key);
    if (!e) {
      e = { key, header, total: pkg.total, parts: new Map(), received: 0, bytes: pkg.total * SLOT_BYTES, originalSerial: (header.serial - (pkg.index - 1)) & 0xffff, serialKnown: pkg.index === 1, createdAt: now, lastAt: now, askedAt: null };
      this.entries.set(key, e);
      // the oldest incomplete message goes first (Map order is insertion order)
      for (const old of this.entries.values()) { if (this.entries.size <= this.maxMessages) break; if (old !== e) this.entries.delete(old.key); }
    }
    e.lastAt = now;
    if (e.parts.has(pkg.index)) return { status: 'ignored', reason: 'duplicate' };
    e.parts.set(pkg.index, Buffer.from(body)); // copy: the frame may be a view of a socket buffer
    e.received++;
    e.bytes += body.length;
    if (pkg.index === 1) {
      e.originalSerial = header.serial;
      e.serialKnown = true;
      e.header = header;
    }
    if (e.received === pkg.total) {
      this.entries.delete(key);
      const parts: Buffer[] = [];
      for (let i = 1; i <= e.total; i++) parts.push(e.parts.get(i)!);
      return { status: 'complete', header: { ...e.header, package: null }, body: Buffer.concat(parts) };
    }
    this.capTerminal(header.terminalId, key);
    return { status: 'pending', missing: missingOf(e) };
  }

  /** Gaps to request again (idle ≥ resendAfterMs, asked at most once per resendAfterMs) and expired messages (dropped). */
  sweep(now: number): { resend: SubpackageGap[]; expired: SubpackageGap[] } {
    const resend: SubpackageGap[] = [];
    const expired: SubpackageGap[] = [];
    for (const e of this.entries.values()) {
      if (now - e.lastAt >= this.timeout) {
        expired.push(gapOf(e));
        this.entries.delete(e.key);
      } else if (now - e.lastAt >= this.resendAfter && (e.askedAt === null || now - e.askedAt >= this.resendAfter)) {
        e.askedAt = now;
        resend.push(gapOf(e));
      }
    }
    return { resend, expired };
  }

  /** Incomplete messages of one terminal (e.g. to drop on disconnect). */
  pendingFor(terminalId: string): SubpackageGap[] {
    return [...this.entries.values()].filter((e) => e.header.terminalId === terminalId).map(gapOf);
  }

  private capTerminal(terminalId: string, keep: string) {
    let total = 0;
    const mine: Entry[] = [];
    for (const e of this.entries.values()) {
      if (e.header.terminalId === terminalId) {
        total += e.bytes;
        mine.push(e);
      }
    }
    mine.sort((a, b) => a.createdAt - b.createdAt);
    for (const e of mine) {
      if (total <= this.maxBytes) break;
      if (e.key === keep && mine.length > 1) continue;
      this.entries.delete(e.key);
      total -= e.bytes;
    }
  }
}

function missingOf(e: Entry): number[] {
  const m: number[] = [];
  for (let i = 1; i <= e.total; i++) if (!e.parts.has(i)) m.push(i);
  return m;
}

function gapOf(e: Entry): SubpackageGap {
  return { terminalId: e.header.terminalId, msgId: e.header.msgId, total: e.total, originalSerial: e.originalSerial, missing: missingOf(e), header: e.header };
}
