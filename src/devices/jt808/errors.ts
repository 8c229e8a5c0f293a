/**
 * Stable error codes of the JT/T 808 codec. The CLI prints them as {"error":{"code","message"}},
 * the TCP server logs and counts them per device. Never rename a code; add new ones.
 */
import { AppError } from '../../platform/errors.ts';

export const JT808_ERROR_CODES = [
  'bad_checksum', // XOR of header+body differs from the checksum byte (vectors B1, B5, G21, H9, L11)
  'length_mismatch', // declared body length (props bits 0-9) != bytes present, in every header layout (B2)
  'truncated_header', // fewer bytes than the header (with package fields if bit 13) needs (B3, B4)
  'bad_escape', // 0x7D followed by anything but 0x01/0x02 (a trailing bare 0x7D checksum is tolerated, B6)
  'truncated_body', // a body shorter than its message's fixed part (e.g. 0x0200 < 28 bytes)
  'frame_too_large', // splitter: no closing 0x7E within maxFrameBytes
  'empty_frame', // nothing between the delimiters
  'bad_hex', // CLI: input is not an even-length hex string
  'empty_input', // CLI: blank input line
  'multiple_frames', // CLI: one line holds more than one frame
  'invalid_message', // encoder: a field is out of range or missing
  'body_too_large', // encoder: body longer than 1023 bytes (split it into sub-packages)
  'unknown_profile', // lock profile name not known
  'unsupported_command', // the profile has no such lock command
  'bad_argument', // CLI: unknown option or bad option value
] as const;
export type Jt808ErrorCode = (typeof JT808_ERROR_CODES)[number];

export class Jt808Error extends AppError {
  constructor(
    readonly code: Jt808ErrorCode,
    message: string,
    detail?: Record<string, unknown>,
  ) {
    super(400, code, message, detail);
    this.name = 'Jt808Error';
  }
}

export const isJt808Error = (e: unknown): e is Jt808Error => e instanceof Jt808Error;
