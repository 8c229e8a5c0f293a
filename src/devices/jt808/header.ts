/**
 * Header decode/encode for 2011/2013 (12 bytes, 16 with packages) and 2019 (17/21), with the
 * version-flag quirks of protocol doc §3.4: bit 14 picks the layout first, then header length +
 * body length + 1 must equal the frame length; if not, the other layout is tried (M1, M3).
 * Vendor messages 0x5501/0x5502 (Jointech-format e-locks, L7-L11) use a ONE-byte serial.
 */
import { terminalIdOf, writeTerminalId } from './bcd.ts';
import { Jt808Error } from './errors.ts';
import type { Jt808Header, Jt808OutHeader, Jt808Version } from './types.ts';

export const MAX_BODY_LENGTH = 0x3ff;

export interface ParsedHeader {
  header: Jt808Header;
  /** Offset of the body in the un-escaped frame. */
  bodyOffset: number;
  bodyLength: number;
}

const JOINTECH_IDS = new Set([0x5501, 0x5502]);

/**
 * Parse the header of an un-escaped frame `f` whose last byte is the (already verified) checksum.
 * Throws truncated_header / length_mismatch.
 */
export function parseHeader(f: Buffer, versionHint?: Jt808Version): ParsedHeader {
  const n = f.length - 1; // bytes before the checksum
  if (n < 4) throw new Jt808Error('truncated_header', `frame has ${n} bytes before the checksum, header needs 12`, { have: n, need: 12 });
  const msgId = f.readUInt16BE(0);
  const props = f.readUInt16BE(2);
  const bodyLength = props & 0x3ff;
  const sub = (props & 0x2000) !== 0;
  const flag = (props & 0x4000) !== 0;
  const pk = sub ? 4 : 0;

  if (JOINTECH_IDS.has(msgId) && !sub && n === 11 + bodyLength) {
    const header = mk(msgId, 2013, null, terminalIdOf(f, 4, 6), f[10]!, null, props, props & 0x8000 ? ['one_byte_serial', 'reserved_bit15'] : ['one_byte_serial']);
    return { header, bodyOffset: 11, bodyLength };
  }

  const primary2019 = flag;
  const hPrim = (primary2019 ? 17 : 12) + pk;
  const hAlt = (primary2019 ? 12 : 17) + pk;
  let use2019: boolean;
  if (n >= hPrim && n === hPrim + bodyLength) use2019 = primary2019;
  else if (n >= hAlt && n === hAlt + bodyLength) use2019 = !primary2019;
  else if (n < hPrim) {
    throw new Jt808Error('truncated_header', `frame has ${n} bytes before the checksum, header needs ${hPrim}`, { have: n, need: hPrim });
  } else {
    throw new Jt808Error('length_mismatch', `body length declared ${bodyLength}, present ${n - hPrim}`, { declared: bodyLength, present: n - hPrim });
  }

  const quirks: string[] = [];
  if (use2019 && !flag) quirks.push('2019_header_without_version_flag');
  if (!use2019 && flag) quirks.push('version_flag_without_2019_header');
  if (props & 0x8000) quirks.push('reserved_bit15');
  let header: Jt808Header;
  let o: number;
  if (use2019) {
    header = mk(msgId, 2019, f[4]!, terminalIdOf(f, 5, 10), f.readUInt16BE(15), null, props, quirks);
    o = 17;
  } else {
    header = mk(msgId, versionHint === 2011 ? 2011 : 2013, null, terminalIdOf(f, 4, 6), f.readUInt16BE(10), null, props, quirks);
    o = 12;
  }
  if (sub) {
    header.package = { total: f.readUInt16BE(o), index: f.readUInt16BE(o + 2) };
    o += 4;
  }
  return { header, bodyOffset: o, bodyLength };
}

function mk(msgId: number, version: Jt808Version, protocolVersion: number | null, terminalId: string, serial: number, pkg: null, props: number, quirks: string[]): Jt808Header {
  return { msgId, version, protocolVersion, terminalId, serial, package: pkg, encryption: (props >> 10) & 7, quirks };
}

export const headerLength = (h: Pick<Jt808OutHeader, 'version' | 'package'>) => (h.version === 2019 ? 17 : 12) + (h.package ? 4 : 0);

/** Write the header for a body of `bodyLength` bytes into out[0..headerLength). */
export function writeHeader(out: Buffer, h: Jt808OutHeader, bodyLength: number): number {
  if (bodyLength > MAX_BODY_LENGTH) throw new Jt808Error('body_too_large', `body is ${bodyLength} bytes, max ${MAX_BODY_LENGTH}: send it as sub-packages`);
  checkWord('msgId', h.msgId);
  checkWord('serial', h.serial);
  const enc = h.encryption ?? 0;
  let props = bodyLength | ((enc & 7) << 10);
  if (h.package) props |= 0x2000;
  if (h.version === 2019) props |= 0x4000;
  out.writeUInt16BE(h.msgId, 0);
  out.writeUInt16BE(props, 2);
  let o: number;
  if (h.version === 2019) {
    out[4] = h.protocolVersion ?? 1;
    writeTerminalId(out, 5, 10, h.terminalId);
    out.writeUInt16BE(h.serial, 15);
    o = 17;
  } else {
    writeTerminalId(out, 4, 6, h.terminalId);
    out.writeUInt16BE(h.serial, 10);
    o = 12;
  }
  if (h.package) {
    checkWord('package.total', h.package.total);
    checkWord('package.index', h.package.index);
    out.writeUInt16BE(h.package.total, o);
    out.writeUInt16BE(h.package.index, o + 2);
    o += 4;
  }
  return o;
}

function checkWord(name: string, v: number) {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new Jt808Error('invalid_message', `${name} ${v} is not a WORD`);
}
