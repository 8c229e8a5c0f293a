/**
 * JT/T 808 (2011 / 2013 / 2019) codec for the gateway — written by hand: no maintained JavaScript/
 * TypeScript implementation of JT/T 808 exists (the only Node test vector found, cyrilokidi/jt808-parser,
 * is a hex splitter), so this follows /work/shared/reference/jt808-protocol.md and is tested against
 * every frame of jt808-vectors.md. Pure functions: Buffer → message, message → Buffer; no sockets, no DB.
 *
 * Server path: Jt808FrameSplitter.push(chunk) → parseFrame(frame) → (package? SubpackageAssembler.add)
 * → decodeParsed / decodeBody → lockEventsOf(profile, body); replies with encodeGeneralReply /
 * encodeRegisterReply / encodeSubpackageRequestFor in the terminal's version.
 */
export * from './errors.ts';
export * from './types.ts';
export { unescapeFrame, escapeAndFrame, type UnescapeResult } from './escape.ts';
export { xorChecksum } from './checksum.ts';
export { deviceTimeOf, terminalIdOf } from './bcd.ts';
export { Jt808FrameSplitter, type SplitterOutput, type FrameSplitterOptions } from './frame-splitter.ts';
export { parseHeader, MAX_BODY_LENGTH } from './header.ts';
export { parseFrame, decodeParsed, decodeFrame, decodeWire } from './decode.ts';
export { encodeMessage, frameContent, replyHeader, encodeGeneralReply, encodeRegisterReply, encodeSubpackageRequestFor } from './encode.ts';
export { decodeBody, encodeBody, MESSAGE_NAMES, type Jt808BodyMap, type Jt808Body, type Jt808KnownId, type EmptyBody } from './body-codec.ts';
export { SubpackageAssembler, type SubpackageGap, type AddResult, type SubpackageAssemblerOptions } from './subpackage-assembler.ts';
export * from './lock-profiles.ts';
export { decodeHexToJson, runDecodeCli, type DecodeJsonOptions, type DecodeJsonResult } from './decode-json.ts';
export type { LocationBody, LocationInput } from './bodies/location.ts';
export { locationItem, type LocationItem } from './bodies/location-items.ts';
export type { BatchLocationBody } from './bodies/batch-location.ts';
export type { GeneralResponseBody } from './bodies/general-response.ts';
export type { RegisterBody, RegisterResponseBody } from './bodies/register.ts';
export type { AuthenticateBody } from './bodies/authenticate.ts';
export type { SubpackageRequestBody } from './bodies/subpackage-request.ts';
export type { SetParametersBody, ParametersAnswerBody, QueryParametersBody, ParameterItem } from './bodies/parameters.ts';
export type { TerminalControlBody } from './bodies/terminal-control.ts';
export type { PassthroughBody } from './bodies/passthrough.ts';
export type { JointechLocationBody } from './bodies/jointech-location.ts';
