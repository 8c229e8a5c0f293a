/**
 * Versioned migrations, written once with Kysely's schema builder so the same steps run on
 * SQLite and PostgreSQL. The only dialect difference is the auto-increment column type.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './connect.ts';
import { m005_inspection } from '../../inspection/migration.ts';
import { m006_supervision_flags } from '../../supervision/pipeline/migration.ts';

type Step = (db: Kysely<any>, dialect: Dialect) => Promise<void>;

const ts = 'text';
const m001_core: Step = async (db, dialect) => {
  const serial = dialect === 'postgres' ? 'serial' : 'integer';
  const stamps = (t: any) => t.addColumn('created_at', ts, (c: any) => c.notNull()).addColumn('updated_at', ts, (c: any) => c.notNull());
  const ver = (t: any) => t.addColumn('version', 'integer', (c: any) => c.notNull().defaultTo(1));

  await stamps(ver(db.schema.createTable('enterprises')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('name', ts, (c) => c.notNull())
    .addColumn('uscc', ts, (c) => c.notNull().unique())
    .addColumn('credit_grade', ts, (c) => c.notNull())
    .addColumn('contacts', ts, (c) => c.notNull().defaultTo('[]')))).execute();

  await stamps(ver(db.schema.createTable('users')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('username', ts, (c) => c.notNull().unique())
    .addColumn('display_name', ts, (c) => c.notNull())
    .addColumn('password_hash', ts, (c) => c.notNull())
    .addColumn('role', ts, (c) => c.notNull())
    .addColumn('enterprise_id', ts, (c) => c.references('enterprises.id'))
    .addColumn('administration', ts)
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0)))).execute();

  await db.schema.createTable('api_keys')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('key_hash', ts, (c) => c.notNull().unique())
    .addColumn('role', ts, (c) => c.notNull())
    .addColumn('label', ts, (c) => c.notNull())
    .addColumn('subject_id', ts)
    .addColumn('administration', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('revoked_at', ts)
    .execute();

  await stamps(ver(db.schema.createTable('vehicles')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('enterprise_id', ts, (c) => c.notNull().references('enterprises.id'))
    .addColumn('plate_cn', ts, (c) => c.notNull().unique())
    .addColumn('plate_hk', ts, (c) => c.unique())
    .addColumn('kind', ts, (c) => c.notNull()))).execute();

  await stamps(ver(db.schema.createTable('drivers')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('enterprise_id', ts, (c) => c.notNull().references('enterprises.id'))
    .addColumn('name', ts, (c) => c.notNull())
    .addColumn('licence_no', ts, (c) => c.notNull().unique())
    .addColumn('phone', ts)
    .addColumn('home_region', ts, (c) => c.notNull()))).execute();

  await stamps(ver(db.schema.createTable('devices')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('terminal_id', ts, (c) => c.notNull().unique())
    .addColumn('model', ts, (c) => c.notNull())
    .addColumn('lock_profile', ts, (c) => c.notNull())
    .addColumn('state', ts, (c) => c.notNull())
    .addColumn('battery_pct', 'real')
    .addColumn('last_seen_at', ts)
    .addColumn('auth_code', ts, (c) => c.notNull())
    .addColumn('ingest_key_hash', ts))).execute();

  await stamps(ver(db.schema.createTable('places')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('name', ts, (c) => c.notNull().unique())
    .addColumn('name_zh', ts)
    .addColumn('kind', ts, (c) => c.notNull())
    .addColumn('jurisdiction', ts, (c) => c.notNull())
    .addColumn('geometry', ts, (c) => c.notNull())
    .addColumn('radius_m', 'real'))).execute();

  await stamps(ver(db.schema.createTable('routes')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('name', ts, (c) => c.notNull().unique())
    .addColumn('geometry', ts, (c) => c.notNull())
    .addColumn('corridor_width_m', 'real', (c) => c.notNull())
    .addColumn('stop_zone_ids', ts, (c) => c.notNull())
    .addColumn('place_ids', ts, (c) => c.notNull())
    .addColumn('time_limit_min', 'integer', (c) => c.notNull())
    .addColumn('rule_overrides', ts, (c) => c.notNull().defaultTo('{}')))).execute();

  await stamps(ver(db.schema.createTable('declarations')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('enterprise_id', ts, (c) => c.notNull().references('enterprises.id'))
    .addColumn('direction', ts, (c) => c.notNull())
    .addColumn('vehicle_id', ts, (c) => c.notNull().references('vehicles.id'))
    .addColumn('driver_id', ts, (c) => c.notNull().references('drivers.id'))
    .addColumn('container_no', ts)
    .addColumn('origin_place_id', ts, (c) => c.notNull().references('places.id'))
    .addColumn('destination_place_id', ts, (c) => c.notNull().references('places.id'))
    .addColumn('route_id', ts, (c) => c.notNull().references('routes.id'))
    .addColumn('time_limit_min', 'integer', (c) => c.notNull())
    .addColumn('goods', ts, (c) => c.notNull())
    .addColumn('state', ts, (c) => c.notNull())
    .addColumn('reasons', ts, (c) => c.notNull().defaultTo('[]'))
    .addColumn('trip_id', ts))).execute();

  await stamps(ver(db.schema.createTable('trips')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('declaration_id', ts, (c) => c.notNull().unique().references('declarations.id'))
    .addColumn('enterprise_id', ts, (c) => c.notNull().references('enterprises.id'))
    .addColumn('vehicle_id', ts, (c) => c.notNull().references('vehicles.id'))
    .addColumn('driver_id', ts, (c) => c.notNull().references('drivers.id'))
    .addColumn('device_id', ts, (c) => c.references('devices.id'))
    .addColumn('route_id', ts, (c) => c.notNull().references('routes.id'))
    .addColumn('origin_place_id', ts, (c) => c.notNull())
    .addColumn('destination_place_id', ts, (c) => c.notNull())
    .addColumn('direction', ts, (c) => c.notNull())
    .addColumn('state', ts, (c) => c.notNull())
    .addColumn('resume_state', ts)
    .addColumn('deadline_at', ts)
    .addColumn('time_limit_min', 'integer', (c) => c.notNull())
    // Set while the trip is active, NULL once closed or cancelled: the unique indexes below make
    // "one active trip per vehicle / per lock" a database guarantee, not a race-prone check.
    .addColumn('active_vehicle_id', ts, (c) => c.unique())
    .addColumn('active_device_id', ts, (c) => c.unique())
    .addColumn('discharge', ts))).execute();
  await db.schema.createIndex('trips_state').on('trips').columns(['state', 'id']).execute();
  await db.schema.createIndex('trips_enterprise').on('trips').columns(['enterprise_id', 'id']).execute();

  await db.schema.createTable('trip_transitions')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('trip_id', ts, (c) => c.notNull().references('trips.id'))
    .addColumn('from_state', ts, (c) => c.notNull())
    .addColumn('to_state', ts, (c) => c.notNull())
    .addColumn('action', ts, (c) => c.notNull())
    .addColumn('actor', ts, (c) => c.notNull())
    .addColumn('reason', ts)
    .addColumn('at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trip_transitions_trip').on('trip_transitions').columns(['trip_id', 'at']).execute();

  await db.schema.createTable('seal_sessions')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('trip_id', ts, (c) => c.notNull().references('trips.id'))
    .addColumn('device_id', ts, (c) => c.notNull().references('devices.id'))
    .addColumn('jurisdiction', ts, (c) => c.notNull())
    .addColumn('opened_at', ts, (c) => c.notNull())
    .addColumn('opened_by', ts, (c) => c.notNull())
    .addColumn('closed_at', ts)
    .addColumn('closed_by', ts)
    .addColumn('close_reason', ts)
    .execute();
  await db.schema.createIndex('seal_sessions_trip').on('seal_sessions').columns(['trip_id', 'opened_at']).execute();

  await db.schema.createTable('positions')
    .addColumn('id', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('device_id', ts, (c) => c.notNull())
    .addColumn('trip_id', ts)
    .addColumn('fix_time', ts, (c) => c.notNull())
    .addColumn('received_at', ts, (c) => c.notNull())
    .addColumn('serial', 'integer', (c) => c.notNull())
    .addColumn('lat', 'double precision', (c) => c.notNull())
    .addColumn('lon', 'double precision', (c) => c.notNull())
    .addColumn('altitude_m', 'real', (c) => c.notNull())
    .addColumn('speed_kmh', 'real', (c) => c.notNull())
    .addColumn('heading', 'real', (c) => c.notNull())
    .addColumn('alarm', 'bigint', (c) => c.notNull())
    .addColumn('status', 'bigint', (c) => c.notNull())
    .addColumn('battery_pct', 'real')
    .addColumn('lock_events', ts, (c) => c.notNull().defaultTo('[]'))
    .addColumn('items', ts, (c) => c.notNull().defaultTo('{}'))
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source', ts, (c) => c.notNull())
    .addColumn('raw', ts, (c) => c.notNull())
    .execute();
  // A re-sent position (same terminal, fix time and serial) is stored once.
  await db.schema.createIndex('positions_dedupe').on('positions').columns(['device_id', 'fix_time', 'serial']).unique().execute();
  await db.schema.createIndex('positions_trip_time').on('positions').columns(['trip_id', 'fix_time']).execute();

  await db.schema.createTable('audit_log')
    .addColumn('seq', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('actor', ts, (c) => c.notNull())
    .addColumn('action', ts, (c) => c.notNull())
    .addColumn('subject', ts, (c) => c.notNull())
    .addColumn('before', ts)
    .addColumn('after', ts)
    .addColumn('reason', ts)
    .addColumn('prev_hash', ts, (c) => c.notNull())
    .addColumn('hash', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_subject').on('audit_log').columns(['subject', 'seq']).execute();

  await db.schema.createTable('idempotency_keys')
    .addColumn('key', ts, (c) => c.notNull())
    .addColumn('actor', ts, (c) => c.notNull())
    .addColumn('route', ts, (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('body', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_pk', ['key', 'actor', 'route'])
    .execute();
};

const m002_supervision: Step = async (db, dialect) => {
  const serial = dialect === 'postgres' ? 'serial' : 'integer';
  await db.schema.createTable('alerts')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('trip_id', ts, (c) => c.notNull().references('trips.id'))
    .addColumn('device_id', ts)
    .addColumn('enterprise_id', ts, (c) => c.notNull())
    .addColumn('type', ts, (c) => c.notNull())
    .addColumn('severity', ts, (c) => c.notNull())
    .addColumn('state', ts, (c) => c.notNull())
    // 1 while the condition holds (e.g. still off the corridor); the alert stays open for an officer either way.
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_at', ts, (c) => c.notNull())
    .addColumn('last_at', ts, (c) => c.notNull())
    .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('lat', 'double precision')
    .addColumn('lon', 'double precision')
    .addColumn('detail', ts, (c) => c.notNull().defaultTo('{}'))
    .addColumn('assignee_id', ts)
    .addColumn('disposition', ts)
    .addColumn('incident_code', ts)
    .addColumn('escalated_at', ts)
    .addColumn('acknowledged_at', ts)
    .addColumn('acknowledged_by', ts)
    .addColumn('resolved_at', ts)
    .addColumn('resolved_by', ts)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  // One open alert per trip and type: repeats update it (partial unique index, both dialects).
  await db.schema.createIndex('alerts_one_open').on('alerts').columns(['trip_id', 'type']).unique().where(sql.ref('state'), '!=', 'resolved').execute();
  await db.schema.createIndex('alerts_state').on('alerts').columns(['state', 'id']).execute();
  await db.schema.createIndex('alerts_trip').on('alerts').columns(['trip_id', 'id']).execute();
  // risk selection counts an enterprise's confirmed violations on every gate passage
  await db.schema.createIndex('alerts_enterprise_disposition').on('alerts').columns(['enterprise_id', 'disposition']).execute();

  await db.schema.createTable('alert_comments')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('alert_id', ts, (c) => c.notNull().references('alerts.id'))
    .addColumn('author', ts, (c) => c.notNull())
    .addColumn('body', ts, (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .execute();

  await db.schema.createTable('trip_milestones')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('trip_id', ts, (c) => c.notNull().references('trips.id'))
    .addColumn('type', ts, (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('lat', 'double precision')
    .addColumn('lon', 'double precision')
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('place_id', ts)
    .execute();
  await db.schema.createIndex('trip_milestones_unique').on('trip_milestones').columns(['trip_id', 'type']).unique().execute();

  // Rule state per trip, checkpointed so a restart resumes without duplicate or missing alerts.
  await db.schema.createTable('rule_checkpoints')
    .addColumn('trip_id', ts, (c) => c.primaryKey())
    .addColumn('state', ts, (c) => c.notNull())
    .addColumn('position_id', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema.createTable('webhooks')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('url', ts, (c) => c.notNull())
    .addColumn('secret', ts, (c) => c.notNull())
    .addColumn('events', ts, (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createTable('webhook_deliveries')
    .addColumn('id', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('webhook_id', ts, (c) => c.notNull().references('webhooks.id'))
    .addColumn('event', ts, (c) => c.notNull())
    .addColumn('payload', ts, (c) => c.notNull())
    .addColumn('state', ts, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', ts, (c) => c.notNull())
    .addColumn('last_status', 'integer')
    .addColumn('last_error', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['state', 'next_attempt_at']).execute();
};

const m003_gates: Step = async (db) => {
  const stamps = (t: any) => t.addColumn('version', 'integer', (c: any) => c.notNull().defaultTo(1)).addColumn('created_at', ts, (c: any) => c.notNull()).addColumn('updated_at', ts, (c: any) => c.notNull());
  await stamps(db.schema.createTable('gates')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('name', ts, (c) => c.notNull().unique())
    .addColumn('place_id', ts, (c) => c.notNull().references('places.id'))
    .addColumn('jurisdiction', ts, (c) => c.notNull())).execute();
  await db.schema.createTable('gate_lanes')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('gate_id', ts, (c) => c.notNull().references('gates.id'))
    .addColumn('code', ts, (c) => c.notNull())
    .addColumn('direction', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addUniqueConstraint('gate_lanes_code', ['gate_id', 'code'])
    .execute();
  await db.schema.createTable('passages')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('gate_id', ts, (c) => c.notNull().references('gates.id'))
    .addColumn('lane_id', ts, (c) => c.notNull().references('gate_lanes.id'))
    .addColumn('controller_passage_id', ts, (c) => c.notNull())
    .addColumn('inputs', ts, (c) => c.notNull())
    .addColumn('trip_id', ts)
    .addColumn('decision', ts, (c) => c.notNull())
    .addColumn('reasons', ts, (c) => c.notNull())
    .addColumn('decision_us', 'integer', (c) => c.notNull())
    .addColumn('read_at', ts, (c) => c.notNull())
    .addColumn('decided_at', ts, (c) => c.notNull())
    .addColumn('override_decision', ts)
    .addColumn('override_reason', ts)
    .addColumn('overridden_by', ts)
    .addColumn('overridden_at', ts)
    .addUniqueConstraint('passages_idem', ['gate_id', 'controller_passage_id'])
    .execute();
  await db.schema.createIndex('passages_trip').on('passages').columns(['trip_id']).execute();
  await db.schema.createIndex('passages_gate_time').on('passages').columns(['gate_id', 'decided_at']).execute();
  await stamps(db.schema.createTable('risk_rules')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('name', ts, (c) => c.notNull())
    .addColumn('hs_prefix', ts)
    .addColumn('credit_grade', ts)
    .addColumn('origin_place_id', ts)
    .addColumn('min_value', 'real')
    .addColumn('min_violations', 'integer')
    .addColumn('valid_from', ts)
    .addColumn('valid_to', ts)
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))).execute();
  await db.schema.createTable('risk_sampling')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('rates', ts, (c) => c.notNull())
    .addColumn('seed', ts, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await stamps(db.schema.createTable('inspections')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('trip_id', ts, (c) => c.notNull().references('trips.id'))
    .addColumn('passage_id', ts)
    .addColumn('state', ts, (c) => c.notNull())
    .addColumn('assignee_id', ts)
    .addColumn('reasons', ts, (c) => c.notNull())
    .addColumn('result', ts)
    .addColumn('verdict', ts)
    .addColumn('images', ts, (c) => c.notNull().defaultTo('[]'))).execute();
};

const m004_device_commands: Step = async (db) => {
  // Downlink commands to JT/T 808 terminals and their outcome (matched to the terminal's reply by serial).
  await db.schema.createTable('device_commands')
    .addColumn('id', ts, (c) => c.primaryKey())
    .addColumn('device_id', ts, (c) => c.notNull().references('devices.id'))
    .addColumn('terminal_id', ts, (c) => c.notNull())
    .addColumn('type', ts, (c) => c.notNull())
    .addColumn('msg_id', 'integer', (c) => c.notNull())
    .addColumn('serial', 'integer')
    .addColumn('params', ts, (c) => c.notNull())
    .addColumn('trip_id', ts)
    .addColumn('state', ts, (c) => c.notNull())
    .addColumn('result', ts)
    .addColumn('reply', ts)
    .addColumn('requested_by', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('sent_at', ts)
    .addColumn('replied_at', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('device_commands_device').on('device_commands').columns(['device_id', 'id']).execute();
};

/** Ordered list; append only. A released migration is never edited. */
/**
 * The re-send guard keyed time first. Keyed device first, every fix of 10,000 interleaved locks
 * lands on a different index page, so each commit wrote one 4 KB page per fix to the WAL (and the
 * checkpoint again to the database): measured 34 -> 24 µs per stored fix. Fixes arrive in time
 * order across devices, so time-first keys append to the same few pages. Same columns, so the
 * same uniqueness, and PostgreSQL's ON CONFLICT (device_id, fix_time, serial) still finds it.
 */
