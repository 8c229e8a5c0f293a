import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JointechLocationBody } from './bodies/jointech-location.ts';
import type { LocationBody } from './bodies/location.ts';
import { decodeWire } from './decode.ts';
import { encodeMessage } from './encode.ts';
import { Jt808Error } from './errors.ts';
import { VECTORS } from './fixtures/vectors.ts';
import { batteryPctOf, encodeCustomsElockItem, lockCommandFor, lockEventsOf, LOCK_PROFILES } from './lock-profiles.ts';
import { LOCK_EVENTS } from '../lock-events.ts';

const body = (id: string) => decodeWire(Buffer.from(VECTORS.find((v) => v.id === id)!.hex, 'hex')).body as LocationBody & JointechLocationBody;

describe('lock profiles', () => {
  it('A1L808 (L1): item 0xD5 says lock 0002604323 is unlocked, battery 83 %; vendor items kept as unknown', () => {
    const ev = lockEventsOf('a1l808', body('L1'));
    assert.deepEqual(ev.find((e) => e.source === 'item 0xD5'), { event: 'unsealed', source: 'item 0xD5', lockId: '0002604323', state: true, detail: { card: '2795980277', batteryPct: 83, status: 0x30 } });
    assert.deepEqual(ev.filter((e) => e.event === 'unknown').map((e) => e.source), ['item 0xE3', 'item 0xE5', 'item 0xE7', 'item 0xE8']);
    assert.equal(batteryPctOf('a1l808', body('L1')), 83);
  });

  it('HHD padlock (L3): 0x63 lock state (seal 0x30 = not sealed), 0x60 event with lock ID and user, alarm bit 2 unknown', () => {
    const ev = lockEventsOf('hhd-padlock', body('L3'));
    assert.deepEqual(ev.find((e) => e.source === 'item 0x63'), { event: 'unsealed', source: 'item 0x63', lockId: '001234567890', state: true, detail: { batteryMv: 3676, seal: 0x30, physicalState: 0x80, rssi: 0 } });
    const e60 = ev.find((e) => e.source === 'item 0x60')!;
    assert.equal(e60.lockId, '000012345678');
    assert.equal(e60.detail!.user, '\u00909001738');
    assert.equal(e60.detail!.eventCode, 0x65);
    assert.deepEqual(ev.find((e) => e.source === 'alarm bit 2'), { event: 'unknown', source: 'alarm bit 2', detail: { standard: 'fatigue' } });
  });

  it('Jointech 0x5501 (L7, L9): lock command with password and unlock result; battery, charging', () => {
    const ev = lockEventsOf('jointech-elock', body('L7'));
    assert.deepEqual(ev, [{ event: 'unknown', source: 'tlv 0x0B', how: 'password', detail: { lockCommand: 3, password: '689607', unlockResult: 0x65 } }]);
    assert.equal(batteryPctOf('jointech-elock', body('L7')), 78);
    assert.equal(batteryPctOf('jointech-elock', body('L9')), null);
  });

  it('reused alarm bit 17 (G7): tamper for generic trackers, unknown for a padlock that does not use it', () => {
    assert.deepEqual(lockEventsOf('generic-tracker', body('G7')).filter((e) => e.event !== 'unknown'), [{ event: 'shell_tamper', source: 'alarm bit 17', state: true, detail: { signal: 'tampering' } }]);
    const pad = lockEventsOf('std-bit-padlock', body('G7'));
    assert.ok(pad.some((e) => e.event === 'unknown' && e.source === 'alarm bit 17'));
    assert.ok(!pad.some((e) => e.event === 'shell_tamper'));
  });

  it('standard-bit padlock: bits 0/4 removing and 1 tampering are shell tamper', () => {
    const b = { ...body('G15'), alarm: 0b10011 };
    assert.deepEqual(lockEventsOf('std-bit-padlock', b).map((e) => e.event), ['shell_tamper', 'shell_tamper', 'shell_tamper']);
  });

  it('customs-elock: the 0xE1 item an emulator encodes comes back as events through a real frame', () => {
    const item = encodeCustomsElockItem({ lockState: 'sealed', batteryPct: 64, events: ['opened_while_sealed', 'wire_cut', 'unsealed'], how: 'card' });
    const loc = { ...body('G15'), alarm: 1 << 8, items: [item] };
    const wire = encodeMessage({ header: { msgId: 0x0200, version: 2019, terminalId: '13912344329', serial: 9 }, body: loc });
    const back = decodeWire(wire).body as LocationBody;
    assert.deepEqual(lockEventsOf('customs-elock', back), [
      { event: 'power_cut', source: 'alarm bit 8', state: true, detail: { signal: 'main power off' } },
      { event: 'sealed', source: 'item 0xE1 state', state: true },
      { event: 'unsealed', source: 'item 0xE1 flags', how: 'card' },
      { event: 'opened_while_sealed', source: 'item 0xE1 flags' },
      { event: 'wire_cut', source: 'item 0xE1 flags' },
    ]);
    assert.equal(batteryPctOf('customs-elock', back), 64);
  });

  it('every profile only emits names from the shared event set or unknown', () => {
    const all = new Set<string>([...LOCK_EVENTS, 'unknown']);
    for (const p of LOCK_PROFILES) for (const v of ['L1', 'L3', 'G5', 'G7', 'G11', 'G19']) for (const e of lockEventsOf(p, body(v))) assert.ok(all.has(e.event), `${p} ${v} ${e.event}`);
  });

  it('unknown profile and unsupported commands are errors with stable codes', () => {
    assert.throws(() => lockEventsOf('nope', body('G1')), (e: unknown) => e instanceof Jt808Error && e.code === 'unknown_profile');
    assert.throws(() => lockCommandFor('a1l808', 'seal'), (e: unknown) => e instanceof Jt808Error && e.code === 'unsupported_command');
    assert.deepEqual(lockCommandFor('customs-elock', 'unseal', { tripId: 'T1', operatorId: 'O7' }), { msgId: 0x8105, body: { command: 0x71, params: 'trip=T1;operator=O7' } });
  });
});
