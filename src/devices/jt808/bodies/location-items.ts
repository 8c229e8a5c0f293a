/**
 * 0x0200 additional items (BYTE id, BYTE length, value), protocol doc §5.4. Known IDs are decoded
 * by (id, length); every item keeps its raw bytes as hex; unknown/vendor items are raw only, and
 * the lock profiles interpret the vendor ones. Items may repeat and appear in any order (G21); an
 * item that runs past the body end is kept with `truncated: true` (the position is never dropped).
 * 0x05 (tyre pressure) and 0x06 (carriage temperature) are decoded only in 2019 frames (G25, EMQX).
 */
import type { Jt808Version } from '../types.ts';

export interface LocationItem {
  id: number;
  /** Value bytes as hex (what the encoder writes). */
  raw: string;
  /** Set for known (id, length) pairs. */
  name?: string;
  value?: unknown;
  /** The item's declared length ran past the end of the body; raw holds what was there. */
  truncated?: true;
}

/** Decode one item's value. `b[s, e)` are the value bytes. */
export function decodeItemValue(item: LocationItem, id: number, b: Buffer, s: number, len: number, version: Jt808Version): void {
  switch (id) {
    case 0x01:
      if (len === 4) set(item, 'mileageKm', b.readUInt32BE(s) / 10);
      return;
    case 0x02:
      if (len === 2) set(item, 'fuelL', b.readUInt16BE(s) / 10);
      return;
    case 0x03:
      if (len === 2) set(item, 'tachoSpeedKmh', b.readUInt16BE(s) / 10);
      return;
    case 0x04:
      if (len === 2) set(item, 'alarmEventId', b.readUInt16BE(s));
      return;
    case 0x05:
      if (len === 30 && version === 2019) set(item, 'tyrePressure', [...b.subarray(s, s + len)]);
      return;
    case 0x06:
      if (len === 2 && version === 2019) set(item, 'carriageTempC', b.readInt16BE(s));
      return;
    case 0x11:
      if (len === 1) set(item, 'overspeed', { locationType: b[s]! });
      else if (len === 5) set(item, 'overspeed', { locationType: b[s]!, areaId: b.readUInt32BE(s + 1) });
      return;
    case 0x12:
      if (len === 6) set(item, 'areaEntryExit', { locationType: b[s]!, areaId: b.readUInt32BE(s + 1), direction: b[s + 5] === 0 ? 'in' : 'out' });
      return;
    case 0x13:
      if (len === 7) set(item, 'routeSegmentTime', { segmentId: b.readUInt32BE(s), seconds: b.readUInt16BE(s + 4), result: b[s + 6] === 0 ? 'too_short' : 'too_long' });
      return;
    case 0x25:
      if (len === 4) set(item, 'extendedSignals', b.readUInt32BE(s));
      return;
    case 0x2a:
      if (len === 2) {
        const w = b.readUInt16BE(s);
        set(item, 'ioStatus', { deepSleep: (w & 1) !== 0, sleep: (w & 2) !== 0 });
      }
      return;
    case 0x2b:
      if (len === 4) set(item, 'analog', { ad0: b.readUInt16BE(s + 2), ad1: b.readUInt16BE(s) });
      return;
    case 0x30:
      if (len === 1) set(item, 'signalStrength', b[s]!);
      return;
    case 0x31:
      if (len === 1) set(item, 'satellites', b[s]!);
      return;
    case 0xeb: {
      const nested = decodeEb(b, s, s + len);
      if (nested) set(item, 'vendorItems', nested);
      return;
    }
  }
}

function set(item: LocationItem, name: string, value: unknown) {
  item.name = name;
  item.value = value;
}

/** 0xEB vendor container: WORD length (counts id + value), WORD id, value (G5, traccar case 0xEB). Null unless it parses exactly. */
function decodeEb(b: Buffer, s: number, e: number): { id: number; raw: string }[] | null {
  const out: { id: number; raw: string }[] = [];
  let o = s;
  while (o < e) {
    if (o + 4 > e) return null;
    const l = b.readUInt16BE(o);
    if (l < 2 || o + 2 + l > e) return null;
    out.push({ id: b.readUInt16BE(o + 2), raw: b.toString('hex', o + 4, o + 2 + l) });
    o += 2 + l;
  }
  return out.length ? out : null;
}

/** Parse the item list in b[o, end). */
export function decodeItems(b: Buffer, o: number, end: number, version: Jt808Version): LocationItem[] {
  const items: LocationItem[] = [];
  while (o < end) {
    const id = b[o]!;
    if (o + 1 >= end) {
      items.push({ id, raw: '', truncated: true });
      break;
    }
    const len = b[o + 1]!;
    const s = o + 2;
    if (s + len > end) {
      items.push({ id, raw: b.toString('hex', s, end), truncated: true });
      break;
    }
    const item: LocationItem = { id, raw: b.toString('hex', s, s + len) };
    decodeItemValue(item, id, b, s, len, version);
    items.push(item);
    o = s + len;
  }
  return items;
}

/** Build an item from its value bytes, decoded exactly as the decoder would (for emulators and tests). */
export function locationItem(id: number, value: Buffer | string, version: Jt808Version = 2013): LocationItem {
  const b = typeof value === 'string' ? Buffer.from(value, 'hex') : value;
  const item: LocationItem = { id, raw: b.toString('hex') };
  decodeItemValue(item, id, b, 0, b.length, version);
  return item;
}

/** Encoded size of an item list (2 + value bytes each). */
export function itemsByteLength(items: LocationItem[]): number {
  let n = 0;
  for (const it of items) n += 2 + (it.raw.length >> 1);
  return n;
}

export function writeItems(out: Buffer, o: number, items: LocationItem[]): number {
  for (const it of items) {
    const len = it.raw.length >> 1;
    out[o] = it.id;
    out[o + 1] = len;
    out.write(it.raw, o + 2, len, 'hex');
    o += 2 + len;
  }
  return o;
}
