/**
 * JT/T 808 decode throughput on one core: a mix of real frames from jt808-vectors.md (mostly 0x0200,
 * plus 0x0704 batches, heartbeats, 2019 frames and escapes), decoded in a loop.
 *   node --import tsx bench/jt808-decode.bench.ts
 * Two figures, each the median of 5 runs:
 *   decode  = parseFrame + body decode of un-escaped frames (what runs after the splitter);
 *   stream  = splitter (indexOf, un-escape) + decode, fed in 1460-byte TCP-sized chunks.
 */
import { cpus } from 'node:os';
import { decodeFrame, Jt808FrameSplitter, unescapeFrame } from '../src/devices/jt808/index.ts';
import { VECTORS } from '../src/devices/jt808/fixtures/vectors.ts';

const MIX = ['G1', 'G5', 'G7', 'G9', 'G11', 'G13', 'G15', 'G17', 'G19', 'G23', 'G25', 'L1', 'A4', 'G1', 'G13', 'G23', 'C1', 'C5', 'H7', 'E1'];
const wires = MIX.map((id) => Buffer.from(VECTORS.find((v) => v.id === id)!.hex, 'hex'));
const contents = wires.map((w) => unescapeFrame(w, 1, w.length - 1).bytes);
const stream = Buffer.concat(Array.from({ length: 500 }, () => wires).flat());
const streamFrames = 500 * wires.length;

const RUN_MS = 1500;
let sink = 0;

function runDecode(): number {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < RUN_MS) {
    for (let k = 0; k < 1000; k++) {
      const m = decodeFrame(contents[n % contents.length]!);
      sink += m.header.serial;
      n++;
    }
    t = performance.now();
  }
  return (n / (t - t0)) * 1000;
}

function runStream(): number {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < RUN_MS) {
    const s = new Jt808FrameSplitter();
    for (let o = 0; o < stream.length; o += 1460) {
      for (const out of s.push(stream.subarray(o, o + 1460))) {
        if (out.frame) sink += decodeFrame(out.frame).header.serial;
      }
    }
    n += streamFrames;
    t = performance.now();
  }
  return (n / (t - t0)) * 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

runDecode(); // warm-up
runStream();
const d = Array.from({ length: 5 }, runDecode);
const s = Array.from({ length: 5 }, runStream);
console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, Node ${process.version}, ${process.platform}`);
console.log(`mix: ${MIX.join(' ')} (${contents.length} frames, avg ${Math.round(wires.reduce((a, w) => a + w.length, 0) / wires.length)} wire bytes)`);
console.log(`decode  runs: ${d.map(fmt).join(', ')} frames/s → median ${fmt(median(d))} frames/s`);
console.log(`stream  runs: ${s.map(fmt).join(', ')} frames/s → median ${fmt(median(s))} frames/s`);
console.log(`target ≥ 300,000 frames/s per core: ${median(d) >= 300_000 ? 'met' : 'NOT met'} (decode), ${median(s) >= 300_000 ? 'met' : 'NOT met'} (stream)`);
if (sink === 42) console.log('');
