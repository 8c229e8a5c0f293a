/**
 * 0x8105 terminal control: BYTE command (1 wireless upgrade, 2 connect to server, 3 power off,
 * 4 reset, 5 factory reset, 6 close data link, 7 close all wireless; vendors add their own words),
 * then STRING parameters separated by ";" (may be empty).
 */
import { encodeGbk, restText } from '../text.ts';
import { checkInt, need } from './need.ts';

export interface TerminalControlBody {
  command: number;
  params: string;
}

export function decodeTerminalControl(b: Buffer): TerminalControlBody {
  need(b, 1, 'terminal control (0x8105)');
  return { command: b[0]!, params: restText(b, 1) };
}

export function encodeTerminalControl(v: TerminalControlBody): Buffer {
  const p = encodeGbk(v.params);
  const b = Buffer.allocUnsafe(1 + p.length);
  b[0] = checkInt('command', v.command, 0xff);
  p.copy(b, 1);
  return b;
}
