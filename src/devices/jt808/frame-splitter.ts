/**
 * Per-connection streaming splitter: TCP chunks in, un-escaped frames (or errors) out.
 * - 0x7E delimits frames; bytes before the first 0x7E are skipped (A2);
 * - frames split across reads are carried over (A6), several frames in one read are all returned;
 * - "7E 7E" is end + start; a closing 0x7E may also open the next frame (lenient, costs nothing);
 * - a frame longer than maxFrameBytes (escaped, between delimiters) gives one frame_too_large error
 *   and is skipped up to its closing 0x7E instead of being buffered forever;
 * - un-escaping errors (bad_escape) are returned as errors; the stream continues.
 * Uses Buffer.indexOf only (no per-byte loops except inside un-escape of frames that contain 0x7D).
 */
import { Jt808Error } from './errors.ts';
import { unescapeFrame, type UnescapeResult } from './escape.ts';

export type SplitterOutput = { frame: UnescapeResult; error?: undefined } | { frame?: undefined; error: Jt808Error };

export interface FrameSplitterOptions {
  /** Max escaped bytes between the delimiters. Default 4096 (a 1023-byte body escapes to ≤ 2090). */
  maxFrameBytes?: number;
  /** Accept a bare 0x7D as the last byte (B6). Default true. */
  tolerateBareTrailing7d?: boolean;
}

export class Jt808FrameSplitter {
  private pending: Buffer | null = null; // from just after an opening 0x7E
  private discarding = false; // inside an oversized frame: drop until the next 0x7E
  private readonly max: number;
  private readonly tolerate: boolean;

  constructor(opts: FrameSplitterOptions = {}) {
    this.max = opts.maxFrameBytes ?? 4096;
    this.tolerate = opts.tolerateBareTrailing7d ?? true;
  }

  /** Bytes held for the next read (for tests and connection metrics). */
  get buffered(): number {
    return this.pending?.length ?? 0;
  }

  push(chunk: Buffer): SplitterOutput[] {
    const out: SplitterOutput[] = [];
    let data: Buffer;
    let pos = 0;
    let inFrame: boolean;
    if (this.pending) {
      data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
      inFrame = true;
    } else {
      data = chunk;
      inFrame = false;
    }
    this.pending = null;

    if (this.discarding) {
      const end = data.indexOf(0x7e);
      if (end === -1) return out;
      this.discarding = false;
      pos = end + 1; // its closing 0x7E also counts as an opening one
      inFrame = true;
    }

    for (;;) {
      if (!inFrame) {
        const start = data.indexOf(0x7e, pos);
        if (start === -1) return out; // garbage: drop
        pos = start + 1;
        inFrame = true;
      }
      const end = data.indexOf(0x7e, pos);
      if (end === -1) {
        const left = data.length - pos;
        if (left > this.max) {
          out.push({ error: new Jt808Error('frame_too_large', `no closing 0x7E within ${this.max} bytes`, { max: this.max }) });
          this.discarding = true;
        } else this.pending = data.subarray(pos);
        return out;
      }
      if (end === pos) {
        pos = end + 1; // 7E 7E: the second one opens the next frame
        continue;
      }
      if (end - pos > this.max) {
        out.push({ error: new Jt808Error('frame_too_large', `frame of ${end - pos} bytes exceeds ${this.max}`, { max: this.max, size: end - pos }) });
      } else {
        try {
          out.push({ frame: unescapeFrame(data, pos, end, this.tolerate) });
        } catch (e) {
          if (e instanceof Jt808Error) out.push({ error: e });
          else throw e;
        }
      }
      pos = end + 1; // the closing 0x7E may open the next frame
    }
  }

  /** Forget any partial frame (e.g. on reconnect). */
  reset(): void {
    this.pending = null;
    this.discarding = false;
  }
}
