/**
 * The one settings table. Every setting has a typed default and an environment override;
 * nothing else in the code reads process.env.
 */
import path from 'node:path';

type Kind = 'int' | 'string' | 'bool' | 'number';
interface Setting<K extends Kind> {
  env: string;
  kind: K;
  default: K extends 'int' | 'number' ? number : K extends 'bool' ? boolean : string;
  doc: string;
}
const s = <K extends Kind>(env: string, kind: K, def: Setting<K>['default'], doc: string): Setting<K> => ({
  env,
  kind,
  default: def,
  doc,
});

export const settingsTable = {
  httpPort: s('ONELOCK_HTTP_PORT', 'int', 8080, 'HTTP port for the API, OpenAPI docs and dashboard'),
  httpHost: s('ONELOCK_HTTP_HOST', 'string', '0.0.0.0', 'HTTP listen address'),
  jt808Port: s('ONELOCK_JT808_PORT', 'int', 7808, 'TCP port for JT/T 808 terminals'),
  jt808IdleS: s('ONELOCK_JT808_IDLE_S', 'int', 300, 'a JT/T 808 connection silent this long (s) is closed'),
  jt808CommandTimeoutS: s('ONELOCK_JT808_COMMAND_TIMEOUT_S', 'int', 30, 'a downlink command without the terminal\'s reply within this many seconds is timed_out'),
  dataDir: s('ONELOCK_DATA_DIR', 'string', './data', 'holds the SQLite file, the signing keys and stored files'),
  databaseUrl: s('ONELOCK_DATABASE_URL', 'string', '', 'a postgres:// URL switches storage to PostgreSQL; empty = SQLite in the data dir'),
  databaseSchema: s('ONELOCK_DATABASE_SCHEMA', 'string', 'public', 'PostgreSQL schema (tests use one per run)'),
  natsUrl: s('ONELOCK_NATS_URL', 'string', '', 'reserved for scale-out: NATS JetStream bus'),
  tokenSecret: s('ONELOCK_TOKEN_SECRET', 'string', '', 'HMAC secret for access tokens; empty = generated once and kept in the data dir'),
  tokenTtlS: s('ONELOCK_TOKEN_TTL_S', 'int', 3600, 'access token lifetime in seconds'),
  logLevel: s('ONELOCK_LOG_LEVEL', 'string', 'info', 'pino log level'),
  demo: s('ONELOCK_DEMO', 'bool', false, 'seed demo data at start (npm start turns it on)'),
  publicUrl: s('ONELOCK_PUBLIC_URL', 'string', '', 'base URL printed in QR codes and links; empty = http://localhost:<port>'),
  escalateCriticalS: s('ONELOCK_ESCALATE_CRITICAL_S', 'int', 120, 'an unacknowledged critical alert escalates after this many seconds'),
  escalateWarningS: s('ONELOCK_ESCALATE_WARNING_S', 'int', 900, 'an unacknowledged warning escalates after this many seconds'),
  gateWeightTolerancePct: s('ONELOCK_GATE_WEIGHT_TOLERANCE_PCT', 'number', 3, 'weighbridge tolerance against declared gross weight, percent'),
  gateWeightToleranceKg: s('ONELOCK_GATE_WEIGHT_TOLERANCE_KG', 'number', 500, 'weighbridge tolerance floor in kg (the larger of the two applies)'),
  statsBaselineClearanceMin: s('ONELOCK_STATS_BASELINE_CLEARANCE_MIN', 'int', 45, 'minutes a conventional (manual) border clearance takes; statistics count each auto-released passage as this much time saved'),
  signingKey: s('ONELOCK_SIGNING_KEY', 'string', '', 'Ed25519 private key for certificates (PKCS#8 PEM or base64); empty = generated once and kept in the data dir'),
  certificateOffice: s('ONELOCK_CERTIFICATE_OFFICE', 'string', 'CN-QZ', 'issuing office code used in certificate numbers when the officer names none'),
  pageLimitMax: s('ONELOCK_PAGE_LIMIT_MAX', 'int', 200, 'largest page a list returns'),
  ruleCorridorM: s('ONELOCK_RULE_CORRIDOR_M', 'number', 500, 'rule default: corridor width (m) when the route sets none (rule field corridorWidthM)'),
  ruleConfirmFixes: s('ONELOCK_RULE_CONFIRM_FIXES', 'int', 3, 'rule default: consecutive fixes that confirm a deviation or a return (deviationConfirmFixes)'),
  ruleConfirmS: s('ONELOCK_RULE_CONFIRM_S', 'int', 60, 'rule default: or two fixes spanning this many seconds (deviationConfirmMs)'),
  ruleStopWarnMin: s('ONELOCK_RULE_STOP_WARN_MIN', 'number', 15, 'rule default: minutes stationary outside stop zones before a warning (stopWarnMs)'),
  ruleStopCritMin: s('ONELOCK_RULE_STOP_CRIT_MIN', 'number', 30, 'rule default: minutes stationary before it turns critical (stopCriticalMs)'),
  ruleBatteryWarn: s('ONELOCK_RULE_BATTERY_WARN', 'number', 20, 'rule default: battery percent below which low_battery warns (lowBatteryWarnPct)'),
  ruleBatteryCrit: s('ONELOCK_RULE_BATTERY_CRIT', 'number', 10, 'rule default: battery percent below which low_battery is critical (lowBatteryCriticalPct)'),
  ruleSignalLostS: s('ONELOCK_RULE_SIGNAL_LOST_S', 'int', 300, 'rule default: seconds without a report before signal_lost (signalLostMs)'),
  ruleMaxKmh: s('ONELOCK_RULE_MAX_KMH', 'number', 180, 'rule default: a fix implying more than this speed from the last good one is filtered (maxSpeedKmh)'),
  supervisionTickS: s('ONELOCK_SUPERVISION_TICK_S', 'number', 15, 'seconds between signal-loss, overdue and escalation checks; 0 = no timer (tests tick by hand)'),
  demoSim: s('ONELOCK_DEMO_SIM', 'bool', true, 'with demo data on: run the live demo (emulated e-locks drive the route over JT/T 808 with scripted incidents); false, or serve --no-sim, turns it off'),
  sqliteCheckpointMs: s('ONELOCK_SQLITE_CHECKPOINT_MS', 'int', 50, 'SQLite: a background thread checkpoints the WAL this often (ms), so no commit stalls the event loop copying and syncing it; 0 = SQLite checkpoints inside commits'),
  v8PoolSize: s('ONELOCK_V8_POOL_SIZE', 'string', '', 'V8 worker threads for `onelock serve` (it relaunches itself with --v8-pool-size): empty = one less than the cores, at most 4 (Node\'s own); "default" = Node\'s four, no relaunch'),
  supervisionCheckpointS: s('ONELOCK_SUPERVISION_CHECKPOINT_S', 'number', 30, 'a trip whose positions raised nothing has its rule state checkpointed at most this often (s); a restart replays the positions after the checkpoint'),
} as const;

export type SettingsTable = typeof settingsTable;
export type Settings = { -readonly [K in keyof SettingsTable]: SettingsTable[K]['default'] };

function parse(kind: Kind, raw: string, env: string): number | string | boolean {
  if (kind === 'string') return raw;
  if (kind === 'bool') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new Error(`${env}: expected true/false, got "${raw}"`);
  }
  const n = Number(raw);
  if (!Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n))) throw new Error(`${env}: expected a ${kind === 'int' ? 'whole ' : ''}number, got "${raw}"`);
  return n;
}

/** Defaults, then the environment, then explicit overrides (used by tests and CLI flags). */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Settings> = {}): Settings {
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(settingsTable)) {
    const raw = env[def.env];
    out[key] = raw === undefined || raw === '' ? def.default : parse(def.kind, raw, def.env);
  }
  Object.assign(out, overrides);
  return out as Settings;
}

export const dataPath = (settings: Settings, ...parts: string[]) => path.resolve(settings.dataDir, ...parts);
