/** A position as every ingest path normalises it, before and after it is stored. */
export interface PositionRecord {
  deviceId: string;
  terminalId: string;
  /** Device fix time, epoch ms. */
  fixTime: number;
  receivedAt: number;
  /** Message serial number; with terminal and fix time it identifies a re-sent report. */
  serial: number;
  lat: number;
  lon: number;
  altitudeM: number;
  speedKmh: number;
  heading: number;
  alarm: number;
  status: number;
  batteryPct: number | null;
  /** Lock events from the device's profile: sealed, unsealed, opened_while_sealed, wire_cut, … */
  lockEvents: string[];
  /** Additional items, unknown ones kept raw. */
  items: Record<string, unknown>;
  /** Uploaded late (blind-area batch 0x0704, or older than the device's last report). */
  late: boolean;
  source: 'jt808' | 'http';
  /** The raw frame (hex) or JSON the position came from. */
  raw: string;
}

export interface StoredPosition extends PositionRecord {
  /** positions.id: the supervision checkpoint records the last one evaluated. */
  id: number;
  tripId: string | null;
  enterpriseId: string | null;
}
