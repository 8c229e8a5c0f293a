/**
 * 0x0200 / 0x0704 / 0x5501-0x5502 bodies → PositionRecord, read through the device's lock profile.
 * Nothing the terminal sent is dropped: every additional item (unknown ones raw) and every lock
 * signal the profile could not name stay in `items`; the raw frame hex is kept in `raw`.
 */
import { lockEventsOf, batteryPctOf, isLockProfile, type LocationBody, type JointechLocationBody, type LockEvent } from '../jt808/index.ts';
import type { PositionRecord } from '../position.ts';

/** Registry lock profile names → codec profile names (the registry predates two codec renames). */
const REGISTRY_TO_CODEC: Record<string, string> = { jointech: 'jointech-elock', 'standard-alarm-bits': 'std-bit-padlock' };

export function codecProfileOf(registryProfile: string): string {
  const p = REGISTRY_TO_CODEC[registryProfile] ?? registryProfile;
  return isLockProfile(p) ? p : 'generic-tracker';
}

export interface DeviceRef { id: string; terminalId: string; profile: string }

export function positionOf(dev: DeviceRef, body: LocationBody | JointechLocationBody, serial: number, receivedAt: number, raw: string, late: boolean): PositionRecord {
  const lock: LockEvent[] = lockEventsOf(dev.profile, body);
  const names = [...new Set(lock.filter((e) => e.event !== 'unknown').map((e) => e.event as string))];
  const b = body as LocationBody & Partial<JointechLocationBody>;
  // A BCD time that is not a valid time keeps the position (stamped on arrival) and says so.
  const fix = b.time ? Date.parse(b.time) : NaN;
  const items: Record<string, unknown> = { items: 'items' in body ? body.items : [], lock };
  if (Number.isNaN(fix)) items.invalidTime = b.rawTime ?? null;
  if ('tlvs' in body) items.tlvs = (body as JointechLocationBody).tlvs;
  return {
    deviceId: dev.id, terminalId: dev.terminalId, fixTime: Number.isNaN(fix) ? receivedAt : fix, receivedAt, serial,
    lat: b.latitude, lon: b.longitude, altitudeM: b.altitudeM ?? 0, speedKmh: b.speedKmh ?? 0, heading: b.heading ?? 0,
    alarm: b.alarm ?? b.lockAlarm ?? 0, status: b.status ?? b.lockStatus ?? 0, batteryPct: batteryPctOf(dev.profile, body),
    lockEvents: names, items, late, source: 'jt808', raw,
  };
}
