/**
 * 0x0900 uplink / 0x8900 downlink pass-through: BYTE type + payload.
 * Types: 0x00 GNSS detail, 0x0B road-transport IC card, 0x41/0x42 serial port 1/2, 0xF0-0xFF user defined.
 */
import { isPrintableAscii } from '../text.ts';
import { checkInt, need } from './need.ts';

export interface PassthroughBody {
  type: number;
  /** Payload as hex. */
  payload: string;
  /** The payload as text, present only when it is printable ASCII (I3, I7, I9). */
  text?: string;
}

export function decodePassthrough(b: Buffer): PassthroughBody {
  need(b, 1, 'pass-through');
  const body: PassthroughBody = { type: b[0]!, payload: b.toString('hex', 1) };
  if (isPrintableAscii(b, 1)) body.text = b.toString('latin1', 1);
  return body;
}

export function encodePassthrough(v: { type: number; payload?: string; text?: string }): Buffer {
  const payload = v.payload !== undefined ? Buffer.from(v.payload, 'hex') : Buffer.from(v.text ?? '', 'latin1');
  const b = Buffer.allocUnsafe(1 + payload.length);
  b[0] = checkInt('type', v.type, 0xff);
  payload.copy(b, 1);
  return b;
}
