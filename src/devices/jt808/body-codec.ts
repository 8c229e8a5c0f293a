/** Body decoders/encoders by message ID. Unknown IDs: body kept as hex ({raw}). */
import { decodeAuthenticate, encodeAuthenticate, type AuthenticateBody } from './bodies/authenticate.ts';
import { decodeBatchLocation, encodeBatchLocation, type BatchLocationBody } from './bodies/batch-location.ts';
import { decodeGeneralResponse, encodeGeneralResponse, type GeneralResponseBody } from './bodies/general-response.ts';
import { decodeJointechLocation, type JointechLocationBody } from './bodies/jointech-location.ts';
import { decodeLocation, encodeLocation, type LocationBody } from './bodies/location.ts';
import {
  decodeParametersAnswer,
  decodeQueryParameters,
  decodeSetParameters,
  encodeParametersAnswer,
  encodeQueryParameters,
  encodeSetParameters,
  type ParametersAnswerBody,
  type QueryParametersBody,
  type SetParametersBody,
} from './bodies/parameters.ts';
import { decodePassthrough, encodePassthrough, type PassthroughBody } from './bodies/passthrough.ts';
import { decodeRegister, decodeRegisterResponse, encodeRegister, encodeRegisterResponse, type RegisterBody, type RegisterResponseBody } from './bodies/register.ts';
import { decodeSubpackageRequest, encodeSubpackageRequest, type SubpackageRequestBody } from './bodies/subpackage-request.ts';
import { decodeTerminalControl, encodeTerminalControl, type TerminalControlBody } from './bodies/terminal-control.ts';
import { Jt808Error } from './errors.ts';
import type { Jt808Version, RawBody } from './types.ts';

export type EmptyBody = Record<string, never>;

/** Message ID → decoded body type. */
export interface Jt808BodyMap {
  0x0001: GeneralResponseBody;
  0x8001: GeneralResponseBody;
  0x0002: EmptyBody;
  0x0003: EmptyBody;
  0x0004: EmptyBody;
  0x0005: SubpackageRequestBody;
  0x8003: SubpackageRequestBody;
  0x0100: RegisterBody;
  0x8100: RegisterResponseBody;
  0x0102: AuthenticateBody;
  0x8103: SetParametersBody;
  0x8104: EmptyBody;
  0x8106: QueryParametersBody;
  0x0104: ParametersAnswerBody;
  0x8105: TerminalControlBody;
  0x0200: LocationBody;
  0x0704: BatchLocationBody;
  0x0900: PassthroughBody;
  0x8900: PassthroughBody;
  0x5501: JointechLocationBody;
  0x5502: JointechLocationBody;
}
export type Jt808KnownId = keyof Jt808BodyMap;
export type Jt808Body = Jt808BodyMap[Jt808KnownId] | RawBody;

/** IDs whose body is empty by definition. */
const EMPTY = new Set([0x0002, 0x0003, 0x0004, 0x8104]);

export const MESSAGE_NAMES: Record<number, string> = {
  0x0001: 'terminal general response',
  0x8001: 'platform general response',
  0x0002: 'heartbeat',
  0x0003: 'logout',
  0x0004: 'query server time',
  0x0005: 'terminal sub-package re-send request',
  0x8003: 'sub-package re-send request',
  0x0100: 'register',
  0x8100: 'register response',
  0x0102: 'authenticate',
  0x8103: 'set parameters',
  0x8104: 'query all parameters',
  0x8106: 'query given parameters',
  0x0104: 'parameters answer',
  0x8105: 'terminal control',
  0x0200: 'location report',
  0x0704: 'batch location upload',
  0x0900: 'uplink pass-through',
  0x8900: 'downlink pass-through',
  0x5501: 'Jointech e-lock location (live)',
  0x5502: 'Jointech e-lock location (blind area)',
};

export function decodeBody(msgId: number, b: Buffer, version: Jt808Version, zone = '+08:00'): Jt808Body {
  switch (msgId) {
    case 0x0200:
      return decodeLocation(b, version, zone);
    case 0x0704:
      return decodeBatchLocation(b, version, zone);
    case 0x0001:
    case 0x8001:
      return decodeGeneralResponse(b);
    case 0x0100:
      return decodeRegister(b, version);
    case 0x8100:
      return decodeRegisterResponse(b);
    case 0x0102:
      return decodeAuthenticate(b, version);
    case 0x0005:
    case 0x8003:
      return decodeSubpackageRequest(b, version);
    case 0x8103:
      return decodeSetParameters(b);
    case 0x8106:
      return decodeQueryParameters(b);
    case 0x0104:
      return decodeParametersAnswer(b);
    case 0x8105:
      return decodeTerminalControl(b);
    case 0x0900:
    case 0x8900:
      return decodePassthrough(b);
    case 0x5501:
    case 0x5502:
      return decodeJointechLocation(b, zone);
  }
  if (EMPTY.has(msgId) && b.length === 0) return {};
  return { raw: b.toString('hex') };
}

export function encodeBody(msgId: number, body: unknown, version: Jt808Version): Buffer {
  const v = body as never;
  if (body && typeof body === 'object' && 'raw' in body && typeof (body as RawBody).raw === 'string' && !('items' in body) && !('params' in body)) {
    return Buffer.from((body as RawBody).raw, 'hex');
  }
  switch (msgId) {
    case 0x0200:
      return encodeLocation(v);
    case 0x0704:
      return encodeBatchLocation(v);
    case 0x0001:
    case 0x8001:
      return encodeGeneralResponse(v);
    case 0x0100:
      return encodeRegister(v, version);
    case 0x8100:
      return encodeRegisterResponse(v);
    case 0x0102:
      return encodeAuthenticate(v, version);
    case 0x0005:
    case 0x8003:
      return encodeSubpackageRequest(v, version);
    case 0x8103:
      return encodeSetParameters(v);
    case 0x8106:
      return encodeQueryParameters(v);
    case 0x0104:
      return encodeParametersAnswer(v);
    case 0x8105:
      return encodeTerminalControl(v);
    case 0x0900:
    case 0x8900:
      return encodePassthrough(v);
  }
  if (EMPTY.has(msgId)) return Buffer.alloc(0);
  throw new Jt808Error('invalid_message', `no encoder for 0x${msgId.toString(16).padStart(4, '0')}: give the body as {raw: hex}`);
}
