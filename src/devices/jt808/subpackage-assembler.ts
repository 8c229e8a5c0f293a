/**
 * Sub-package reassembly (protocol doc §3.6). Parts are keyed by (terminal, message ID, package
 * total) and placed by index — serials need not be consecutive (K4/K5: 1233 and 1250).
 * Pure-ish: no timers; the caller passes `now` (epoch ms, from platform/clock) to add() and sweep().
 *  - add() returns the full body once every index is present;
 *  - sweep() lists incomplete messages idle for ≥ resendAfterMs with their missing indices, so
 *    the server can send 0x8003 (encodeSubpackageRequestFor), and drops those idle ≥ timeoutMs.
 * Memory is capped per terminal (maxBytesPerTerminal): the oldest incomplete message is dropped.
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
  | { status: 'ignored'; reason: 'not_a_package' | 'bad_index' | 'duplicate' };

export interface SubpackageAssemblerOptions {
  /** Ask for missing parts after this idle time. Default 5 s. */
  resendAfterMs?: number;
  /** Give up after this idle time. Default 60 s. */
  timeoutMs?: number;
  /** Default 256 KiB. */
  maxBytesPerTerminal?: number;
}

interface Entry {
  key: string;
  header: Jt808Header;
  parts: (Buffer | undefined)[];
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

  constructor(opts: SubpackageAssemblerOptions = {}) {
    this.resendAfter = opts.resendAfterMs ?? 5_000;
    this.timeout = opts.timeoutMs ?? 60_000;
    this.maxBytes = opts.maxBytesPerTerminal ?? 256 * 1024;
  }

  get size(): number {
    return this.entries.size;
  }

  add(frame: Jt808Frame, now: number): AddResult {
    const { header, body } = frame;
    const pkg = header.package;
    if (!pkg) return { status: 'ignored', reason: 'not_a_package' };
    if (pkg.total < 1 || pkg.index < 1 || pkg.index > pkg.total) return { status: 'ignored', reason: 'bad_index' };
    const key = `${header.terminalId}|${header.msgId}|${pkg.total}`;
    let e = this.entries.get(key);
    if (!e) {
      e = { key, header, parts: new Array(pkg.total), received: 0, bytes: 0, originalSerial: (header.serial - (pkg.index - 1)) & 0xffff, serialKnown: pkg.index === 1, createdAt: now, lastAt: now, askedAt: null };
      this.entries.set(key, e);
    }
    e.lastAt = now;
    if (e.parts[pkg.index - 1]) return { status: 'ignored', reason: 'duplicate' };
    e.parts[pkg.index - 1] = Buffer.from(body); // copy: the frame may be a view of a socket buffer
    e.received++;
    e.bytes += body.length;
    if (pkg.index === 1) {
      e.originalSerial = header.serial;
      e.serialKnown = true;
      e.header = header;
    }
    if (e.received === pkg.total) {
      this.entries.delete(key);
      return { status: 'complete', header: { ...e.header, package: null }, body: Buffer.concat(e.parts as Buffer[]) };
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
  for (let i = 0; i < e.parts.length; i++) if (!e.parts[i]) m.push(i + 1);
  return m;
}

function gapOf(e: Entry): SubpackageGap {
  return { terminalId: e.header.terminalId, msgId: e.header.msgId, total: e.parts.length, originalSerial: e.originalSerial, missing: missingOf(e), header: e.header };
}
