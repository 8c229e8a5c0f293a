/**
 * 0x0100 terminal registration (three layouts, protocol doc §4.1) and 0x8100 registration response.
 *
 * | field          | 2011    | 2013     | 2019     |
 * | province, city | WORD×2  | WORD×2   | WORD×2   |
 * | maker ID       | [5]     | [5]      | [11]     |
 * | terminal model | [8]     | [20]     | [30]     |
 * | terminal ID    | [7]     | [7]      | [30]     |
 * | plate colour   | BYTE    | BYTE     | BYTE     |
 * | plate / VIN    | STRING (rest of body)          |
 *
 * Layout choice: a 2019 header with ≥ 76 bytes → 2019. Otherwise by body length: < 37 → 2011
 * (D5); ≥ 37 → 2013, unless the 2013 plate-colour byte (offset 36) is not a colour (> 9) while the
 * 2011 one (offset 24) is, i.e. a 2011 body with a long plate/VIN. A caller hint of 2011 wins.
 */
import { Jt808Error } from '../errors.ts';
import { encodeGbk, fixedText, restText, writeFixedText } from '../text.ts';
import type { Jt808Version } from '../types.ts';
import { checkInt, need } from './need.ts';

export interface RegisterBody {
  layout: Jt808Version;
  provinceId: number;
  cityId: number;
  makerId: string;
  terminalModel: string;
  terminalId: string;
  /** 0 no plate (then plate is commonly the VIN), 1 blue, 2 yellow, 3 black, 4 white, 5 green, 9 other. */
  plateColor: number;
  plate: string;
}

const SIZES: Record<Jt808Version, [number, number, number]> = { 2011: [5, 8, 7], 2013: [5, 20, 7], 2019: [11, 30, 30] };
const fixedLen = (l: Jt808Version) => 4 + SIZES[l][0] + SIZES[l][1] + SIZES[l][2] + 1;

export function registerLayoutOf(b: Buffer, version: Jt808Version): Jt808Version {
  if (version === 2019 && b.length >= 76) return 2019;
  if (version === 2011 && b.length >= 25) return 2011;
  if (b.length < 37) return 2011;
  if (b[36]! > 9 && b[24]! <= 9) return 2011;
  return 2013;
}

export function decodeRegister(b: Buffer, version: Jt808Version): RegisterBody {
  need(b, 25, 'register (0x0100)');
  const layout = registerLayoutOf(b, version);
  const [m, t, i] = SIZES[layout];
  let o = 4;
  const makerId = fixedText(b, o, m);
  o += m;
  const terminalModel = fixedText(b, o, t);
  o += t;
  const terminalId = fixedText(b, o, i);
  o += i;
  const plateColor = b[o++]!;
  return { layout, provinceId: b.readUInt16BE(0), cityId: b.readUInt16BE(2), makerId, terminalModel, terminalId, plateColor, plate: restText(b, o) };
}

export function encodeRegister(v: Omit<RegisterBody, 'layout'> & { layout?: Jt808Version }, version: Jt808Version): Buffer {
  const layout = v.layout ?? version;
  const [m, t, i] = SIZES[layout];
  const plate = encodeGbk(v.plate);
  const b = Buffer.alloc(fixedLen(layout) + plate.length);
  b.writeUInt16BE(checkInt('provinceId', v.provinceId, 0xffff), 0);
  b.writeUInt16BE(checkInt('cityId', v.cityId, 0xffff), 2);
  let o = 4;
  writeFixedText(b, o, m, v.makerId, 'makerId');
  o += m;
  writeFixedText(b, o, t, v.terminalModel, 'terminalModel');
  o += t;
  writeFixedText(b, o, i, v.terminalId, 'terminalId');
  o += i;
  b[o++] = checkInt('plateColor', v.plateColor, 0xff);
  plate.copy(b, o);
  return b;
}

export interface RegisterResponseBody {
  answerSerial: number;
  /** 0 ok, 1 vehicle already registered, 2 vehicle not in DB, 3 terminal already registered, 4 terminal not in DB. */
  result: number;
  /** Only when result is 0. */
  authCode: string | null;
}

export function decodeRegisterResponse(b: Buffer): RegisterResponseBody {
  need(b, 3, 'register response (0x8100)');
  return { answerSerial: b.readUInt16BE(0), result: b[2]!, authCode: b.length > 3 ? restText(b, 3) : b[2] === 0 ? '' : null };
}

export function encodeRegisterResponse(v: RegisterResponseBody): Buffer {
  if (v.result === 0 && v.authCode == null) throw new Jt808Error('invalid_message', '0x8100 result 0 needs an authCode');
  const code = v.result === 0 || v.authCode ? encodeGbk(v.authCode ?? '') : Buffer.alloc(0);
  const b = Buffer.allocUnsafe(3 + code.length);
  b.writeUInt16BE(checkInt('answerSerial', v.answerSerial, 0xffff), 0);
  b[2] = checkInt('result', v.result, 0xff);
  code.copy(b, 3);
  return b;
}
