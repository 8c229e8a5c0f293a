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
      return v === 0 ? '0' : String(v); // String() and JSON.stringify agree for finite numbers; -0 → 0
    case 'object': {
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          if (v[i] === undefined) bad(`${path}[${i}]`);
          if (i) out += ',';
          out += enc(v[i], path);
        }
        return out + ']';
      }
      if (v instanceof Date) return JSON.stringify(v.toISOString());
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const x = o[k];
        if (x === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(k) + ':' + enc(x, path);
      }
      return out + '}';
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
