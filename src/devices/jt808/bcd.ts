/** 8421 BCD helpers: terminal numbers and YYMMDDhhmmss device times. */
import { Jt808Error } from './errors.ts';

/** BCD byte → two digits, or undefined when a nibble is > 9. */
const BCD2: (string | undefined)[] = [];
const HEX2: string[] = [];
for (let b = 0; b < 256; b++) {
  const hi = b >> 4;
  const lo = b & 15;
  BCD2[b] = hi <= 9 && lo <= 9 ? `${hi}${lo}` : undefined;
  HEX2[b] = b.toString(16).padStart(2, '0');
}

/** Digits of a BCD field, or null if any nibble is not a decimal digit. */
export function bcdDigits(buf: Buffer, start: number, len: number): string | null {
  let s = '';
  for (let i = start; i < start + len; i++) {
    const d = BCD2[buf[i]!];
    if (d === undefined) return null;
    s += d;
  }
  return s;
}

/**
 * Terminal number (header BCD[6] or BCD[10]): the digit string with leading zeros kept;
 * a non-BCD field (binary IDs, vectors I1, I9, J7) becomes lower-case hex of the raw bytes.
 */
export function terminalIdOf(buf: Buffer, start: number, len: number): string {
  return bcdDigits(buf, start, len) ?? buf.toString('hex', start, start + len);
}

/** Write a terminal ID into `len` bytes: digits → BCD left-padded with 0; a non-digit hex string of exactly 2*len chars → raw bytes. */
export function writeTerminalId(out: Buffer, offset: number, len: number, id: string): void {
  if (/^\d+$/.test(id)) {
    if (id.length > len * 2) throw new Jt808Error('invalid_message', `terminal ID ${id} longer than ${len * 2} digits`);
    out.write(id.padStart(len * 2, '0'), offset, len, 'hex');
    return;
  }
  if (id.length === len * 2 && /^[0-9a-fA-F]+$/.test(id)) {
    out.write(id, offset, len, 'hex');
    return;
  }
  throw new Jt808Error('invalid_message', `terminal ID ${JSON.stringify(id)} is neither digits nor ${len * 2} hex characters`);
}

/** Raw BCD[6] time as 12 digits (YYMMDDhhmmss), or hex if not BCD. */
export function bcdTimeRaw(buf: Buffer, start: number): string {
  return bcdDigits(buf, start, 6) ?? buf.toString('hex', start, start + 6);
}

/**
 * BCD[6] YYMMDDhhmmss as ISO 8601 in the device's zone (the digits are the device's wall clock),
 * e.g. 150818072121 + "+08:00" → "2015-08-18T07:21:21+08:00". Null when not a valid date/time.
 */
export function bcdTimeIso(buf: Buffer, start: number, zone: string): string | null {
  const y = BCD2[buf[start]!];
  const mo = BCD2[buf[start + 1]!];
  const d = BCD2[buf[start + 2]!];
  const h = BCD2[buf[start + 3]!];
  const mi = BCD2[buf[start + 4]!];
  const s = BCD2[buf[start + 5]!];
  if (y === undefined || mo === undefined || d === undefined || h === undefined || mi === undefined || s === undefined) return null;
  const mon = buf[start + 1]!;
  const day = buf[start + 2]!;
  if (mon < 0x01 || mon > 0x12 || day < 0x01 || day > 0x31 || buf[start + 3]! > 0x23 || buf[start + 4]! > 0x59 || buf[start + 5]! > 0x59) return null;
  return `20${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`;
}

/** Write BCD[6] from an ISO time's wall-clock digits (YYYY-MM-DDThh:mm:ss…; the zone suffix is not converted) or from 12 raw digits. */
export function writeBcdTime(out: Buffer, offset: number, time: string): void {
  let digits: string;
  const m = /^(?:\d\d)(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)/.exec(time);
  if (m) digits = m.slice(1, 7).join('');
  else if (/^[0-9a-fA-F]{12}$/.test(time)) digits = time;
  else throw new Jt808Error('invalid_message', `time ${JSON.stringify(time)} is not ISO 8601 or 12 BCD digits`);
  out.write(digits, offset, 6, 'hex');
}

/** Epoch ms → ISO 8601 wall clock in a fixed-offset zone ("+08:00"), the form encoders expect. */
export function deviceTimeOf(epochMs: number, zone = '+08:00'): string {
  const m = /^([+-])(\d\d):(\d\d)$/.exec(zone);
  if (!m) throw new Jt808Error('invalid_message', `zone ${zone} is not ±hh:mm`);
  const off = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  const local = new Date(Math.floor(epochMs / 1000) * 1000 + off).toISOString().slice(0, 19);
  return `${local}${zone}`;
}

export const hexByte = (b: number) => HEX2[b & 0xff]!;
