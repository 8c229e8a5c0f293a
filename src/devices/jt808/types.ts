/** Message model shared by the decoders and encoders. Body types live beside their codecs in bodies/. */
export type Jt808Version = 2011 | 2013 | 2019;

export interface Jt808Package {
  total: number;
  /** From 1. */
  index: number;
}

export interface Jt808Header {
  msgId: number;
  /** 2019 = 2019 header layout; 2011 = 2013-shaped header whose terminal uses 2011 bodies (0x0100 layout or the caller's hint). */
  version: Jt808Version;
  /** 2019 header byte "protocol version" (1 = first 2019 version); null for 2011/2013. */
  protocolVersion: number | null;
  /** BCD digits with leading zeros kept (12 or 20), or lower-case hex when the field is not BCD. */
  terminalId: string;
  serial: number;
  package: Jt808Package | null;
  /** Body properties bits 10-12 (0 = none, 1 = RSA). Vendors misuse them (L7-L11). */
  encryption: number;
  /**
   * What was unusual but tolerated, e.g. 'version_flag_without_2019_header' (M1),
   * '2019_header_without_version_flag' (M3), 'bare_7d_checksum' (B6), 'one_byte_serial' (0x5501/0x5502),
   * 'reserved_bit15'.
   */
  quirks: string[];
}

/** A checked frame: header parsed, body still bytes (for sub-package reassembly or lazy decoding). */
export interface Jt808Frame {
  header: Jt808Header;
  body: Buffer;
}

export interface Jt808Message<B = unknown> {
  header: Jt808Header;
  body: B;
}

/** What encoders need: a header without the decoder-only fields. */
export interface Jt808OutHeader {
  msgId: number;
  version: Jt808Version;
  terminalId: string;
  serial: number;
  /** 2019 only; default 1. */
  protocolVersion?: number | null;
  package?: Jt808Package | null;
  encryption?: number;
}

export interface Jt808OutMessage<B = unknown> {
  header: Jt808OutHeader;
  body: B;
}

/** Body of a message this codec does not know, or of an encrypted/sub-package fragment: the bytes as hex. */
export interface RawBody {
  raw: string;
  /** Set on a sub-package fragment: decode the body after reassembly. */
  fragment?: true;
  /** Set when props bits 10-12 say RSA: not decodable here. */
  encrypted?: true;
}

export interface DecodeOptions {
  /** Zone of the device's BCD times, default "+08:00" (the standard's GMT+8). */
  zone?: string;
  /** The version this connection already showed (e.g. 2011 from its 0x0100); a 2013-shaped header is then reported as it. */
  versionHint?: Jt808Version;
}
