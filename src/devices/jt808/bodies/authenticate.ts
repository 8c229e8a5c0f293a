/**
 * 0x0102 terminal authentication, two layouts:
 * - 2011/2013: STRING auth code = whole body (E1, E3, M1);
 * - 2019: BYTE n, auth code[n], IMEI BYTE[15], software version BYTE[20] (0x00-padded) (E5).
 * The 2019 layout is used when the lengths add up (n + 36 = body length) and the header is 2019
 * or the first byte is not printable; otherwise the whole body is the code.
 */
import { Jt808Error } from '../errors.ts';
import { encodeGbk, fixedText, restText, writeFixedText } from '../text.ts';
import type { Jt808Version } from '../types.ts';

export interface AuthenticateBody {
  authCode: string;
  /** 2019 layout only. */
  imei?: string;
  /** 2019 layout only. */
  softwareVersion?: string;
}

export function decodeAuthenticate(b: Buffer, version: Jt808Version): AuthenticateBody {
  const n = b.length > 0 ? b[0]! : -1;
  if (n >= 0 && n + 36 === b.length && (version === 2019 || n < 0x20)) {
    return { authCode: restText(b, 1, 1 + n), imei: fixedText(b, 1 + n, 15), softwareVersion: fixedText(b, 16 + n, 20) };
  }
  return { authCode: restText(b, 0) };
}

export function encodeAuthenticate(v: AuthenticateBody, version: Jt808Version): Buffer {
  const code = encodeGbk(v.authCode);
  if (version !== 2019 && v.imei === undefined) return code;
  if (code.length > 255) throw new Jt808Error('invalid_message', 'auth code longer than 255 bytes');
  const b = Buffer.alloc(1 + code.length + 35);
  b[0] = code.length;
  code.copy(b, 1);
  writeFixedText(b, 1 + code.length, 15, v.imei ?? '', 'imei');
  writeFixedText(b, 16 + code.length, 20, v.softwareVersion ?? '', 'softwareVersion');
  return b;
}
