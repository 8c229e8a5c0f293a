/**
 * Frame → message. Order (protocol doc §2): un-escape → checksum → header (with the version
 * fallback) → body. Errors are Jt808Error with a stable code (errors.ts).
 */
import { decodeBody, type Jt808Body } from './body-codec.ts';
import { xorChecksum } from './checksum.ts';
import { Jt808Error } from './errors.ts';
import { unescapeFrame, type UnescapeResult } from './escape.ts';
import { parseHeader } from './header.ts';
import type { DecodeOptions, Jt808Frame, Jt808Message, RawBody } from './types.ts';

/**
 * Check and split an un-escaped frame (the bytes between the delimiters, checksum last).
 * Accepts the splitter's output ({bytes, bareTrailing7d}) or a plain Buffer.
 */
export function parseFrame(input: Buffer | UnescapeResult, opts?: DecodeOptions): Jt808Frame {
  const f = Buffer.isBuffer(input) ? input : input.bytes;
  if (f.length === 0) throw new Jt808Error('empty_frame', 'nothing between the 0x7E delimiters');
  const n = f.length - 1;
  const sum = xorChecksum(f, 0, n);
  if (sum !== f[n]) {
    throw new Jt808Error('bad_checksum', `checksum 0x${f[n]!.toString(16).padStart(2, '0')}, computed 0x${sum.toString(16).padStart(2, '0')}`, { sent: f[n], computed: sum });
  }
  const { header, bodyOffset, bodyLength } = parseHeader(f, opts?.versionHint);
  if (!Buffer.isBuffer(input) && input.bareTrailing7d) header.quirks.push('bare_7d_checksum');
  return { header, body: f.subarray(bodyOffset, bodyOffset + bodyLength) };
}

/** Decode a checked frame's body (or a reassembled sub-package body) into a message. */
export function decodeParsed(frame: Jt808Frame, opts?: DecodeOptions): Jt808Message<Jt808Body> {
  const { header, body } = frame;
  let decoded: Jt808Body;
  if (header.package) decoded = { raw: body.toString('hex'), fragment: true } satisfies RawBody;
  else if (header.encryption & 1 && !header.quirks.includes('one_byte_serial')) decoded = { raw: body.toString('hex'), encrypted: true } satisfies RawBody;
  else decoded = decodeBody(header.msgId, body, header.version, opts?.zone ?? '+08:00');
  if (header.msgId === 0x0100 && header.version === 2013 && (decoded as { layout?: number }).layout === 2011) header.version = 2011;
  return { header, body: decoded };
}

/** Un-escaped frame content → message. */
export function decodeFrame(input: Buffer | UnescapeResult, opts?: DecodeOptions): Jt808Message<Jt808Body> {
  return decodeParsed(parseFrame(input, opts), opts);
}

/** Wire bytes of ONE frame (escaped, with or without the 0x7E delimiters; bytes before the first 0x7E skipped) → message. */
export function decodeWire(wire: Buffer, opts?: DecodeOptions): Jt808Message<Jt808Body> {
  let s = 0;
  let e = wire.length;
  const first = wire.indexOf(0x7e);
  if (first !== -1) {
    s = first + 1;
    const close = wire.indexOf(0x7e, s);
    if (close !== -1) {
      e = close;
      const next = wire.indexOf(0x7e, close + 1);
      if (next !== -1 && next + 1 < wire.length) throw new Jt808Error('multiple_frames', 'more than one frame in the input');
    }
  }
  return decodeFrame(unescapeFrame(wire, s, e), opts);
}
