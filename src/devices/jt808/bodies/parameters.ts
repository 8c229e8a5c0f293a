/**
 * Terminal parameters: 0x8103 set (BYTE count, items), 0x0104 answer (WORD answered serial,
 * BYTE count, items), 0x8106 query given (BYTE count, DWORD IDs), 0x8104 query all (empty).
 * Item: DWORD parameter ID, BYTE length, value. Values: STRING IDs as text, 1/2/4-byte values as
 * numbers, anything else as hex; `raw` (hex) is always kept and is what the encoder prefers.
 */
import { Jt808Error } from '../errors.ts';
import { decodeGbk, encodeGbk } from '../text.ts';
import { checkInt, need } from './need.ts';

export interface ParameterItem {
  id: number;
  value: number | string;
  /** Value bytes as hex; when present the encoder writes these. */
  raw?: string;
}

export interface SetParametersBody {
  params: ParameterItem[];
}
export interface ParametersAnswerBody {
  answerSerial: number;
  params: ParameterItem[];
}
export interface QueryParametersBody {
  ids: number[];
}

/** Parameter IDs whose value is a STRING (SmallChi JT808Constants). */
export const STRING_PARAMS = new Set([0x0010, 0x0011, 0x0012, 0x0013, 0x0014, 0x0015, 0x0016, 0x0017, 0x001a, 0x001d, 0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0048, 0x0049, 0x0083]);

function decodeItems(b: Buffer, o: number, count: number): ParameterItem[] {
  const params: ParameterItem[] = [];
  for (let k = 0; k < count; k++) {
    need(b, o + 5, 'parameter list');
    const id = b.readUInt32BE(o);
    const len = b[o + 4]!;
    o += 5;
    need(b, o + len, 'parameter list');
    let value: number | string;
    if (STRING_PARAMS.has(id)) {
      let e = o + len;
      while (e > o && b[e - 1] === 0) e--;
      value = decodeGbk(b, o, e);
    } else if (len === 1) value = b[o]!;
    else if (len === 2) value = b.readUInt16BE(o);
    else if (len === 4) value = b.readUInt32BE(o);
    else value = b.toString('hex', o, o + len);
    params.push({ id, value, raw: b.toString('hex', o, o + len) });
    o += len;
  }
  return params;
}

/** Value bytes of a parameter: raw hex if given, else text for STRING IDs / strings, else a DWORD (WORD for 0x0031). */
export function parameterValueBytes(p: ParameterItem): Buffer {
  if (p.raw !== undefined) return Buffer.from(p.raw, 'hex');
  if (typeof p.value === 'string') return encodeGbk(p.value);
  const b = Buffer.allocUnsafe(p.id === 0x0031 ? 2 : 4);
  if (b.length === 2) b.writeUInt16BE(checkInt(`param 0x${p.id.toString(16)}`, p.value, 0xffff));
  else b.writeUInt32BE(checkInt(`param 0x${p.id.toString(16)}`, p.value, 0xffffffff));
  return b;
}

function encodeItems(params: ParameterItem[]): Buffer[] {
  const parts: Buffer[] = [];
  for (const p of params) {
    const v = parameterValueBytes(p);
    if (v.length > 255) throw new Jt808Error('invalid_message', `parameter 0x${p.id.toString(16)} value longer than 255 bytes`);
    const h = Buffer.allocUnsafe(5);
    h.writeUInt32BE(checkInt('param id', p.id, 0xffffffff), 0);
    h[4] = v.length;
    parts.push(h, v);
  }
  return parts;
}

export function decodeSetParameters(b: Buffer): SetParametersBody {
  need(b, 1, 'set parameters (0x8103)');
  return { params: decodeItems(b, 1, b[0]!) };
}
export function encodeSetParameters(v: SetParametersBody): Buffer {
  return Buffer.concat([Buffer.from([checkInt('parameter count', v.params.length, 0xff)]), ...encodeItems(v.params)]);
}

export function decodeParametersAnswer(b: Buffer): ParametersAnswerBody {
  need(b, 3, 'parameters answer (0x0104)');
  return { answerSerial: b.readUInt16BE(0), params: decodeItems(b, 3, b[2]!) };
}
export function encodeParametersAnswer(v: ParametersAnswerBody): Buffer {
  const h = Buffer.allocUnsafe(3);
  h.writeUInt16BE(checkInt('answerSerial', v.answerSerial, 0xffff), 0);
  h[2] = checkInt('parameter count', v.params.length, 0xff);
  return Buffer.concat([h, ...encodeItems(v.params)]);
}

export function decodeQueryParameters(b: Buffer): QueryParametersBody {
  need(b, 1, 'query parameters (0x8106)');
  const n = b[0]!;
  need(b, 1 + 4 * n, 'query parameters (0x8106)');
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push(b.readUInt32BE(1 + 4 * i));
  return { ids };
}
export function encodeQueryParameters(v: QueryParametersBody): Buffer {
  const b = Buffer.allocUnsafe(1 + 4 * v.ids.length);
  b[0] = checkInt('id count', v.ids.length, 0xff);
  v.ids.forEach((id, i) => b.writeUInt32BE(checkInt('param id', id, 0xffffffff), 1 + 4 * i));
  return b;
}
