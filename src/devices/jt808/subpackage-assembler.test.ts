import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBody } from './body-codec.ts';
import type { ParametersAnswerBody } from './bodies/parameters.ts';
import { decodeWire, parseFrame } from './decode.ts';
import { encodeParametersAnswer } from './bodies/parameters.ts';
import { encodeSubpackageRequestFor, frameContent } from './encode.ts';
import { SubpackageAssembler } from './subpackage-assembler.ts';
import type { Jt808Version } from './types.ts';

/** A 0x0104 answer with 120 parameters (> 1023 bytes), cut into `parts` sub-packages. */
function split(version: Jt808Version, parts: number, firstSerial: number) {
  const params = Array.from({ length: 120 }, (_, i) => ({ id: 0xf000 + i, value: i * 7, raw: (i * 7).toString(16).padStart(8, '0') }));
  const whole = encodeParametersAnswer({ answerSerial: 42, params });
  const size = Math.ceil(whole.length / parts);
  const frames = [];
  for (let i = 0; i < parts; i++) {
    const body = whole.subarray(i * size, (i + 1) * size);
    const content = frameContent({ msgId: 0x0104, version, terminalId: '013912344329', serial: firstSerial + i * 17, package: { total: parts, index: i + 1 } }, body);
    frames.push(parseFrame(content));
  }
  return { whole, params, frames };
}

describe('SubpackageAssembler', () => {
  for (const version of [2013, 2019] as const) {
    it(`reassembles out of order with non-consecutive serials (${version})`, () => {
      const { whole, params, frames } = split(version, 3, 1233);
      const a = new SubpackageAssembler();
      assert.deepEqual(a.add(frames[2]!, 0), { status: 'pending', missing: [1, 2] });
      assert.deepEqual(a.add(frames[0]!, 10), { status: 'pending', missing: [2] });
      assert.deepEqual(a.add(frames[0]!, 11), { status: 'ignored', reason: 'duplicate' });
      const r = a.add(frames[1]!, 20);
      assert.equal(r.status, 'complete');
      if (r.status !== 'complete') return;
      assert.deepEqual(r.body, whole);
      assert.equal(r.header.package, null);
      assert.equal(r.header.serial, 1233);
      const body = decodeBody(0x0104, r.body, r.header.version) as ParametersAnswerBody;
      assert.equal(body.params.length, params.length);
      assert.equal(a.size, 0);
    });
  }

  it('reports missing indices after the resend delay, then expires', () => {
    const { frames } = split(2019, 4, 100);
    const a = new SubpackageAssembler({ resendAfterMs: 5000, timeoutMs: 60000 });
    a.add(frames[1]!, 1000);
    a.add(frames[3]!, 2000);
    assert.deepEqual(a.sweep(6000).resend, []);
    const { resend } = a.sweep(7000);
    assert.equal(resend.length, 1);
    assert.deepEqual(resend[0]!.missing, [1, 3]);
    assert.equal(resend[0]!.originalSerial, 116, 'package 1 missing: estimated as serial of package 2 (117) − 1');
    assert.deepEqual(a.sweep(8000).resend, [], 'not asked again before resendAfterMs');
    // the 0x8003 the server sends for it, in the terminal's version (2019: WORD count)
    const req = decodeWire(encodeSubpackageRequestFor(resend[0]!.header, 1, resend[0]!.originalSerial, resend[0]!.missing));
    assert.equal(req.header.version, 2019);
    assert.deepEqual(req.body, { originalSerial: resend[0]!.originalSerial, packageIds: [1, 3] });
    const { expired } = a.sweep(62001);
    assert.equal(expired.length, 1);
    assert.equal(a.size, 0);
  });

  it('caps memory per terminal by dropping the oldest incomplete message', () => {
    const a = new SubpackageAssembler({ maxBytesPerTerminal: 600 });
    const one = split(2013, 3, 1).frames;
    const two = split(2011, 4, 500).frames;
    a.add(one[0]!, 0);
    a.add(two[0]!, 1);
    assert.equal(a.size, 1, 'the older message was dropped');
    assert.equal(a.pendingFor('013912344329')[0]!.total, 4);
  });
});

describe('SubpackageAssembler memory bounds', () => {
  const partOf = (msgId: number, total: number, index: number, body = Buffer.alloc(0), terminalId = '013912344329') =>
    parseFrame(frameContent({ msgId, version: 2013, terminalId, serial: 100 + index, package: { total, index } }, body));

  it('refuses a message of more parts than maxPackages (a 16-bit total reserved 65,535 slots per frame)', () => {
    const a = new SubpackageAssembler({ maxPackages: 1024 });
    assert.deepEqual(a.add(partOf(0x0704, 65_535, 1), 0), { status: 'ignored', reason: 'too_many_packages' });
    assert.equal(a.size, 0);
    assert.equal((a.add(partOf(0x0704, 1024, 1), 0) as { missing: number[] }).missing.length, 1023);
  });

  it('holds at most maxMessages incomplete messages, dropping the oldest', () => {
    const a = new SubpackageAssembler({ maxMessages: 4 });
    for (let m = 0; m < 10; m++) a.add(partOf(0x0900 + m, 2, 1), m);
    assert.equal(a.size, 4);
    assert.deepEqual(a.pendingFor('013912344329').map((g) => g.msgId), [0x0906, 0x0907, 0x0908, 0x0909]);
  });

  it('counts a message\'s part slots against the byte cap, so empty parts are bounded too', () => {
    const a = new SubpackageAssembler({ maxBytesPerTerminal: 16 * 1024, maxMessages: 1000 });
    for (let m = 0; m < 200; m++) a.add(partOf(0x0900 + m, 500, 1), m); // 500 slots × 16 B = 8 KB each, no body bytes
    assert.ok(a.size <= 2, `${a.size} incomplete messages kept`);
  });
});
