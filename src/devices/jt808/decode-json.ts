/**
 * `onelock jt808 decode`: one JSON object per frame.
 *   onelock jt808 decode <hex> [--profile NAME] [--zone ±hh:mm]
 *     prints the frame as JSON; exit 1 with {"error":{"code","message"}} when the frame is rejected.
 *   onelock jt808 decode [--profile NAME] [--zone ±hh:mm]   (no hex: read stdin)
 *     one hex frame per line → exactly one JSON line per input line, in order, errors included;
 *     a blank line gives {"error":{"code":"empty_input",…}} so output line N always answers input
 *     line N; exit 0.
 * Hex may carry the 0x7E delimiters or not, in either case, with spaces; it is the wire (escaped) form.
 * JSON: msgId ("0x0200"), version, terminalId, serial, package (null | {total,index}), body
 * (+ protocolVersion for 2019, quirks when any). IDs inside bodies (answerMsgId, item ids) are hex strings.
 */
import { createInterface } from 'node:readline';
import type { JointechLocationBody } from './bodies/jointech-location.ts';
import type { LocationBody } from './bodies/location.ts';
import { decodeWire } from './decode.ts';
import { Jt808Error } from './errors.ts';
import { batteryPctOf, isLockProfile, lockEventsOf, LOCK_PROFILES } from './lock-profiles.ts';

export interface DecodeJsonOptions {
  /** Lock profile name (lock-profiles.ts); adds `lock` (events) and `batteryPct` to location bodies. */
  profile?: string;
  /** Zone of device BCD times, default "+08:00". */
  zone?: string;
}

export type DecodeJsonResult = Record<string, unknown> | { error: { code: string; message: string } };

const hex4 = (n: number) => '0x' + n.toString(16).padStart(4, '0');
const hex2 = (n: number) => '0x' + n.toString(16).padStart(2, '0');

function locationJson(l: LocationBody | JointechLocationBody, opts: DecodeJsonOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { ...l };
  if ('items' in l) out.items = l.items.map((it) => ({ ...it, id: hex2(it.id) }));
  if ('tlvs' in l) out.tlvs = l.tlvs.map((t) => ({ ...t, id: hex2(t.id) }));
  if (opts.profile) {
    out.lock = lockEventsOf(opts.profile, l);
    out.batteryPct = batteryPctOf(opts.profile, l);
  }
  return out;
}

function bodyJson(msgId: number, body: unknown, opts: DecodeJsonOptions): unknown {
  const b = body as Record<string, unknown>;
  if ('raw' in b && !('items' in b)) return b;
  switch (msgId) {
    case 0x0200:
    case 0x5501:
    case 0x5502:
      return locationJson(b as unknown as LocationBody, opts);
    case 0x0704:
      return { type: b.type, locations: (b.locations as LocationBody[]).map((l) => locationJson(l, opts)) };
    case 0x0001:
    case 0x8001:
      return { ...b, answerMsgId: hex4(b.answerMsgId as number) };
    case 0x8103:
    case 0x0104:
      return { ...b, params: (b.params as { id: number }[]).map((p) => ({ ...p, id: '0x' + p.id.toString(16).padStart(4, '0') })) };
  }
  return b;
}

function checkOptions(opts: DecodeJsonOptions) {
  if (opts.profile !== undefined && !isLockProfile(opts.profile)) throw new Jt808Error('unknown_profile', `unknown lock profile ${JSON.stringify(opts.profile)}; known: ${LOCK_PROFILES.join(', ')}`);
  if (opts.zone !== undefined && !/^[+-]\d\d:\d\d$/.test(opts.zone)) throw new Jt808Error('bad_argument', `zone ${JSON.stringify(opts.zone)} is not ±hh:mm`);
}

/** Decode one hex frame to the CLI's JSON. Never throws for bad input: rejected frames give {error:{code,message}}. */
export function decodeHexToJson(hex: string, opts: DecodeJsonOptions = {}): DecodeJsonResult {
  try {
    checkOptions(opts);
    const clean = hex.replace(/\s+/g, '');
    if (clean === '') throw new Jt808Error('empty_input', 'blank line: no frame');
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(clean)) throw new Jt808Error('bad_hex', 'input is not an even-length hex string');
    const msg = decodeWire(Buffer.from(clean, 'hex'), { zone: opts.zone ?? '+08:00' });
    const h = msg.header;
    const out: Record<string, unknown> = { msgId: hex4(h.msgId), version: h.version, terminalId: h.terminalId, serial: h.serial, package: h.package, body: bodyJson(h.msgId, msg.body, opts) };
    if (h.protocolVersion !== null) out.protocolVersion = h.protocolVersion;
    if (h.encryption) out.encryption = h.encryption;
    if (h.quirks.length) out.quirks = h.quirks;
    return out;
  } catch (e) {
    if (e instanceof Jt808Error) return { error: { code: e.code, message: e.message } };
    throw e;
  }
}

function parseArgs(args: string[]): { hex?: string; opts: DecodeJsonOptions } {
  const opts: DecodeJsonOptions = {};
  const pos: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--(profile|zone)(?:=(.*))?$/.exec(a);
    if (m) {
      const v = m[2] ?? args[++i];
      if (v === undefined) throw new Jt808Error('bad_argument', `--${m[1]} needs a value`);
      opts[m[1] as 'profile' | 'zone'] = v;
    } else if (a.startsWith('--')) throw new Jt808Error('bad_argument', `unknown option ${a}`);
    else pos.push(a);
  }
  if (pos[0] === 'decode') pos.shift(); // tolerate being handed "decode <hex>"
  return { hex: pos.length ? pos.join('') : undefined, opts };
}

/**
 * CLI body for `onelock jt808 decode`. `args` are the words after "decode" (options included).
 * Returns the exit code: 0, or 1 when a single frame given as argument is rejected (or the options are bad).
 */
export async function runDecodeCli(args: string[], stdin: NodeJS.ReadableStream, out: (line: string) => void): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(args);
    checkOptions(parsed.opts);
  } catch (e) {
    if (!(e instanceof Jt808Error)) throw e;
    out(JSON.stringify({ error: { code: e.code, message: e.message } }));
    return 1;
  }
  if (parsed.hex !== undefined) {
    const r = decodeHexToJson(parsed.hex, parsed.opts);
    out(JSON.stringify(r));
    return 'error' in r ? 1 : 0;
  }
  const rl = createInterface({ input: stdin, crlfDelay: Infinity });
  for await (const line of rl) out(JSON.stringify(decodeHexToJson(line, parsed.opts)));
  return 0;
}
