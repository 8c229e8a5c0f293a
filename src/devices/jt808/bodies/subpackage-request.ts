/**
 * 0x8003 platform asks for missing sub-packages / 0x0005 (2019) terminal asks the same:
 * WORD original serial, count (BYTE in 2011/2013, WORD in 2019: K6/K7), WORD package IDs.
 */
import { checkInt, need } from './need.ts';
import type { Jt808Version } from '../types.ts';

export interface SubpackageRequestBody {
  /** Serial of the first sub-package of the original message. */
  originalSerial: number;
  /** Package indices (from 1) to re-send. */
  packageIds: number[];
}

export function decodeSubpackageRequest(b: Buffer, version: Jt808Version): SubpackageRequestBody {
  const wide = version === 2019;
  need(b, wide ? 4 : 3, 'sub-package request');
  const count = wide ? b.readUInt16BE(2) : b[2]!;
  const o = wide ? 4 : 3;
  need(b, o + count * 2, 'sub-package request');
  const packageIds: number[] = [];
  for (let i = 0; i < count; i++) packageIds.push(b.readUInt16BE(o + i * 2));
  return { originalSerial: b.readUInt16BE(0), packageIds };
}

export function encodeSubpackageRequest(v: SubpackageRequestBody, version: Jt808Version): Buffer {
  const wide = version === 2019;
  const o = wide ? 4 : 3;
  checkInt('package count', v.packageIds.length, wide ? 0xffff : 0xff);
  const b = Buffer.allocUnsafe(o + v.packageIds.length * 2);
  b.writeUInt16BE(checkInt('originalSerial', v.originalSerial, 0xffff), 0);
  if (wide) b.writeUInt16BE(v.packageIds.length, 2);
  else b[2] = v.packageIds.length;
  v.packageIds.forEach((id, i) => b.writeUInt16BE(checkInt('packageId', id, 0xffff), o + i * 2));
  return b;
}
