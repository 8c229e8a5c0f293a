/**
 * Lock profiles: map each vendor's lock signals (items, alarm bits, private messages; protocol doc
 * §6) to the one event set of devices/lock-events.ts. Standard alarm bits are untrusted until the
 * model is known, so every bit is read through the profile. Nothing is dropped: a set alarm bit or
 * a non-standard item the profile does not interpret comes back as an `unknown` entry with its raw
 * data. Events with `state: true` describe a level that repeats while it lasts (e.g. "sealed" from a
 * status word; the supervision rules act on its edges); the others are one-off occurrences.
 *
 * Profiles:
 *  - customs-elock    our own emulator/lock: private item 0xE1 (layout below) + alarm bits 7/8.
 *  - a1l808           Huabao A1L808: item 0xD5 = BYTE n, n × (ID[5], card[5], battery % BYTE, status WORD; bit 5 = unlocked) (L1).
 *  - jt709a           Jointech JT709A in JT808 mode: 0xD4 battery %, 0xD5 battery 0.01 V, 0x0B lock command (L2 in the doc).
 *  - jointech-elock   Jointech-format 0x5501/0x5502 private messages: battery byte, alarm WORD, TLV 0x0B (L7, L9).
 *  - hhd-padlock      HHD LoRa padlock gateway: 0x60 events, 0x63 n × 11-byte lock states (seal 0x31 = sealed), 0x69 battery V (L3).
 *  - std-bit-padlock  padlocks G-360P/G-508P that reuse standard bits: 0/4 removing, 1 tampering (traccar PADLOCK_MODELS).
 *  - generic-tracker  traccar's default reading of reserved bits: 16/17 tampering, 18 low battery, 15 vibration; 0xEB/0x0089 bit 12 clear = removed.
 * Vendor codes whose meaning is not published (JT709A/Jointech 0x0B lock command and unlock result,
 * HHD 0x60 event codes) are decoded into `detail` but reported as `unknown` rather than guessed.
 */
import type { LockEventName } from '../lock-events.ts';
import type { JointechLocationBody } from './bodies/jointech-location.ts';
import type { LocationItem } from './bodies/location-items.ts';
import type { LocationBody } from './bodies/location.ts';
import type { TerminalControlBody } from './bodies/terminal-control.ts';
import { Jt808Error } from './errors.ts';

export type LockHow = 'card' | 'password' | 'ble' | 'platform' | 'sms' | 'key' | 'auto' | 'unknown';

export interface LockEvent {
  event: LockEventName | 'unknown';
  /** Where it came from: "item 0xD5", "alarm bit 8", "tlv 0x0B", … */
  source: string;
  lockId?: string;
  /** For unsealed: how it was opened. */
  how?: LockHow;
  /** True when the signal is a held state rather than a one-off occurrence. */
  state?: true;
  detail?: Record<string, unknown>;
}

export const LOCK_PROFILES = ['customs-elock', 'a1l808', 'jt709a', 'jointech-elock', 'hhd-padlock', 'std-bit-padlock', 'generic-tracker'] as const;
export type LockProfileName = (typeof LOCK_PROFILES)[number];

export const isLockProfile = (s: string): s is LockProfileName => (LOCK_PROFILES as readonly string[]).includes(s);

function profileOf(name: string): LockProfileName {
  if (!isLockProfile(name)) throw new Jt808Error('unknown_profile', `unknown lock profile ${JSON.stringify(name)}; known: ${LOCK_PROFILES.join(', ')}`);
  return name;
}

/** Standard (2013/2019) alarm bit names, for `unknown` entries. */
export const STANDARD_ALARM_BITS: Record<number, string> = {
  0: 'emergency', 1: 'overspeed', 2: 'fatigue', 3: 'danger warning', 4: 'GNSS module fault', 5: 'GNSS antenna cut', 6: 'GNSS antenna short',
  7: 'main power under-voltage', 8: 'main power off', 9: 'LCD fault', 10: 'TTS fault', 11: 'camera fault', 12: 'IC card module fault',
  13: 'overspeed warning', 14: 'fatigue warning', 15: 'reserved / 2019 illegal driving', 16: 'reserved / 2019 tyre pressure', 17: 'reserved / 2019 right-turn blind zone',
  18: 'driving time exceeded', 19: 'overtime parking', 20: 'area in/out', 21: 'route in/out', 22: 'route segment time', 23: 'route deviation',
  24: 'VSS fault', 25: 'abnormal fuel', 26: 'vehicle stolen', 27: 'illegal ignition', 28: 'illegal displacement', 29: 'collision warning', 30: 'rollover warning', 31: 'illegal door opening',
};

