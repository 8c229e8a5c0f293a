/** Alert vocabulary from DOMAIN.md: types, severities, lifecycle, dispositions and incident codes. */
export const ALERT_TYPES = ['route_deviation', 'unauthorised_stop', 'seal_opened', 'tamper', 'low_battery', 'signal_lost', 'overdue'] as const;
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export const DISPOSITIONS = ['false_alarm', 'driver_contacted', 'unit_dispatched', 'violation_confirmed'] as const;
export const INCIDENT_CODES = ['deviated_from_route', 'seal_broken', 'goods_transferred', 'goods_unloaded', 'carrier_unable_to_continue', 'means_of_transport_changed'] as const;

export const severityRank = (s: string) => SEVERITIES.indexOf(s as Severity);
export const maxSeverity = (a: string, b: string) => (severityRank(a) >= severityRank(b) ? a : b) as Severity;

/** What the rules say about one alert condition on one trip. */
export interface AlertSignal {
  kind: 'raise' | 'clear';
  tripId: string;
  deviceId: string | null;
  type: string;
  severity: Severity;
  time: number;
  late: boolean;
  lat?: number | null;
  lon?: number | null;
  detail?: Record<string, unknown>;
}

export const ALERT_CHANGED = 'alert.changed';
