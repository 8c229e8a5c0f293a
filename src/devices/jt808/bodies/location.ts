/**
 * 0x0200 location report (protocol doc §5): 28-byte basic part + additional items.
 * Latitude/longitude are signed degrees (status bit 2 = south, bit 3 = west make them negative);
 * the BCD time is the device's wall clock, given as ISO 8601 with the assumed zone (default +08:00)
 * and kept raw in `rawTime`. This is the hot path: keep it allocation-light.
 */
import { bcdTimeIso, bcdTimeRaw, writeBcdTime } from '../bcd.ts';
import { Jt808Error } from '../errors.ts';
import type { Jt808Version } from '../types.ts';
import { decodeItems, itemsByteLength, writeItems, type LocationItem } from './location-items.ts';
import { checkInt, need } from './need.ts';

export interface LocationBody {
  alarm: number;
  status: number;
  latitude: number;
  longitude: number;
  altitudeM: number;
  speedKmh: number;
  /** 0-359°, 0 = north, clockwise. */
  heading: number;
  /** Device time as ISO 8601 with its zone, or null when the BCD value is not a valid time. */
  time: string | null;
  /** The BCD digits as sent (YYMMDDhhmmss; hex if not BCD). */
  rawTime: string;
  items: LocationItem[];
}

export const LOCATION_BASIC_LENGTH = 28;

export function decodeLocationAt(b: Buffer, s: number, end: number, version: Jt808Version, zone: string): LocationBody {
  if (end - s < 28) throw new Jt808Error('truncated_body', `location body has ${end - s} bytes, needs at least 28`, { have: end - s, need: 28 });
  const status = b.readUInt32BE(s + 4);
  const lat = b.readUInt32BE(s + 8);
  const lon = b.readUInt32BE(s + 12);
  return {
    alarm: b.readUInt32BE(s),
    status,
    latitude: lat === 0 ? 0 : status & 4 ? -lat / 1e6 : lat / 1e6,
    longitude: lon === 0 ? 0 : status & 8 ? -lon / 1e6 : lon / 1e6,
    altitudeM: b.readInt16BE(s + 16),
    speedKmh: b.readUInt16BE(s + 18) / 10,
    heading: b.readUInt16BE(s + 20),
    time: bcdTimeIso(b, s + 22, zone),
    rawTime: bcdTimeRaw(b, s + 22),
    items: end > s + 28 ? decodeItems(b, s + 28, end, version) : [],
  };
}

export function decodeLocation(b: Buffer, version: Jt808Version, zone = '+08:00'): LocationBody {
  return decodeLocationAt(b, 0, b.length, version, zone);
}

/** Encoder input: `time` (ISO wall clock, see bcd.writeBcdTime) or `rawTime` when time is null/absent. */
export type LocationInput = Omit<LocationBody, 'time' | 'rawTime'> & { time?: string | null; rawTime?: string };

export function locationByteLength(v: LocationInput): number {
  return 28 + itemsByteLength(v.items);
}

export function writeLocation(out: Buffer, o: number, v: LocationInput): number {
  let status = v.status >>> 0;
  if (v.latitude < 0) status |= 4;
  if (v.longitude < 0) status |= 8;
  out.writeUInt32BE(checkInt('alarm', v.alarm >>> 0, 0xffffffff), o);
  out.writeUInt32BE(status >>> 0, o + 4);
  out.writeUInt32BE(checkInt('latitude', Math.round(Math.abs(v.latitude) * 1e6), 90e6), o + 8);
  out.writeUInt32BE(checkInt('longitude', Math.round(Math.abs(v.longitude) * 1e6), 180e6), o + 12);
  out.writeInt16BE(Math.round(v.altitudeM), o + 16);
  out.writeUInt16BE(checkInt('speed', Math.round(v.speedKmh * 10), 0xffff), o + 18);
  out.writeUInt16BE(checkInt('heading', v.heading, 0xffff), o + 20);
  const t = v.time ?? v.rawTime;
  if (!t) throw new Jt808Error('invalid_message', 'location needs time or rawTime');
  writeBcdTime(out, o + 22, t);
  return writeItems(out, o + 28, v.items);
}

export function encodeLocation(v: LocationInput): Buffer {
  const b = Buffer.alloc(locationByteLength(v));
  writeLocation(b, 0, v);
  return b;
}
