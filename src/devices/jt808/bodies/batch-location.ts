/** 0x0704 batch location upload: WORD count, BYTE type (0 normal batch, 1 blind-area re-send), then per item WORD length + 0x0200 body. */
import { Jt808Error } from '../errors.ts';
import type { Jt808Version } from '../types.ts';
import { decodeLocationAt, locationByteLength, writeLocation, type LocationBody, type LocationInput } from './location.ts';
import { checkInt, need } from './need.ts';

export interface BatchLocationBody {
  type: number;
  locations: LocationBody[];
}

export function decodeBatchLocation(b: Buffer, version: Jt808Version, zone = '+08:00'): BatchLocationBody {
  need(b, 3, 'batch location (0x0704)');
  const count = b.readUInt16BE(0);
  const locations: LocationBody[] = [];
  let o = 3;
  for (let i = 0; i < count; i++) {
    need(b, o + 2, 'batch location (0x0704)');
    const len = b.readUInt16BE(o);
    o += 2;
    if (o + len > b.length) throw new Jt808Error('truncated_body', `batch item ${i} declares ${len} bytes, ${b.length - o} left`, { item: i });
    locations.push(decodeLocationAt(b, o, o + len, version, zone));
    o += len;
  }
  return { type: b[2]!, locations };
}

export function encodeBatchLocation(v: { type: number; locations: LocationInput[] }): Buffer {
  checkInt('location count', v.locations.length, 0xffff);
  let n = 3;
  for (const l of v.locations) n += 2 + locationByteLength(l);
  const b = Buffer.alloc(n);
  b.writeUInt16BE(v.locations.length, 0);
  b[2] = checkInt('type', v.type, 0xff);
  let o = 3;
  for (const l of v.locations) {
    const len = locationByteLength(l);
    b.writeUInt16BE(len, o);
    o = writeLocation(b, o + 2, l);
  }
  return b;
}