/** Items the base decoder understands (standard table); everything else is vendor data. */
const STANDARD_ITEMS = new Set([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x11, 0x12, 0x13, 0x25, 0x2a, 0x2b, 0x30, 0x31]);

type BitMap = Record<number, { event: LockEventName; detail?: string }>;
const POWER_BITS: BitMap = { 7: { event: 'low_battery', detail: 'main power under-voltage' }, 8: { event: 'power_cut', detail: 'main power off' } };

interface Profile {
  bits: BitMap;
  /** Non-standard items understood by the profile but carrying no lock event (not reported as unknown). */
  infoItems?: number[];
  items?: Record<number, (it: LocationItem, out: LockEvent[]) => void>;
}

// ---------- customs-elock: private item 0xE1 ----------

/**
 * customs-elock private additional item 0xE1 (0xE1-0xFF is the standard's custom range), 6 bytes:
 *   BYTE 0  format version = 1
 *   BYTE 1  lock state: 0 unsealed (open), 1 sealed, 2 fault
 *   BYTE 2  battery % 0-100 (0xFF = unknown)
 *   WORD 3  event flags since the last report (bit set = occurred):
 *           0 sealed, 1 unsealed (method in byte 5), 2 opened_while_sealed, 3 wire_cut, 4 shell_tamper,
 *           5 wrong_password, 6 unauthorised_card, 7 low_battery, 8 power_cut, 9 motor_stuck, 10-15 reserved
 *   BYTE 5  unseal method: 0 unknown, 1 card, 2 password, 3 BLE, 4 platform, 5 SMS, 6 mechanical key
 * Lock commands: 0x8105 with command 0x70 (seal) / 0x71 (unseal), params "trip=<id>;operator=<id>".
 */
export const CUSTOMS_ELOCK_ITEM = 0xe1;
const CUSTOMS_FLAGS: LockEventName[] = ['sealed', 'unsealed', 'opened_while_sealed', 'wire_cut', 'shell_tamper', 'wrong_password', 'unauthorised_card', 'low_battery', 'power_cut', 'motor_stuck'];
const HOWS: LockHow[] = ['unknown', 'card', 'password', 'ble', 'platform', 'sms', 'key'];
export const CUSTOMS_SEAL_COMMAND = 0x70;
export const CUSTOMS_UNSEAL_COMMAND = 0x71;

export interface CustomsElockState {
  lockState: 'unsealed' | 'sealed' | 'fault';
  batteryPct: number | null;
  events: LockEventName[];
  how?: LockHow;
}

/** The 0xE1 item for a 0x0200 (value bytes as hex), for emulators. */
export function encodeCustomsElockItem(s: CustomsElockState): LocationItem {
  const b = Buffer.alloc(6);
  b[0] = 1;
  b[1] = s.lockState === 'sealed' ? 1 : s.lockState === 'fault' ? 2 : 0;
  b[2] = s.batteryPct == null ? 0xff : Math.max(0, Math.min(100, Math.round(s.batteryPct)));
  let flags = 0;
  for (const e of s.events) {
    const i = CUSTOMS_FLAGS.indexOf(e);
    if (i >= 0) flags |= 1 << i;
  }
  b.writeUInt16BE(flags, 3);
  b[5] = Math.max(0, HOWS.indexOf(s.how ?? 'unknown'));
  return { id: CUSTOMS_ELOCK_ITEM, raw: b.toString('hex') };
}

export function decodeCustomsElockItem(raw: string): (CustomsElockState & { reservedFlags: number }) | null {
  const b = Buffer.from(raw, 'hex');
  if (b.length < 6 || b[0] !== 1) return null;
  const flags = b.readUInt16BE(3);
  return {
    lockState: b[1] === 1 ? 'sealed' : b[1] === 2 ? 'fault' : 'unsealed',
    batteryPct: b[2] === 0xff ? null : b[2]!,
    events: CUSTOMS_FLAGS.filter((_, i) => flags & (1 << i)),
    how: HOWS[b[5]!] ?? 'unknown',
    reservedFlags: flags & 0xfc00,
  };
}

// ---------- vendor item readers ----------

/** 0x0B lock command TLV (JT709A item / Jointech TLV): BYTE command, card DWORD or password[6], [BYTE unlock result]. */
function lockCommandDetail(raw: Buffer): Record<string, unknown> {
  const d: Record<string, unknown> = { lockCommand: raw[0] };
  const len = raw.length;
  if (len >= 7) d.password = raw.toString('latin1', 1, 7);
  else if (len >= 5) d.card = raw.readUInt32BE(1);
  if (len % 2 === 0 && len > 1) d.unlockResult = raw[len - 1];
  return d;
}

