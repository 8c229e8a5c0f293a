/**
 * Frames from the field are not always well formed. Valid frames of every location-bearing and
 * login message, with random bytes changed (the checksum then fixed, so the body decoders see
 * them) or cut short: the codec either decodes each one or throws a Jt808Error (which the gateway
 * counts and answers), and a decoded location reads under every lock profile without throwing.
 * Anything else thrown would escape the gateway's socket handler. Seeded, so a failure replays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBody, frameContent, escapeAndFrame, parseFrame, decodeParsed, Jt808FrameSplitter, deviceTimeOf, encodeCustomsElockItem, isJt808Error, LOCK_PROFILES } from './index.ts';
import { positionOf } from '../gateway/positions.ts';

/** mulberry32: a small seeded PRNG. */
const prng = (seed: number) => () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };

test('20,000 mutated frames: decoded or refused with a Jt808Error, never another throw', () => {
  const rnd = prng(808);
  const int = (k: number) => Math.floor(rnd() * k);
  const loc = { alarm: 0, status: 3, latitude: 24.8, longitude: 118.6, altitudeM: 10, speedKmh: 62, heading: 90, time: deviceTimeOf(Date.parse('2026-12-02T06:00:00Z')), items: [encodeCustomsElockItem({ lockState: 'sealed', batteryPct: 80, events: ['shell_tamper'], how: 'password' } as any)] };
  const bodies: Array<[number, Buffer]> = [
    [0x0200, encodeBody(0x0200, loc as any, 2013)],
    [0x0704, encodeBody(0x0704, { type: 1, locations: [loc, loc] } as any, 2013)],
    [0x0100, encodeBody(0x0100, { provinceId: 35, cityId: 500, makerId: 'ONELK', terminalModel: 'CEL-808', terminalId: '0012345', plateColor: 0, plate: 'SIM' } as any, 2013)],
    [0x0102, encodeBody(0x0102, { authCode: 'abc123' } as any, 2013)],
  ];
  const seeds = bodies.flatMap(([msgId, body]) => ([2013, 2019] as const).map((version) => frameContent({ msgId, version, terminalId: '013800138000', serial: 5 }, body)));
  let decoded = 0, refused = 0;
  for (let i = 0; i < 20_000; i++) {
    const s = Buffer.from(seeds[int(seeds.length)]!);
    for (let k = int(6) + 1; k > 0; k--) s[int(s.length)] = int(256);
    const f0 = int(4) === 0 ? Buffer.from(s.subarray(0, int(s.length) + 1)) : s;
    let x = 0; for (let k = 0; k < f0.length - 1; k++) x ^= f0[k]!; f0[f0.length - 1] = x;
    for (const o of new Jt808FrameSplitter({ maxFrameBytes: 4096 }).push(escapeAndFrame(f0))) {
      if (!o.frame) continue;
      try {
        const msg = decodeParsed(parseFrame(o.frame, {}));
        decoded++;
        const b = msg.body as any;
        if (b.encrypted) continue; // answered "unsupported" by the gateway, never read as a location
        const locations = msg.header.msgId === 0x0200 ? [b] : msg.header.msgId === 0x0704 ? b.locations : [];
        for (const l of locations) for (const profile of LOCK_PROFILES) positionOf({ id: 'd', terminalId: 't', profile }, l, 1, 0, '', false);
      } catch (e) {
        if (!isJt808Error(e)) assert.fail(`mutation ${i} threw ${(e as Error)?.stack}`);
        refused++;
      }
    }
  }
  assert.ok(decoded > 5_000 && refused > 1_000, `decoded ${decoded}, refused ${refused}: both paths exercised`);
});