const m007_positions_dedupe_time_first: Step = async (db) => {
  await db.schema.createIndex('positions_dedupe_time').on('positions').columns(['fix_time', 'device_id', 'serial']).unique().execute();
  await db.schema.dropIndex('positions_dedupe').execute();
};

/**
 * Measurements as double precision on PostgreSQL too. Kysely's 'real' is PostgreSQL's 4-byte
 * float (SQLite's REAL is 8 bytes): a risk rule's minimum declared value of 12,345,678.91 was
 * stored, and compared, as 12,345,679, and any measurement kept only ~7 significant digits.
 * Stored values convert through their text form: PostgreSQL prints a 4-byte float as the shortest
 * text that reads back as it (60.1), while a binary cast would widen it to 60.099998474121094.
 * One ALTER per table, so positions is rewritten once. SQLite has nothing to change.
 */
const REAL_COLUMNS: Record<string, string[]> = {
  devices: ['battery_pct'], places: ['radius_m'], routes: ['corridor_width_m'], positions: ['altitude_m', 'speed_kmh', 'heading', 'battery_pct'],
  risk_rules: ['min_value'], inspection_sites: ['perishable_reserve'],
};
const m008_double_precision: Step = async (db, dialect) => {
  if (dialect !== 'postgres') return;
  for (const [table, columns] of Object.entries(REAL_COLUMNS)) {
    const alters = columns.map((c) => sql`ALTER COLUMN ${sql.ref(c)} TYPE double precision USING ${sql.ref(c)}::text::double precision`);
    await sql`ALTER TABLE ${sql.table(table)} ${sql.join(alters)}`.execute(db);
  }
};

