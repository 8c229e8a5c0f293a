import { Jt808Error } from '../errors.ts';

/** Throw truncated_body unless `b` has at least `n` bytes. */
export function need(b: Buffer, n: number, what: string): void {
  if (b.length < n) throw new Jt808Error('truncated_body', `${what} body has ${b.length} bytes, needs at least ${n}`, { have: b.length, need: n });
}

export function checkInt(name: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new Jt808Error('invalid_message', `${name} ${v} out of range 0..${max}`);
  return v;
}
