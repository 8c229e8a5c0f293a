/**
 * Jointech-format e-lock private messages 0x5501 (live) / 0x5502 (blind-area), JT/T 808 framing
 * with a one-byte serial (header.ts). Body per traccar `Jt600ProtocolDecoder.decodeBinaryLocation`,
 * checked against vectors L7, L9, L11:
 *   BCD[6] ddMMyy hhmmss | BCD[4] lat ddmm.mmmm | BCD[5] lon dddmm.mmmm + flag nibble
 *   (bit0 valid, bit1 north, bit2 east) | BYTE speed (knots per traccar; shown raw) | BYTE course/2 |
 *   BYTE RSSI | BYTE satellites | DWORD odometer km | BYTE battery % (0xAA/0xAB = charging) |
 *   DWORD cell ID | WORD LAC | BYTE product | WORD status | WORD alarm | TLVs (BYTE id, BYTE len, value).
 * For product 3 (e-lock): status bit 5 = blocked; alarm bits 0 overspeed, 1 low power, 2 vibration,
 * 3 low battery, 5/6 geofence enter/exit. TLV 0x0B = lock command (+ card DWORD or 6-char password) + unlock result.
 */
import { bcdDigits } from '../bcd.ts';
import { need } from './need.ts';

export interface JointechLocationBody {
  /** ISO 8601 in the given zone, null if not BCD. */
  time: string | null;
  latitude: number;
  longitude: number;
  valid: boolean;
  speed: number;
  heading: number;
  rssi: number;
  satellites: number;
  odometerKm: number;
  /** Battery percentage, null while charging (0xAA/0xAB). */
  batteryPct: number | null;
  charging: boolean;
  cellId: number;
  lac: number;
  product: number;
  lockStatus: number;
  lockAlarm: number;
  tlvs: { id: number; raw: string }[];
}

export function decodeJointechLocation(b: Buffer, zone = '+08:00'): JointechLocationBody {
  need(b, 35, 'Jointech location (0x5501/0x5502)');
  const t = bcdDigits(b, 0, 6);
  const time = t ? `20${t.slice(4, 6)}-${t.slice(2, 4)}-${t.slice(0, 2)}T${t.slice(6, 8)}:${t.slice(8, 10)}:${t.slice(10, 12)}${zone}` : null;
  const latD = bcdDigits(b, 6, 4) ?? '0'.repeat(8);
  const lonD = (bcdDigits(b, 10, 4) ?? '0'.repeat(8)) + ((b[14]! >> 4) & 0xf);
  const flags = b[14]! & 0xf;
  let lat = Number(latD.slice(0, 2)) + Number(`${latD.slice(2, 4)}.${latD.slice(4)}`) / 60;
  let lon = Number(lonD.slice(0, 3)) + Number(`${lonD.slice(3, 5)}.${lonD.slice(5)}`) / 60;
  lat = Math.round(lat * 1e6) / 1e6;
  lon = Math.round(lon * 1e6) / 1e6;
  if (!(flags & 2)) lat = -lat;
  if (!(flags & 4)) lon = -lon;
  const battery = b[23]!;
  const tlvs: { id: number; raw: string }[] = [];
  let o = 35;
  while (o + 2 <= b.length) {
    const len = b[o + 1]!;
    tlvs.push({ id: b[o]!, raw: b.toString('hex', o + 2, Math.min(b.length, o + 2 + len)) });
    o += 2 + len;
  }
  return {
    time,
    latitude: lat === 0 ? 0 : lat,
    longitude: lon === 0 ? 0 : lon,
    valid: (flags & 1) === 1,
    speed: b[15]!,
    heading: b[16]! * 2,
    rssi: b[17]!,
    satellites: b[18]!,
    odometerKm: b.readUInt32BE(19),
    batteryPct: battery === 0xaa || battery === 0xab ? null : battery,
    charging: battery === 0xaa || battery === 0xab,
    cellId: b.readUInt32BE(24),
    lac: b.readUInt16BE(28),
    product: b[30]!,
    lockStatus: b.readUInt16BE(31),
    lockAlarm: b.readUInt16BE(33),
    tlvs,
  };
}
