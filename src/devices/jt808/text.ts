/** GBK STRING fields (protocol doc §2): fixed-width padded fields and length-from-context strings. */
import iconv from 'iconv-lite';
import { Jt808Error } from './errors.ts';

export function decodeGbk(buf: Buffer, start = 0, end = buf.length): string {
  // ASCII fast path: no bytes >= 0x80
  let ascii = true;
  for (let i = start; i < end; i++) if (buf[i]! >= 0x80) { ascii = false; break; }
  return ascii ? buf.toString('latin1', start, end) : iconv.decode(buf.subarray(start, end), 'gbk');
}

export function encodeGbk(s: string): Buffer {
  return /^[\x00-\x7f]*$/.test(s) ? Buffer.from(s, 'latin1') : iconv.encode(s, 'gbk');
}

/**
 * Fixed-width text field (maker ID, model, terminal ID in 0x0100): 0x00 padding trimmed on both
 * sides. ASCII "0" left-padding (D9) is NOT stripped, because a leading "0" can be significant
 * (D1 terminal ID "0567872"); match such IDs with and without leading zeros.
 * A field holding control bytes (binary data, vector D5) is returned as "0x" + hex of the whole field.
 */
export function fixedText(buf: Buffer, start: number, len: number): string {
  let s = start;
  let e = start + len;
  while (e > s && buf[e - 1] === 0) e--;
  while (s < e && buf[s] === 0) s++;
  for (let i = s; i < e; i++) if (buf[i]! < 0x20 || buf[i] === 0x7f) return '0x' + buf.toString('hex', start, start + len);
  return decodeGbk(buf, s, e);
}

/** Inverse of fixedText: GBK text right-padded with 0x00 to `len` (or "0x…" raw hex of exactly len bytes). */
export function writeFixedText(out: Buffer, offset: number, len: number, text: string, field: string): void {
  let bytes: Buffer;
  if (/^0x([0-9a-f]{2})+$/.test(text) && text.length === 2 + len * 2) bytes = Buffer.from(text.slice(2), 'hex');
  else bytes = encodeGbk(text);
  if (bytes.length > len) throw new Jt808Error('invalid_message', `${field} is ${bytes.length} bytes, field holds ${len}`);
  out.fill(0, offset, offset + len);
  bytes.copy(out, offset);
}

/** STRING that runs to the end of the body; a trailing 0x00 terminator (G10) is dropped. */
export function restText(buf: Buffer, start: number, end = buf.length): string {
  let e = end;
  while (e > start && buf[e - 1] === 0) e--;
  return decodeGbk(buf, start, e);
}

/** Printable ASCII (plus CR/LF/TAB), for showing pass-through payloads as text. */
export function isPrintableAscii(buf: Buffer, start = 0, end = buf.length): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if ((b < 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) || b > 0x7e) return false;
  }
  return true;
}
