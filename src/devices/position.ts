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

/**
 * A stored position as the bus hands it on (supervision, live feed): without the raw frame and the
 * additional items, which only the positions table keeps. Nothing downstream reads them, and left
 * on the bus they lived as long as the slowest subscriber held a batch, long enough at 10,000/s to
 * be promoted to the old generation.
 */
export interface StoredPosition extends Omit<PositionRecord, 'raw' | 'items'> {
  /** positions.id: the supervision checkpoint records the last one evaluated. */
  id: number;
  tripId: string | null;
  enterpriseId: string | null;
}
