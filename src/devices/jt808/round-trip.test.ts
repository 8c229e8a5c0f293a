/** Generated round trip: random message → encode → decode → deep equal, per message type and version. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { locationItem, type LocationItem } from './bodies/location-items.ts';
import type { LocationBody } from './bodies/location.ts';
import type { ParameterItem } from './bodies/parameters.ts';
import { decodeWire } from './decode.ts';
import { encodeMessage } from './encode.ts';
import type { Jt808Header, Jt808Version } from './types.ts';

const ROUNDS = 150;

function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
  const ascii = (lo: number, hi: number) => Array.from({ length: int(lo, hi) }, () => String.fromCharCode(int(0x21, 0x7e))).join('');
  const digits = (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join('');
  return { next, int, pick, bytes, ascii, digits };
}
type R = ReturnType<typeof rng>;
const p2 = (n: number) => String(n).padStart(2, '0');

function header(r: R, msgId: number, version: Jt808Version): Jt808Header {
  const len = version === 2019 ? 10 : 6;
  const terminalId = r.next() < 0.2 ? 'a' + r.bytes(len).toString('hex').slice(1) : r.digits(len * 2);
  return { msgId, version, protocolVersion: version === 2019 ? r.int(1, 3) : null, terminalId, serial: r.int(0, 0xffff), package: null, encryption: 0, quirks: [] };
}

function items(r: R, version: Jt808Version): LocationItem[] {
  const gens: [number, () => Buffer][] = [
    [0x01, () => r.bytes(4)],
    [0x02, () => r.bytes(2)],
    [0x03, () => r.bytes(2)],
    [0x04, () => r.bytes(2)],
    [0x05, () => r.bytes(30)],
    [0x06, () => r.bytes(2)],
    [0x11, () => r.bytes(r.pick([1, 5]))],
    [0x12, () => Buffer.concat([r.bytes(5), Buffer.from([r.int(0, 1)])])],
    [0x13, () => Buffer.concat([r.bytes(6), Buffer.from([r.int(0, 1)])])],
    [0x25, () => r.bytes(4)],
    [0x2a, () => Buffer.from([0, r.int(0, 3)])],
    [0x2b, () => r.bytes(4)],
    [0x30, () => r.bytes(1)],
    [0x31, () => r.bytes(1)],
    [0xeb, () => Buffer.from('000c00b28986011780108622216500060089ffffffff', 'hex')],
    [0xd5, () => r.bytes(14)],
    [r.int(0x40, 0xff), () => r.bytes(r.int(0, 20))],
  ];
  return Array.from({ length: r.int(0, 6) }, () => {
    const [id, g] = r.pick(gens);
    return locationItem(id, g(), version);
  });
}

function location(r: R, version: Jt808Version): LocationBody {
  const lat = r.int(-90e6, 90e6) / 1e6;
  const lon = r.int(-180e6, 180e6) / 1e6;
  let status = r.int(0, 0x7fffffff) & ~0xc;
  if (lat < 0) status |= 4;
  if (lon < 0) status |= 8;
  const [y, mo, d, h, mi, s] = [r.int(0, 99), r.int(1, 12), r.int(1, 28), r.int(0, 23), r.int(0, 59), r.int(0, 59)].map(p2);
  return {
    alarm: r.int(0, 0xffffffff),
    status,
    latitude: lat === 0 ? 0 : lat,
    longitude: lon === 0 ? 0 : lon,
    altitudeM: r.int(-500, 9000),
    speedKmh: r.int(0, 2000) / 10,
    heading: r.int(0, 359),
    time: `20${y}-${mo}-${d}T${h}:${mi}:${s}+08:00`,
    rawTime: `${y}${mo}${d}${h}${mi}${s}`,
    items: items(r, version),
  };
}

function params(r: R): ParameterItem[] {
  return Array.from({ length: r.int(0, 8) }, () => {
    switch (r.int(0, 3)) {
      case 0: {
        const v = r.int(0, 0xffffffff);
        return { id: r.pick([0x0001, 0x0002, 0x0029, 0x0055]), value: v, raw: v.toString(16).padStart(8, '0') };
      }
      case 1: {
        const s = r.ascii(1, 30);
        return { id: r.pick([0x0010, 0x0013, 0x0017]), value: s, raw: Buffer.from(s).toString('hex') };
      }
      case 2: {
        const v = r.int(0, 0xffff);
        return { id: 0x0031, value: v, raw: v.toString(16).padStart(4, '0') };
      }
      default: {
        const raw = r.bytes(r.pick([0, 3, 5, 9])).toString('hex');
        return { id: r.int(0xf000, 0xffff), value: raw, raw };
      }
    }
  });
}

const plate = (r: R) => r.pick(['粤B', '沪A', '', 'HK', '测A']) + r.digits(r.int(0, 5));

const BODIES: Record<string, (r: R, v: Jt808Version) => unknown> = {
  '0x0001': (r) => ({ answerSerial: r.int(0, 0xffff), answerMsgId: r.int(0, 0xffff), result: r.int(0, 3) }),
  '0x8001': (r) => ({ answerSerial: r.int(0, 0xffff), answerMsgId: r.int(0, 0xffff), result: r.int(0, 4) }),
  '0x0002': () => ({}),
  '0x0003': () => ({}),
  '0x8104': () => ({}),
  '0x0100': (r, v) => {
    const [m, t, i] = v === 2019 ? [11, 30, 30] : v === 2013 ? [5, 20, 7] : [5, 8, 7];
    return { layout: v, provinceId: r.int(0, 0xffff), cityId: r.int(0, 0xffff), makerId: r.ascii(0, m), terminalModel: r.ascii(0, t), terminalId: r.ascii(0, i), plateColor: r.int(0, 9), plate: plate(r) };
  },
  '0x8100': (r) => {
    const result = r.int(0, 4);
    return { answerSerial: r.int(0, 0xffff), result, authCode: result === 0 ? r.ascii(1, 40) : null };
  },
  '0x0102': (r, v) => (v === 2019 ? { authCode: r.ascii(0, 60), imei: r.digits(15), softwareVersion: r.ascii(0, 20) } : { authCode: r.ascii(1, 60) }),
  '0x8003': (r) => ({ originalSerial: r.int(0, 0xffff), packageIds: Array.from({ length: r.int(0, 20) }, () => r.int(1, 0xffff)) }),
  '0x0005': (r) => ({ originalSerial: r.int(0, 0xffff), packageIds: Array.from({ length: r.int(0, 20) }, () => r.int(1, 0xffff)) }),
  '0x8103': (r) => ({ params: params(r) }),
  '0x0104': (r) => ({ answerSerial: r.int(0, 0xffff), params: params(r) }),
  '0x8106': (r) => ({ ids: Array.from({ length: r.int(0, 10) }, () => r.int(0, 0xffffffff)) }),
  '0x8105': (r) => ({ command: r.int(1, 0xff), params: Array.from({ length: r.int(0, 3) }, () => r.ascii(1, 8).replace(/;/g, ',')).join(';') }),
  '0x0200': (r, v) => location(r, v),
  '0x0704': (r, v) => ({ type: r.int(0, 1), locations: Array.from({ length: r.int(0, 5) }, () => location(r, v)) }),
  '0x0900': (r) => passthrough(r),
  '0x8900': (r) => passthrough(r),
  '0x0f01': (r) => ({ raw: r.bytes(r.int(0, 40)).toString('hex') }),
};

function passthrough(r: R) {
  if (r.next() < 0.5) {
    const text = r.ascii(1, 50);
    return { type: r.pick([0x41, 0xf0]), payload: Buffer.from(text).toString('hex'), text };
  }
  return { type: r.int(0, 0xff), payload: Buffer.concat([Buffer.from([0x01, 0x7e, 0x7d]), r.bytes(r.int(0, 40))]).toString('hex') };
}

describe('round trip: encode → decode → deep equal', () => {
  for (const version of [2011, 2013, 2019] as const) {
    for (const [id, gen] of Object.entries(BODIES)) {
      it(`${id} in ${version}`, () => {
        const r = rng(Number(id) * 7 + version);
        for (let k = 0; k < ROUNDS; k++) {
          const msg = { header: header(r, Number(id), version), body: gen(r, version) };
          const wire = encodeMessage(msg);
          const back = decodeWire(wire, { versionHint: version === 2011 ? 2011 : undefined });
          assert.deepEqual(back, msg, `round ${k}: ${wire.toString('hex')}`);
        }
      });
    }
  }
});
