/**
 * Downlink commands to live JT/T 808 terminals: parameters (0x8103), parameter queries (0x8104 /
 * 0x8106), pass-through (0x8900) and the lock profile's seal/unseal command. Each command is
 * recorded in device_commands before its bytes leave, matched to the terminal's reply by the
 * platform serial (0x0001 by answered serial, 0x0104 for queries) and its outcome written back:
 * pending → sent → acknowledged | failed | timed_out. A reply that comes after the timeout (a lock
 * on a slow link often applies the command and answers late) still records what the lock did:
 * timed_out → acknowledged | failed, audited as late, for ten timeouts after the command was sent.
 * A device with no live session: the API answers 409 device_offline and records nothing (the
 * command never left); the trip's authorised unseal records the unlock as failed/device_offline so
 * the outcome is visible without failing the unseal itself.
 */
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import type { RouteModule } from '../../platform/http/app.ts';
import { ProblemSchema } from '../../platform/http/problem.ts';
import { conflict, notFound, invalidField, AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { PageQuery, Page, pageOf } from '../../platform/http/pagination.ts';
import { actorOf } from '../../platform/auth/principal.ts';
import type { DeviceCommandRow } from '../../platform/db/schema.ts';
import { encodeMessage, lockCommandFor, type GeneralResponseBody, type ParametersAnswerBody } from '../jt808/index.ts';
import { codecProfileOf } from './positions.ts';
import { SUPERVISED_STATES } from '../../supervision/pipeline/trip-context-loader.ts';
import type { Jt808Gateway } from './server.ts';
import type { Jt808Session } from './session.ts';

export const COMMAND_TYPES = ['set_params', 'query_params', 'passthrough', 'lock', 'unlock'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];
export interface CommandInput {
  type: CommandType;
  params?: Array<{ id: number; value: number | string }> | number[];
  passthroughType?: number;
  data?: string;
}
/** Published by the trip workflow after an authorised unseal commits. */
export const TRIP_UNSEALED = 'trip.unsealed';
export interface TripUnsealed { tripId: string; deviceId: string | null; actor: string }

const RESULT_NAMES = ['ok', 'failed', 'bad_message', 'unsupported'];
/** Timed-out commands remembered for a late reply at most (a storm of silent locks stays bounded). */
const MAX_LATE = 10_000;
interface LateEntry { id: string; msgIds: number[]; until: number; recorded: Promise<void> }

export class DeviceCommands {
  private waiting = new Map<string, { id: string; msgIds: number[]; timer: NodeJS.Timeout }>();
  /** Timed-out commands a late reply may still settle: key → command, with when to forget it. */
  private late = new Map<string, LateEntry>();

  constructor(private ctx: AppContext, private gw: Jt808Gateway) {
    gw.commands = this;
    ctx.bus.subscribe<TripUnsealed>(TRIP_UNSEALED, (m) => {
      if (!m.deviceId) return;
      this.send(m.deviceId, { type: 'unlock' }, m.actor, { tripId: m.tripId, recordOffline: true })
        .catch((e) => ctx.log.error({ err: e, tripId: m.tripId }, 'unlock after unseal not recorded'));
    });
  }

  /** Encodes, records and sends a command; resolves once it is recorded as sent (or failed when offline and recordOffline). */
  async send(deviceId: string, input: CommandInput, actor: string, o: { tripId?: string; recordOffline?: boolean } = {}): Promise<DeviceCommandRow> {
    const dev = await this.ctx.store.db.selectFrom('devices').select(['id', 'terminal_id', 'lock_profile']).where('id', '=', deviceId).executeTakeFirst();
    if (!dev) throw notFound('device', deviceId);
    if ((input.type === 'lock' || input.type === 'unlock') && !o.tripId) {
      // Opening a lock that seals a trip is the trip's unseal (arrived, inside the destination, by
      // an officer of its administration), not a device command any officer may send mid-route.
      const trip = await this.ctx.store.db.selectFrom('trips').select(['id', 'state']).where('active_device_id', '=', dev.id).where('state', 'in', [...SUPERVISED_STATES]).executeTakeFirst();
      if (trip) throw conflict('lock_on_active_trip', `lock ${dev.terminal_id} seals trip ${trip.id} (${trip.state}); it is opened through POST /api/v1/trips/${trip.id}/unseal`, { tripId: trip.id, state: trip.state });
    }
    const session = this.gw.sessionOf(dev.terminal_id);
    const now = this.ctx.nowIso();
    const row: DeviceCommandRow = {
      id: newId('cmd', this.ctx.clock.now()), device_id: dev.id, terminal_id: dev.terminal_id, type: input.type, msg_id: 0, serial: null,
      params: JSON.stringify(input), trip_id: o.tripId ?? null, state: 'pending', result: null, reply: null, requested_by: actor,
      created_at: now, sent_at: null, replied_at: null, updated_at: now,
    };
    let msg: { msgId: number; body: unknown };
    try {
      msg = messageOf(input, codecProfileOf(dev.lock_profile), o.tripId, actor);
      row.msg_id = msg.msgId;
      encodeMessage({ header: { msgId: msg.msgId, version: 2013, terminalId: dev.terminal_id, serial: 0 }, body: msg.body }); // validate before recording
    } catch (e) {
      if (!o.recordOffline || !(e instanceof AppError)) throw e;
      return this.insert({ ...row, state: 'failed', result: e.code }, actor);
    }
    if (!session || !session.lastHeader) {
      if (!o.recordOffline) throw conflict('device_offline', `lock ${dev.terminal_id} has no live JT/T 808 session; nothing was sent`);
      return this.insert({ ...row, state: 'failed', result: 'device_offline' }, actor);
    }
    const serial = session.nextSerial();
    const h = session.lastHeader;
    const wire = encodeMessage({ header: { msgId: msg.msgId, version: h.version, protocolVersion: h.protocolVersion, terminalId: dev.terminal_id, serial }, body: msg.body });
    await this.insert({ ...row, serial }, actor);
    const key = `${dev.terminal_id}|${serial}`;
    const msgIds = msg.msgId === 0x8104 || msg.msgId === 0x8106 ? [0x8104, 0x8106] : [msg.msgId];
    const timeoutMs = this.ctx.settings.jt808CommandTimeoutS * 1000;
    const timer = setTimeout(() => {
      this.waiting.delete(key);
      // a rejection here (database busy or full) would be unhandled and end the process
      const recorded = this.settle(row.id, 'timed_out', 'no_reply', null).catch((e) => this.ctx.log.error({ err: e, commandId: row.id }, 'command timeout not recorded'));
      this.rememberLate(key, { id: row.id, msgIds, until: this.ctx.clock.now() + 9 * timeoutMs, recorded });
    }, timeoutMs);
    timer.unref();
    this.late.delete(key); // the serial is in use again (a new session counts from 1): a reply is this command's
    this.waiting.set(key, { id: row.id, msgIds, timer });
    session.send(wire);
    const sentAt = this.ctx.nowIso();
    await this.ctx.change((trx) => trx.updateTable('device_commands').set({ state: 'sent', sent_at: sentAt, updated_at: sentAt }).where('id', '=', row.id).where('state', '=', 'pending').execute());
    return (await this.get(row.id))!;
  }

  /** A terminal's 0x0001 / 0x0104: settle the command it answers, if any. */
  onReply(s: Jt808Session, reply: GeneralResponseBody, answer: ParametersAnswerBody | null) {
    const key = `${s.terminalId}|${reply.answerSerial}`;
    const state = reply.result === 0 ? 'acknowledged' : 'failed';
    const result = RESULT_NAMES[reply.result] ?? `result_${reply.result}`;
    const w = this.waiting.get(key);
    if (w && w.msgIds.includes(reply.answerMsgId)) {
      this.waiting.delete(key);
      clearTimeout(w.timer);
      void this.settle(w.id, state, result, answer ?? reply).catch((e) => this.ctx.log.error({ err: e, commandId: w.id }, 'command outcome not recorded'));
      return;
    }
    const l = this.late.get(key);
    if (!l || !l.msgIds.includes(reply.answerMsgId)) return;
    this.late.delete(key);
    if (l.until < this.ctx.clock.now()) return;
    // after the timeout's own write, which it changes (on PostgreSQL the two could otherwise race)
    void l.recorded.then(() => this.settle(l.id, state, result, answer ?? reply, true)).catch((e) => this.ctx.log.error({ err: e, commandId: l.id }, 'late command outcome not recorded'));
  }

  private rememberLate(key: string, entry: LateEntry) {
    const now = this.ctx.clock.now();
    // bounded: expired entries go first, then the oldest (a Map iterates in insertion order)
    for (const [k, v] of this.late) { if (v.until >= now && this.late.size < MAX_LATE) break; this.late.delete(k); }
    this.late.set(key, entry);
  }

  /** Records an outcome once: from pending/sent, or (a late reply) from timed_out. */
  private async settle(id: string, state: DeviceCommandRow['state'], result: string, reply: unknown, late = false) {
    const at = this.ctx.nowIso();
    await this.ctx.change(async (trx, audit) => {
      const r = await trx.updateTable('device_commands').set({ state, result, reply: reply == null ? null : JSON.stringify(reply), replied_at: state === 'timed_out' ? null : at, updated_at: at })
        .where('id', '=', id).where('state', 'in', late ? ['timed_out'] : ['pending', 'sent']).executeTakeFirst();
      if (Number(r.numUpdatedRows)) await audit({ actor: 'system', action: 'device.command_result', subject: id, before: late ? { state: 'timed_out', result: 'no_reply' } : null, after: late ? { state, result, late: true } : { state, result }, reason: null });
    });
  }

  private async insert(row: DeviceCommandRow, actor: string) {
    await this.ctx.change(async (trx, audit) => {
      await trx.insertInto('device_commands').values(row).execute();
      await audit({ actor, action: 'device.command', subject: row.device_id, before: null, after: { commandId: row.id, type: row.type, state: row.state, result: row.result, tripId: row.trip_id }, reason: null });
    });
    return row;
  }

  get(id: string) {
    return this.ctx.store.db.selectFrom('device_commands').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** For tests and shutdown: forget timers. */
  stop() { for (const w of this.waiting.values()) clearTimeout(w.timer); this.waiting.clear(); this.late.clear(); }
}

function messageOf(input: CommandInput, profile: string, tripId: string | undefined, actor: string): { msgId: number; body: unknown } {
  switch (input.type) {
    case 'set_params': {
      const ps = input.params;
      if (!Array.isArray(ps) || !ps.length || ps.some((p) => typeof p !== 'object' || p === null || !Number.isInteger((p as any).id) || (p as any).value === undefined))
        throw invalidField('params', 'set_params needs params: [{id, value}, …]', 'invalid_params');
      return { msgId: 0x8103, body: { params: ps } };
    }
    case 'query_params': {
      const ps = input.params;
      if (ps === undefined || (Array.isArray(ps) && ps.length === 0)) return { msgId: 0x8104, body: {} };
      if (!Array.isArray(ps) || ps.some((p) => !Number.isInteger(p))) throw invalidField('params', 'query_params takes an optional list of parameter IDs', 'invalid_params');
      return { msgId: 0x8106, body: { ids: ps } };
    }
    case 'passthrough': {
      if (!Number.isInteger(input.passthroughType) || input.passthroughType! < 0 || input.passthroughType! > 255) throw invalidField('passthroughType', 'must be 0-255', 'invalid_params');
      if (typeof input.data !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(input.data)) throw invalidField('data', 'must be hex bytes', 'invalid_params');
      return { msgId: 0x8900, body: { type: input.passthroughType, payload: input.data.toLowerCase() } };
    }
    case 'lock': case 'unlock': {
      const c = lockCommandFor(profile, input.type === 'lock' ? 'seal' : 'unseal', { tripId, operatorId: actor });
      return { msgId: c.msgId, body: c.body };
    }
  }
}

const Dto = Type.Object({
  id: Type.String(), deviceId: Type.String(), terminalId: Type.String(), type: Type.String(), msgId: Type.String(), serial: Type.Union([Type.Null(), Type.Integer()]),
  params: Type.Any(), tripId: Type.Union([Type.Null(), Type.String()]), state: Type.String(), result: Type.Union([Type.Null(), Type.String()]), reply: Type.Any(),
  requestedBy: Type.String(), createdAt: Type.String(), sentAt: Type.Union([Type.Null(), Type.String()]), repliedAt: Type.Union([Type.Null(), Type.String()]),
});
export const commandDto = (r: DeviceCommandRow) => ({
  id: r.id, deviceId: r.device_id, terminalId: r.terminal_id, type: r.type, msgId: `0x${r.msg_id.toString(16).padStart(4, '0')}`, serial: r.serial,
  params: JSON.parse(r.params), tripId: r.trip_id, state: r.state, result: r.result, reply: r.reply ? JSON.parse(r.reply) : null,
  requestedBy: r.requested_by, createdAt: r.created_at, sentAt: r.sent_at, repliedAt: r.replied_at,
});

export const commandRoutes = (commands: DeviceCommands): RouteModule => (app, ctx) => {
  const roles = ['officer', 'supervisor'] as const;
  app.post('/api/v1/devices/:id/commands', {
    config: { roles },
    schema: {
      tags: ['devices'], summary: 'Send a command to a connected lock (0x8103/0x8104/0x8106/0x8900/profile lock command); answered once it is sent',
      params: Type.Object({ id: Type.String() }),
      body: Type.Object({
        type: Type.Union(COMMAND_TYPES.map((t) => Type.Literal(t))),
        params: Type.Optional(Type.Union([Type.Array(Type.Object({ id: Type.Integer({ minimum: 0, maximum: 0xffffffff }), value: Type.Union([Type.Number(), Type.String()]) }, { additionalProperties: false }), { maxItems: 100 }), Type.Array(Type.Integer({ minimum: 0, maximum: 0xffffffff }), { maxItems: 200 })])),
        passthroughType: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
        data: Type.Optional(Type.String({ pattern: '^([0-9a-fA-F]{2})*$', maxLength: 2000 })),
      }, { additionalProperties: false }),
      response: { 202: Dto, 400: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema },
    },
  }, async (req, reply) => {
    const row = await commands.send(req.params.id, req.body as CommandInput, actorOf(req.principal ?? null));
    return reply.code(202).send(commandDto(row));
  });
  app.get('/api/v1/devices/:id/commands', {
    config: { roles },
    schema: { tags: ['devices'], summary: 'Commands sent to a lock and their outcome, newest first', params: Type.Object({ id: Type.String() }), querystring: Type.Object(PageQuery), response: { 200: Page(Dto), 404: ProblemSchema } },
  }, async (req) => {
    const dev = await ctx.store.db.selectFrom('devices').select('id').where('id', '=', req.params.id).executeTakeFirst();
    if (!dev) throw notFound('device', req.params.id);
    const q = ctx.store.db.selectFrom('device_commands').selectAll().where('device_id', '=', dev.id);
    return pageOf(q, 'id', req.query, ctx.settings.pageLimitMax).run((r) => commandDto(r as DeviceCommandRow));
  });
};