/** The applications list's `batched` filter and the batch it carries look batches up by application. */
const m009_batches_by_application: Step = async (db) => {
  await db.schema.createIndex('inspection_batches_application').on('inspection_batches').columns(['application_id']).execute();
};

/** An Idempotency-Key replays only the request it was first used with: the stored hash of that request's body tells a reuse. */
const m010_idempotency_request_hash: Step = async (db) => {
  await db.schema.alterTable('idempotency_keys').addColumn('request_hash', 'text').execute();
};

export const migrationSteps: Array<[string, Step]> = [['001_core', m001_core], ['002_supervision', m002_supervision], ['003_gates', m003_gates], ['004_device_commands', m004_device_commands], ['005_inspection', m005_inspection], ['006_supervision_flags', m006_supervision_flags], ['007_positions_dedupe_time_first', m007_positions_dedupe_time_first], ['008_double_precision', m008_double_precision], ['009_batches_by_application', m009_batches_by_application], ['010_idempotency_request_hash', m010_idempotency_request_hash]];

export function migrator(db: Kysely<any>, dialect: Dialect, schema?: string) {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, step] of migrationSteps) out[name] = { up: (d) => step(d, dialect) };
      return out;
    },
  };
  // Capabilities add migrations independently; names stay unique, so order of arrival may differ.
  // On PostgreSQL the bookkeeping tables are named in our schema: without it Kysely takes a
  // kysely_migration_lock in ANY schema of the database as its own, so two instances on separate
  // schemas of one database (parallel test runs, tenants) break each other's migrations.
  return new Migrator({ db, provider, allowUnorderedMigrations: true, ...(schema ? { migrationTableSchema: schema } : {}) });
}

export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const schema = dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
  const { error, results } = await migrator(db, dialect, schema).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
