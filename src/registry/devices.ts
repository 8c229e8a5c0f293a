import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import { registerResource, patchOf, type ResourceSpec } from './resource.ts';
import { invalidField } from '../platform/errors.ts';
import type { RouteModule } from '../platform/http/app.ts';

export const LOCK_PROFILES = ['customs-elock', 'a1l808', 'jt709a', 'jointech', 'hhd-padlock', 'standard-alarm-bits'] as const;
const DeviceState = Type.Union([Type.Literal('in_stock'), Type.Literal('assigned'), Type.Literal('sealed'), Type.Literal('maintenance')]);
const Create = Type.Object({
  terminalId: Type.String({ description: 'JT/T 808 terminal ID as digits (leading zeros kept), or lower-case hex for non-BCD IDs' }),
  model: Type.String({ minLength: 1, maxLength: 100 }),
  lockProfile: Type.Union(LOCK_PROFILES.map((p) => Type.Literal(p))),
  state: Type.Optional(DeviceState),
  batteryPct: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: 0, maximum: 100 })])),
}, { additionalProperties: false });
const Dto = Type.Object({ id: Type.String(), terminalId: Type.String(), model: Type.String(), lockProfile: Type.String(), state: Type.String(), batteryPct: Type.Union([Type.Null(), Type.Number()]), lastSeenAt: Type.Union([Type.Null(), Type.String()]), version: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String() });

export const deviceSpec: ResourceSpec = {
  name: 'device', plural: 'devices', table: 'devices', idPrefix: 'dev',
  read: ['officer', 'supervisor', 'gate'], write: ['officer', 'supervisor'],
  create: Create, update: patchOf(Create), dto: Dto,
  filters: { state: { column: 'state', schema: DeviceState }, terminalId: { column: 'terminal_id', schema: Type.String() }, lockProfile: { column: 'lock_profile', schema: Type.String() } },
  toRow: (b, _req, _ctx, existing) => {
    const tid = String(b.terminalId).trim();
    if (!/^(\d{12}|\d{20}|[0-9a-f]{12}|[0-9a-f]{20})$/.test(tid)) throw invalidField('terminalId', 'must be 12 or 20 BCD digits, or 12/20 lower-case hex characters', 'invalid_terminal_id');
    // Lifecycle states (sealed/assigned) belong to the trip workflow; a PATCH may only park or return a lock.
    if (existing && b.state !== existing.state && !['in_stock', 'maintenance'].includes(b.state)) throw invalidField('state', 'only in_stock or maintenance can be set by hand; sealing and assignment follow the trip', 'invalid_state');
    if (existing && b.state !== existing.state && ['sealed', 'assigned'].includes(existing.state)) throw invalidField('state', `the lock is ${existing.state} on a trip`, 'device_busy');
    return {
      terminal_id: tid, model: b.model, lock_profile: b.lockProfile,
      state: existing ? b.state : 'in_stock',
      battery_pct: b.batteryPct ?? null,
      auth_code: existing?.auth_code ?? randomBytes(8).toString('hex'),
      ...(existing ? {} : { last_seen_at: null, ingest_key_hash: null }),
    };
  },
  toDto: (r) => ({ id: r.id, terminalId: r.terminal_id, model: r.model, lockProfile: r.lock_profile, state: r.state, batteryPct: r.battery_pct, lastSeenAt: r.last_seen_at, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at }),
};
export const deviceRoutes: RouteModule = (app, ctx) => registerResource(app, ctx, deviceSpec);
