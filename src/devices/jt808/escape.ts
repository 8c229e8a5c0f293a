/**
 * JT/T 808 escaping (protocol doc §2): on the wire 0x7E is sent as 7D 02 and 0x7D as 7D 01,
 * applied to header, body and checksum but never to the two 0x7E delimiters.
 * Un-escaping is one left-to-right pass (chained replace() calls are wrong: 7D 01 02 must become 7D 02).
 */
import { Jt808Error } from './errors.ts';

export interface UnescapeResult {
  bytes: Buffer;
  /** True when the last byte was a bare 0x7D (device forgot to escape a 0x7D checksum, vector B6). */
  bareTrailing7d: boolean;
}

/**
 * Un-escape src[start, end) (the bytes between the delimiters). Zero-copy when there is no 0x7D.
 * Throws bad_escape for 0x7D followed by anything but 01/02. A bare 0x7D as the very last byte
 * (the checksum) is tolerated when `tolerateBareTrailing7d` (default true), as go-jt808 does.
 */
export function unescapeFrame(src: Buffer, start = 0, end = src.length, tolerateBareTrailing7d = true): UnescapeResult {
  let i = src.indexOf(0x7d, start);
  if (i === -1 || i >= end) return { bytes: src.subarray(start, end), bareTrailing7d: false };
  const out = Buffer.allocUnsafe(end - start);
  let o = src.copy(out, 0, start, i);
  let bare = false;
  while (i < end) {
    const b = src[i]!;
    if (b !== 0x7d) {
      out[o++] = b;
      i++;
      continue;
    }
    if (i + 1 >= end) {
      if (!tolerateBareTrailing7d) throw new Jt808Error('bad_escape', 'dangling 0x7D at the end of the frame', { offset: i - start });
      out[o++] = 0x7d;
      bare = true;
      i++;
      continue;
    }
    const n = src[i + 1]!;
    if (n === 0x01) out[o++] = 0x7d;
    else if (n === 0x02) out[o++] = 0x7e;
    else throw new Jt808Error('bad_escape', `0x7D followed by 0x${n.toString(16).padStart(2, '0')}`, { offset: i - start });
    i += 2;
  }
  return { bytes: out.subarray(0, o), bareTrailing7d: bare };
}

/** Escape content (header+body+checksum) and wrap it in 0x7E delimiters. */
export function escapeAndFrame(content: Buffer): Buffer {
  let extra = 0;
  for (let i = 0; i < content.length; i++) {
    const b = content[i]!;
    if (b === 0x7e || b === 0x7d) extra++;
  }
  const out = Buffer.allocUnsafe(content.length + extra + 2);
  out[0] = 0x7e;
  let o = 1;
  if (extra === 0) {
    content.copy(out, 1);
    o += content.length;
  } else {
    for (let i = 0; i < content.length; i++) {
      const b = content[i]!;
      if (b === 0x7e) {
        out[o++] = 0x7d;
        out[o++] = 0x02;
      } else if (b === 0x7d) {
        out[o++] = 0x7d;
        out[o++] = 0x01;
      } else out[o++] = b;
    }
  }
  out[o] = 0x7e;
  return out;
}