function lockCommandEvent(source: string, raw: Buffer): LockEvent {
  const detail = lockCommandDetail(raw);
  return { event: 'unknown', source, how: detail.password !== undefined ? 'password' : detail.card !== undefined ? 'card' : 'unknown', detail };
}

const PROFILES: Record<LockProfileName, Profile> = {
  'customs-elock': {
    bits: POWER_BITS,
    items: {
      [CUSTOMS_ELOCK_ITEM]: (it, out) => {
        const s = decodeCustomsElockItem(it.raw);
        if (!s) {
          out.push({ event: 'unknown', source: 'item 0xE1', detail: { raw: it.raw, reason: 'unknown format' } });
          return;
        }
        if (s.lockState === 'sealed') out.push({ event: 'sealed', source: 'item 0xE1 state', state: true });
        else if (s.lockState === 'unsealed') out.push({ event: 'unsealed', source: 'item 0xE1 state', state: true });
        else out.push({ event: 'motor_stuck', source: 'item 0xE1 state', state: true, detail: { lockState: 'fault' } });
        for (const e of s.events) out.push(e === 'unsealed' ? { event: e, source: 'item 0xE1 flags', how: s.how } : { event: e, source: 'item 0xE1 flags' });
        if (s.reservedFlags) out.push({ event: 'unknown', source: 'item 0xE1 flags', detail: { reservedFlags: s.reservedFlags } });
      },
    },
  },
  a1l808: {
    bits: POWER_BITS,
    items: {
      0xd5: (it, out) => {
        const b = Buffer.from(it.raw, 'hex');
        const n = b[0] ?? 0;
        for (let i = 0; i < n && 1 + i * 13 + 13 <= b.length; i++) {
          const o = 1 + i * 13;
          const status = b.readUInt16BE(o + 11);
          const lockId = b.toString('hex', o, o + 5);
          const detail = { card: b.toString('hex', o + 5, o + 10), batteryPct: b[o + 10], status };
          out.push({ event: status & 0x20 ? 'unsealed' : 'sealed', source: 'item 0xD5', lockId, state: true, detail });
        }
      },
    },
  },
  jt709a: {
    bits: POWER_BITS,
    infoItems: [0xd4, 0xd5],
    items: { 0x0b: (it, out) => out.push(lockCommandEvent('item 0x0B', Buffer.from(it.raw, 'hex'))) },
  },
  'jointech-elock': { bits: {} },
  'hhd-padlock': {
    bits: POWER_BITS,
    infoItems: [0x50, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x71],
    items: {
      0x63: (it, out) => {
        const b = Buffer.from(it.raw, 'hex');
        for (let o = 0; o + 11 <= b.length; o += 11) {
          const seal = b[o + 8]!;
          out.push({ event: seal === 0x31 ? 'sealed' : 'unsealed', source: 'item 0x63', lockId: b.toString('hex', o, o + 6), state: true, detail: { batteryMv: b.readUInt16BE(o + 6), seal, physicalState: b[o + 9], rssi: b[o + 10] } });
        }
      },
      0x60: (it, out) => {
        const b = Buffer.from(it.raw, 'hex');
        if (b.length < 2) return void out.push({ event: 'unknown', source: 'item 0x60', detail: { raw: it.raw } });
        const code = b.readUInt16BE(0);
        const detail: Record<string, unknown> = { eventCode: code };
        let lockId: string | undefined;
        if (code >= 0x61 && code <= 0x66 && b.length >= 16) {
          lockId = b.toString('hex', 2, 8);
          detail.user = b.toString('latin1', 8, 16);
          if (b.length > 16) detail.rest = b.toString('hex', 16);
        } else if (b.length > 2) detail.rest = b.toString('hex', 2);
        out.push(lockId ? { event: 'unknown', source: 'item 0x60', lockId, detail } : { event: 'unknown', source: 'item 0x60', detail });
      },
    },
  },
  'std-bit-padlock': {
    bits: { ...POWER_BITS, 0: { event: 'shell_tamper', detail: 'removing' }, 4: { event: 'shell_tamper', detail: 'removing' }, 1: { event: 'shell_tamper', detail: 'tampering' } },
  },
  'generic-tracker': {
    bits: { ...POWER_BITS, 16: { event: 'shell_tamper', detail: 'tampering' }, 17: { event: 'shell_tamper', detail: 'tampering' }, 18: { event: 'low_battery', detail: 'low battery' } },
    items: {
      0xeb: (it, out) => {
        const sub = (it.value as { id: number; raw: string }[] | undefined)?.find((s) => s.id === 0x0089 && s.raw.length >= 8);
        if (sub && !(parseInt(sub.raw.slice(0, 8), 16) & (1 << 12))) out.push({ event: 'shell_tamper', source: 'item 0xEB/0x0089 bit 12', detail: { reason: 'removing' } });
      },
    },
  },
};

