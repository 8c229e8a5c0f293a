/**
 * Message → wire bytes: build header + body → XOR checksum → escape → 0x7E delimiters.
 * Replies are built in the version the terminal used (replyHeader copies version and protocol version).
 */
import { encodeBody } from './body-codec.ts';
import { xorChecksum } from './checksum.ts';
import { escapeAndFrame } from './escape.ts';
import { headerLength, writeHeader } from './header.ts';
import type { Jt808Header, Jt808OutHeader, Jt808OutMessage, Jt808Version } from './types.ts';

/** Un-escaped frame content (header, body, checksum) for a header and raw body bytes. */
export function frameContent(header: Jt808OutHeader, body: Buffer): Buffer {
  const hl = headerLength(header);
  const out = Buffer.allocUnsafe(hl + body.length + 1);
  writeHeader(out, header, body.length);
  body.copy(out, hl);
  out[hl + body.length] = xorChecksum(out, 0, hl + body.length);
  return out;
}

/** Encode a message to wire bytes (escaped, delimited). */
export function encodeMessage(msg: Jt808OutMessage): Buffer {
  return escapeAndFrame(frameContent(msg.header, encodeBody(msg.header.msgId, msg.body, msg.header.version)));
}

/** Header of a platform message to the terminal that sent `req`, in that terminal's version. */
export function replyHeader(req: Pick<Jt808Header, 'terminalId' | 'version' | 'protocolVersion'>, msgId: number, serial: number): Jt808OutHeader {
  return { msgId, version: req.version, protocolVersion: req.protocolVersion, terminalId: req.terminalId, serial: serial & 0xffff, package: null };
}

/** 0x8001 for a terminal message (result 0 ok, 1 fail, 2 bad message, 3 unsupported, 4 alarm confirmed). */
export function encodeGeneralReply(req: Jt808Header, serial: number, result = 0): Buffer {
  return encodeMessage({ header: replyHeader(req, 0x8001, serial), body: { answerSerial: req.serial, answerMsgId: req.msgId, result } });
}

/** 0x8100 for a 0x0100 (authCode required when result is 0). */
export function encodeRegisterReply(req: Jt808Header, serial: number, result: number, authCode: string | null): Buffer {
  return encodeMessage({ header: replyHeader(req, 0x8100, serial), body: { answerSerial: req.serial, result, authCode } });
}

/** 0x8003 asking the terminal to re-send the given sub-packages (count BYTE before 2019, WORD in 2019). */
export function encodeSubpackageRequestFor(
  terminal: { terminalId: string; version: Jt808Version; protocolVersion?: number | null },
  serial: number,
  originalSerial: number,
  packageIds: number[],
): Buffer {
  return encodeMessage({ header: replyHeader({ protocolVersion: null, ...terminal }, 0x8003, serial), body: { originalSerial, packageIds } });
}
