/**
 * Row types as stored. Both dialects store the same shapes: timestamps are ISO 8601 text (UTC),
 * structured values are JSON text, booleans are 0/1 integers. That keeps one set of queries for
 * SQLite and PostgreSQL without dialect-specific type parsing.
 */
import type { Generated } from 'kysely';
import type { InspectionTables } from '../../inspection/tables.ts';

export interface EnterpriseRow {
  id: string;
  name: string;
  uscc: string;
  credit_grade: 'advanced' | 'general' | 'low';
  contacts: string;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  enterprise_id: string | null;
  administration: string | null;
  disabled: number;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface ApiKeyRow {
  id: string;
  key_hash: string;
  role: string;
  label: string;
  subject_id: string | null;
  administration: string | null;
  created_at: string;
  revoked_at: string | null;
}
export interface VehicleRow {
  id: string;
  enterprise_id: string;
  plate_cn: string;
  plate_hk: string | null;
  kind: string;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface DriverRow {
  id: string;
  enterprise_id: string;
  name: string;
  licence_no: string;
  phone: string | null;
  home_region: string;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface DeviceRow {
  id: string;
  terminal_id: string;
  model: string;
  lock_profile: string;
  state: 'in_stock' | 'assigned' | 'sealed' | 'maintenance';
  battery_pct: number | null;
  last_seen_at: string | null;
  auth_code: string;
  ingest_key_hash: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface PlaceRow {
  id: string;
  name: string;
  name_zh: string | null;
  kind: string;
  jurisdiction: 'CN' | 'HK';
  geometry: string;
  radius_m: number | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface RouteRow {
  id: string;
  name: string;
  geometry: string;
  corridor_width_m: number;
  stop_zone_ids: string;
  place_ids: string;
  time_limit_min: number;
  rule_overrides: string;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface DeclarationRow {
  id: string;
  enterprise_id: string;
  direction: 'export' | 'import';
  vehicle_id: string;
  driver_id: string;
  container_no: string | null;
  origin_place_id: string;
  destination_place_id: string;
  route_id: string;
  time_limit_min: number;
  goods: string;
  state: 'draft' | 'submitted' | 'accepted' | 'rejected' | 'cancelled';
  reasons: string;
  trip_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface TripRow {
  id: string;
  declaration_id: string;
  enterprise_id: string;
  vehicle_id: string;
  driver_id: string;
  device_id: string | null;
  route_id: string;
  origin_place_id: string;
  destination_place_id: string;
  direction: 'export' | 'import';
  state: string;
  resume_state: string | null;
  deadline_at: string | null;
  time_limit_min: number;
  active_vehicle_id: string | null;
  active_device_id: string | null;
  discharge: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface TripTransitionRow {
  id: string;
  trip_id: string;
  from_state: string;
  to_state: string;
  action: string;
  actor: string;
  reason: string | null;
  at: string;
}
export interface SealSessionRow {
  id: string;
  trip_id: string;
  device_id: string;
  jurisdiction: 'CN' | 'HK';
  opened_at: string;
  opened_by: string;
  closed_at: string | null;
  closed_by: string | null;
  close_reason: string | null;
}
export interface PositionRow {
  id: Generated<number>;
  device_id: string;
  trip_id: string | null;
  fix_time: string;
  received_at: string;
  serial: number;
  lat: number;
  lon: number;
  altitude_m: number;
  speed_kmh: number;
  heading: number;
  alarm: number;
  status: number;
  battery_pct: number | null;
  lock_events: string;
  items: string;
  late: number;
  source: string;
  raw: string;
  /** 1 = kept but not used by the rules (impossible jump); migration 006. */
  filtered: Generated<number>;
}
export interface AuditRow {
  seq: Generated<number>;
  at: string;
  actor: string;
  action: string;
  subject: string;
  before: string | null;
  after: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
}
export interface IdempotencyRow {
  key: string;
  actor: string;
  route: string;
  status: number;
  body: string;
  created_at: string;
  /** sha256 of the first request's body (null for keys stored before it was kept). */
  request_hash: string | null;
}

export interface AlertRow {
  id: string;
  trip_id: string;
  device_id: string | null;
  enterprise_id: string;
  type: string;
  severity: 'info' | 'warning' | 'critical';
  state: 'open' | 'acknowledged' | 'resolved';
  active: number;
  late: number;
  first_at: string;
  last_at: string;
  occurrences: number;
  lat: number | null;
  lon: number | null;
  detail: string;
  assignee_id: string | null;
  disposition: string | null;
  incident_code: string | null;
  escalated_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface AlertCommentRow { id: string; alert_id: string; author: string; body: string; at: string }
export interface TripMilestoneRow { id: string; trip_id: string; type: string; at: string; lat: number | null; lon: number | null; late: number; place_id: string | null }
export interface RuleCheckpointRow { trip_id: string; state: string; position_id: number; updated_at: string }
export interface WebhookRow { id: string; url: string; secret: string; events: string; active: number; created_at: string }
export interface WebhookDeliveryRow {
  id: Generated<number>;
  webhook_id: string;
  event: string;
  payload: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface GateRow { id: string; name: string; place_id: string; jurisdiction: 'CN' | 'HK'; version: number; created_at: string; updated_at: string }
export interface GateLaneRow { id: string; gate_id: string; code: string; direction: string; created_at: string }
export interface PassageRow {
  id: string; gate_id: string; lane_id: string; controller_passage_id: string; inputs: string; trip_id: string | null;
  decision: 'release' | 'inspect' | 'hold'; reasons: string; decision_us: number; read_at: string; decided_at: string;
  override_decision: string | null; override_reason: string | null; overridden_by: string | null; overridden_at: string | null;
}
export interface RiskRuleRow {
  id: string; name: string; hs_prefix: string | null; credit_grade: string | null; origin_place_id: string | null; min_value: number | null;
  min_violations: number | null; valid_from: string | null; valid_to: string | null; active: number; version: number; created_at: string; updated_at: string;
}
export interface RiskSamplingRow { id: number; rates: string; seed: string; version: number; updated_at: string }
export interface InspectionRow {
  id: string; trip_id: string; passage_id: string | null; state: 'pending' | 'assigned' | 'done'; assignee_id: string | null; reasons: string;
  result: string | null; verdict: 'release' | 'hold' | null; images: string; version: number; created_at: string; updated_at: string;
}

export interface DeviceCommandRow {
  id: string; device_id: string; terminal_id: string; type: string; msg_id: number; serial: number | null; params: string; trip_id: string | null;
  state: 'pending' | 'sent' | 'acknowledged' | 'failed' | 'timed_out'; result: string | null; reply: string | null; requested_by: string;
  created_at: string; sent_at: string | null; replied_at: string | null; updated_at: string;
}

export interface Database extends InspectionTables {
  device_commands: DeviceCommandRow;
  gates: GateRow;
  gate_lanes: GateLaneRow;
  passages: PassageRow;
  risk_rules: RiskRuleRow;
  risk_sampling: RiskSamplingRow;
  inspections: InspectionRow;
  alerts: AlertRow;
  alert_comments: AlertCommentRow;
  trip_milestones: TripMilestoneRow;
  rule_checkpoints: RuleCheckpointRow;
  webhooks: WebhookRow;
  webhook_deliveries: WebhookDeliveryRow;
  enterprises: EnterpriseRow;
  users: UserRow;
  api_keys: ApiKeyRow;
  vehicles: VehicleRow;
  drivers: DriverRow;
  devices: DeviceRow;
  places: PlaceRow;
  routes: RouteRow;
  declarations: DeclarationRow;
  trips: TripRow;
  trip_transitions: TripTransitionRow;
  seal_sessions: SealSessionRow;
  positions: PositionRow;
  audit_log: AuditRow;
  idempotency_keys: IdempotencyRow;
}