const isJointech = (b: LocationBody | JointechLocationBody): b is JointechLocationBody => 'lockAlarm' in b;

/** Lock events of one location report (0x0200 body, or a 0x5501/0x5502 body) under a profile. */
export function lockEventsOf(profileName: string, body: LocationBody | JointechLocationBody): LockEvent[] {
  const name = profileOf(profileName);
  const out: LockEvent[] = [];
  if (isJointech(body)) {
    const JT_BITS: Record<number, LockEventName> = { 1: 'low_battery', 3: 'low_battery' };
    const JT_NAMES: Record<number, string> = { 0: 'overspeed', 1: 'low power', 2: 'vibration', 3: 'low battery', 5: 'geofence enter', 6: 'geofence exit' };
    for (let bit = 0; bit < 16; bit++) {
      if (!(body.lockAlarm & (1 << bit))) continue;
      const ev = JT_BITS[bit];
      out.push(ev ? { event: ev, source: `alarm bit ${bit}`, detail: { vendor: JT_NAMES[bit] } } : { event: 'unknown', source: `alarm bit ${bit}`, detail: { vendor: JT_NAMES[bit] ?? 'undocumented' } });
    }
    for (const t of body.tlvs) {
      if (t.id === 0x0b) out.push(lockCommandEvent('tlv 0x0B', Buffer.from(t.raw, 'hex')));
    }
    return out;
  }
  const p = PROFILES[name];
  for (let bit = 0; bit < 32; bit++) {
    if (!((body.alarm >>> bit) & 1)) continue;
    const m = p.bits[bit];
    out.push(m ? { event: m.event, source: `alarm bit ${bit}`, state: true, detail: { signal: m.detail } } : { event: 'unknown', source: `alarm bit ${bit}`, detail: { standard: STANDARD_ALARM_BITS[bit] } });
  }
  for (const it of body.items) {
    const reader = p.items?.[it.id];
    if (reader) reader(it, out);
    else if (!STANDARD_ITEMS.has(it.id) && !p.infoItems?.includes(it.id) && !(name === 'generic-tracker' && it.id === 0xeb)) {
      out.push({ event: 'unknown', source: `item 0x${it.id.toString(16).toUpperCase().padStart(2, '0')}`, detail: { raw: it.raw } });
    }
  }
  return out;
}

/** Battery percentage per the profile, or null when the device does not report one. */
export function batteryPctOf(profileName: string, body: LocationBody | JointechLocationBody): number | null {
  const name = profileOf(profileName);
  if (isJointech(body)) return body.batteryPct;
  const item = (id: number) => body.items.find((i) => i.id === id && !i.truncated);
  switch (name) {
    case 'customs-elock': {
      const it = item(CUSTOMS_ELOCK_ITEM);
      return it ? (decodeCustomsElockItem(it.raw)?.batteryPct ?? null) : null;
    }
    case 'a1l808': {
      const it = item(0xd5);
      return it && it.raw.length >= 2 + 26 && it.raw.slice(0, 2) !== '00' ? parseInt(it.raw.slice(22, 24), 16) : null;
    }
    case 'jt709a': {
      const it = item(0xd4);
      return it && it.raw.length === 2 ? parseInt(it.raw, 16) : null;
    }
    default:
      return null;
  }
}

/** The downlink message that seals/unseals a lock of this profile (only customs-elock publishes one). */
export function lockCommandFor(profileName: string, action: 'seal' | 'unseal', params: { tripId?: string; operatorId?: string } = {}): { msgId: 0x8105; body: TerminalControlBody } {
  const name = profileOf(profileName);
  if (name !== 'customs-elock') throw new Jt808Error('unsupported_command', `profile ${name} has no published ${action} command`);
  const p = [params.tripId ? `trip=${params.tripId}` : '', params.operatorId ? `operator=${params.operatorId}` : ''].filter(Boolean).join(';');
  return { msgId: 0x8105, body: { command: action === 'seal' ? CUSTOMS_SEAL_COMMAND : CUSTOMS_UNSEAL_COMMAND, params: p } };
}
