/**
 * Canonical JSON of the signed content: object keys sorted by UTF-16 code units, no whitespace,
 * `undefined` members omitted, numbers and strings as JSON.stringify writes them (ECMAScript rules) —
 * the same output as RFC 8785 (JCS) for the values certificates contain. Non-finite numbers, functions,
 * bigints, symbols and `undefined` inside arrays are rejected so that two parties can never disagree.
 */
import { AppError } from '../platform/errors.ts';

export function canonicalJson(value: unknown): string {
  return enc(value, '$');
}

function enc(v: unknown, path: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new AppError(400, 'not_canonical', `${path}: non-finite number`);
      return JSON.stringify(Object.is(v, -0) ? 0 : v);
    case 'object': {
      if (Array.isArray(v)) return `[${v.map((x, i) => (x === undefined ? bad(`${path}[${i}]`) : enc(x, `${path}[${i}]`))).join(',')}]`;
      if (v instanceof Date) return JSON.stringify(v.toISOString());
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${enc(o[k], `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      return bad(path);
  }
}

function bad(path: string): never {
  throw new AppError(400, 'not_canonical', `${path}: value cannot be canonicalised`);
}

/** Canonical UTF-8 bytes. */
export const canonicalBytes = (value: unknown) => Buffer.from(canonicalJson(value), 'utf8');
