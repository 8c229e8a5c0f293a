import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFrame } from './decode.ts';
import { escapeAndFrame, unescapeFrame } from './escape.ts';
import { Jt808Error } from './errors.ts';
import { Jt808FrameSplitter, type SplitterOutput } from './frame-splitter.ts';

const hb = Buffer.from('7e000200000123456789017fff0a7e', 'hex');
const loc = Buffer.from('7e02000026123456789012007d02000000010000000200ba7f0e07e4f11c0028003c00001810151010100104000000640202007d01137e', 'hex');
const frames = (out: SplitterOutput[]) => out.map((o) => (o.frame ? decodeFrame(o.frame).header.msgId : o.error!.code));

describe('un-escape', () => {
  it('is one left-to-right pass: 7D 01 02 is 7D 02, not 7E', () => {
    assert.equal(unescapeFrame(Buffer.from('7d0102', 'hex')).bytes.toString('hex'), '7d02');
    assert.equal(escapeAndFrame(Buffer.from('7d02', 'hex')).toString('hex'), '7e7d01027e');
  });
  it('rejects 7D followed by anything else with bad_escape', () => {
    assert.throws(() => unescapeFrame(Buffer.from('307d0355', 'hex')), (e: unknown) => e instanceof Jt808Error && e.code === 'bad_escape');
  });
  it('tolerates a bare trailing 7D only when asked', () => {
    assert.equal(unescapeFrame(Buffer.from('307d', 'hex')).bareTrailing7d, true);
    assert.throws(() => unescapeFrame(Buffer.from('307d', 'hex'), 0, 2, false), /dangling/);
  });
});

describe('Jt808FrameSplitter', () => {
  it('skips leading garbage', () => {
    const s = new Jt808FrameSplitter();
    assert.deepEqual(frames(s.push(Buffer.concat([Buffer.from('2424ffee', 'hex'), hb]))), [0x0002]);
  });
  it('returns glued frames in order', () => {
    const s = new Jt808FrameSplitter();
    assert.deepEqual(frames(s.push(Buffer.concat([hb, loc, hb]))), [0x0002, 0x0200, 0x0002]);
  });
  it('joins a frame split at every possible byte, including inside an escape', () => {
    const wire = Buffer.concat([hb, loc]);
    for (let cut = 1; cut < wire.length; cut++) {
      const s = new Jt808FrameSplitter();
      const got = [...s.push(wire.subarray(0, cut)), ...s.push(wire.subarray(cut))];
      assert.deepEqual(frames(got), [0x0002, 0x0200], `cut at ${cut}`);
      assert.equal(s.buffered, 0);
    }
  });
  it('byte-by-byte feeding gives the same frames', () => {
    const s = new Jt808FrameSplitter();
    const got: SplitterOutput[] = [];
    for (const b of Buffer.concat([hb, loc, hb])) got.push(...s.push(Buffer.from([b])));
    assert.deepEqual(frames(got), [0x0002, 0x0200, 0x0002]);
  });
  it('rejects an oversized frame once, skips it, and recovers', () => {
    const s = new Jt808FrameSplitter({ maxFrameBytes: 64 });
    const big = Buffer.concat([Buffer.from([0x7e]), Buffer.alloc(100, 0x31)]);
    const a = s.push(big);
    assert.deepEqual(frames(a), ['frame_too_large']);
    assert.equal(s.buffered, 0, 'does not keep buffering');
    assert.deepEqual(frames(s.push(Buffer.alloc(500, 0x32))), []);
    assert.deepEqual(frames(s.push(Buffer.concat([Buffer.alloc(10, 0x33), Buffer.from([0x7e]), hb]))), [0x0002]);
  });
  it('rejects an oversized frame that arrives complete', () => {
    const s = new Jt808FrameSplitter({ maxFrameBytes: 20 });
    assert.deepEqual(frames(s.push(Buffer.concat([loc, hb]))), ['frame_too_large', 0x0002]);
  });
  it('reports bad escapes and continues', () => {
    const s = new Jt808FrameSplitter();
    assert.deepEqual(frames(s.push(Buffer.concat([Buffer.from('7e307d03557e', 'hex'), hb]))), ['bad_escape', 0x0002]);
  });
  it('drops pure garbage without buffering it', () => {
    const s = new Jt808FrameSplitter();
    assert.deepEqual(s.push(Buffer.alloc(10000, 0x41)), []);
    assert.equal(s.buffered, 0);
  });
});
