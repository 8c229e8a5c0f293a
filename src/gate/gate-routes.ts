import { Type } from 'typebox';
import type { RouteModule } from '../platform/http/app.ts';
import type { AppContext } from '../platform/context.ts';
import type { PassageRow, GateLaneRow } from '../platform/db/schema.ts';
import { ProblemSchema } from '../platform/http/problem.ts';
import { PageQuery, pageOf, Page } from '../platform/http/pagination.ts';
import { actorOf, type Principal } from '../platform/auth/principal.ts';
import { newId } from '../platform/ids.ts';
import { prepared } from '../platform/db/prepared.ts';
import { newApiKey, hashApiKey } from '../platform/auth/tokens.ts';
import { forbidden, invalidField, notFound, conflict } from '../platform/errors.ts';
import { isUniqueViolation } from '../registry/resource.ts';
import { decideGate, type Decision } from './gate-decision.ts';
import { gatherFacts, type RiskCache } from './gate-facts.ts';
import { applyOutcomeIn, type OutcomeResult } from './outcome.ts';
import { passageReport } from './passage-report.ts';
import { publishTripChanged, tripConflict } from '../transit/trips.ts';

const errs = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };
const DecisionT = Type.Union([Type.Literal('release'), Type.Literal('inspect'), Type.Literal('hold')]);

export const passageDto = (r: PassageRow) => ({
  id: r.id, gateId: r.gate_id, laneId: r.lane_id, passageId: r.controller_passage_id, inputs: JSON.parse(r.inputs), tripId: r.trip_id,
  decision: r.decision, effectiveDecision: (r.override_decision ?? r.decision) as Decision, reasons: JSON.parse(r.reasons), decisionMs: r.decision_us / 1000,
  readAt: r.read_at, decidedAt: r.decided_at, override: r.override_decision ? { decision: r.override_decision, reason: r.override_reason, by: r.overridden_by, at: r.overridden_at } : null,
});

// Every lane reading runs these: compiled once.
const passageByControllerId = prepared((db, v: { gate: string; passageId: string }) => db.selectFrom('passages').selectAll().where('gate_id', '=', v.gate).where('controller_passage_id', '=', v.passageId));
const insertPassage = prepared((db, v: PassageRow) => db.insertInto('passages').values({
  id: v.id, gate_id: v.gate_id, lane_id: v.lane_id, controller_passage_id: v.controller_passage_id, inputs: v.inputs, trip_id: v.trip_id, decision: v.decision, reasons: v.reasons,
  decision_us: v.decision_us, read_at: v.read_at, decided_at: v.decided_at, override_decision: v.override_decision, override_reason: v.override_reason, overridden_by: v.overridden_by, overridden_at: v.overridden_at,
}));


export function gateRoutes(risk: RiskCache): RouteModule {
  return (app, ctx) => {
    const db = ctx.store.db;
    const tags = ['gates'];
    // Every lane reading names its lane. Lanes are only ever added (never changed or removed), so
    // a lane once found stays valid; an unknown one is looked up again each time.
    const lanes = new Map<string, GateLaneRow>();
    const laneOf = async (gate: string, code: string) => {
      const k = `${gate}\n${code}`;
      let l = lanes.get(k);
      if (!l) {
        l = await db.selectFrom('gate_lanes').selectAll().where('gate_id', '=', gate).where('code', '=', code).executeTakeFirst();
        if (l) lanes.set(k, l);
      }
      return l;
    };

    app.post('/api/v1/gates', {
      config: { roles: ['supervisor'] },
      schema: {
        tags, summary: 'Register a gate with its lanes; returns the controller API key once',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), placeId: Type.String(), jurisdiction: Type.Union([Type.Literal('CN'), Type.Literal('HK')]), lanes: Type.Array(Type.Object({ code: Type.String({ minLength: 1, maxLength: 20 }), direction: Type.Union([Type.Literal('outbound'), Type.Literal('inbound')]) }), { minItems: 1 }) }, { additionalProperties: false }),
        response: { 201: Type.Any(), ...errs },
      },
    }, async (req, reply) => {
      const b = req.body;
      if (!(await db.selectFrom('places').select('id').where('id', '=', b.placeId).executeTakeFirst())) throw invalidField('placeId', `place ${b.placeId} does not exist`, 'unknown_place');
      const now = ctx.nowIso();
      const id = newId('gat', ctx.clock.now());
      const key = newApiKey('gate');
      try {
        await ctx.change(async (trx, audit) => {
          await trx.insertInto('gates').values({ id, name: b.name, place_id: b.placeId, jurisdiction: b.jurisdiction, version: 1, created_at: now, updated_at: now }).execute();
          for (const l of b.lanes) await trx.insertInto('gate_lanes').values({ id: newId('lan', ctx.clock.now()), gate_id: id, code: l.code, direction: l.direction, created_at: now }).execute();
          await trx.insertInto('api_keys').values({ id: newId('key', ctx.clock.now()), key_hash: hashApiKey(key), role: 'gate', label: `controller of ${b.name}`, subject_id: id, administration: b.jurisdiction, created_at: now, revoked_at: null }).execute();
          await audit({ actor: actorOf(req.principal), action: 'gate.create', subject: id, after: b });
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw conflict('duplicate', 'a gate with this name, or a duplicate lane code, already exists');
        throw e;
      }
      reply.status(201);
      return { ...(await gateWithLanes(ctx, id)), controllerApiKey: key };
    });

    app.get('/api/v1/gates', {
      config: { roles: ['officer', 'supervisor', 'gate'] },
      schema: { tags, summary: 'Gates and their lanes', response: { 200: Type.Object({ items: Type.Array(Type.Any()) }) } },
    }, async () => ({ items: await Promise.all((await db.selectFrom('gates').select('id').orderBy('name').execute()).map((g) => gateWithLanes(ctx, g.id))) }));

    app.post('/api/v1/gates/:gate/lanes/:lane/passages', {
      config: { roles: ['gate'] },
      schema: {
        tags, summary: 'Lane readings in, release | inspect | hold out, with every reason. A retry with the same passageId returns the same answer.',
        params: Type.Object({ gate: Type.String(), lane: Type.String({ description: 'lane code' }) }),
        body: Type.Object({
          passageId: Type.String({ minLength: 1, maxLength: 100, description: 'the controller\'s own ID for this passage (idempotency)' }),
          platesRead: Type.Array(Type.String(), { maxItems: 4 }), lockIdRead: Type.Optional(Type.Union([Type.Null(), Type.String()])),
          containerNo: Type.Optional(Type.Union([Type.Null(), Type.String()])), grossKg: Type.Optional(Type.Union([Type.Null(), Type.Number({ minimum: 0, maximum: 200000 })])),
          readAt: Type.Optional(Type.String({ format: 'date-time' })),
        }, { additionalProperties: false }),
        response: { 200: Type.Any(), ...errs },
      },
    }, async (req) => {
      const { gate, lane } = req.params;
      const p = req.principal!;
      if (p.subjectId && p.subjectId !== gate) throw forbidden('this controller key belongs to another gate');
      const l = await laneOf(gate, lane);
      if (!l) throw notFound('lane', `${gate}/${lane}`);
      const b = req.body;
      const prior = await passageByControllerId.first(db, { gate, passageId: b.passageId });
      if (prior) return { ...passageDto(prior), replay: true };
      const readAt = b.readAt ? Date.parse(b.readAt) : ctx.clock.now();
      const t0 = process.hrtime.bigint();
      const input = { platesRead: b.platesRead, lockIdRead: b.lockIdRead ?? null, containerNo: b.containerNo ?? null, grossKg: b.grossKg ?? null, readAt };
      const facts = await gatherFacts(ctx, risk, input);
      const { decision, reasons } = decideGate(facts);
      const us = Number((process.hrtime.bigint() - t0) / 1000n);
      const row: PassageRow = {
        id: newId('pas', ctx.clock.now()), gate_id: gate, lane_id: l.id, controller_passage_id: b.passageId, inputs: JSON.stringify({ ...input, readAt: new Date(readAt).toISOString() }),
        trip_id: facts.trip?.id ?? null, decision, reasons: JSON.stringify(reasons), decision_us: us, read_at: new Date(readAt).toISOString(), decided_at: ctx.nowIso(),
        override_decision: null, override_reason: null, overridden_by: null, overridden_at: null,
      };
      let outcome: OutcomeResult = { effects: [], trip: null };
      try {
        outcome = await ctx.change(async (trx, audit) => {
          await insertPassage.run(trx, row);
          await audit({ actor: actorOf(p), action: 'gate.decision', subject: row.id, after: { tripId: row.trip_id, decision, reasons: reasons.filter((r) => r.outcome !== 'pass').map((r) => r.code), risk: facts.risk } });
          return facts.trip ? applyOutcomeIn(trx, audit, ctx, facts.trip.id, decision, reasons, row.id, p) : { effects: [], trip: null };
        });
      } catch (e) {
        if (isUniqueViolation(e) && String((e as Error).message).includes('passages')) { // a concurrent retry won the race: answer with its passage
          const won = (await passageByControllerId.first(db, { gate, passageId: b.passageId }))!;
          return { ...passageDto(won), replay: true };
        }
        throw tripConflict(e);
      }
      if (outcome.trip) publishTripChanged(ctx, outcome.trip);
      const dto = passageDto(row);
      ctx.bus.publish('gate.passage', dto);
      return { ...dto, effects: outcome.effects };
    });

    app.get('/api/v1/passages', {
      config: { roles: ['officer', 'supervisor', 'gate'] },
      schema: { tags, summary: 'Passages by gate, lane, time and decision', querystring: Type.Object({ ...PageQuery, gateId: Type.Optional(Type.String()), laneId: Type.Optional(Type.String()), tripId: Type.Optional(Type.String()), decision: Type.Optional(DecisionT), since: Type.Optional(Type.String({ format: 'date-time' })), until: Type.Optional(Type.String({ format: 'date-time' })) }), response: { 200: Page(Type.Any()) } },
    }, async (req) => {
      const q = req.query;
      let sel = db.selectFrom('passages').selectAll();
      // a controller key bound to a gate reads that gate's passages only, as it posts only there
      const own = req.principal?.role === 'gate' ? req.principal.subjectId : null;
      if (own) sel = sel.where('gate_id', '=', own);
      if (q.gateId) sel = sel.where('gate_id', '=', q.gateId);
      if (q.laneId) sel = sel.where('lane_id', '=', q.laneId);
      if (q.tripId) sel = sel.where('trip_id', '=', q.tripId);
      if (q.decision) sel = sel.where('decision', '=', q.decision);
      if (q.since) sel = sel.where('decided_at', '>=', new Date(q.since).toISOString());
      if (q.until) sel = sel.where('decided_at', '<', new Date(q.until).toISOString());
      return pageOf(sel, 'id', q, ctx.settings.pageLimitMax).run(passageDto);
    });

    app.post('/api/v1/passages/:id/override', {
      config: { roles: ['officer', 'supervisor'] },
      schema: { tags, summary: 'Manual override of a gate decision; needs a reason and is audited', params: Type.Object({ id: Type.String() }), body: Type.Object({ decision: DecisionT, reason: Type.String({ minLength: 5, maxLength: 1000 }) }, { additionalProperties: false }), response: { 200: Type.Any(), ...errs } },
    }, async (req) => {
      const cur = await db.selectFrom('passages').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (!cur) throw notFound('passage', req.params.id);
      const at = ctx.nowIso();
      const outcome = await ctx.change(async (trx, audit) => {
        await trx.updateTable('passages').set({ override_decision: req.body.decision, override_reason: req.body.reason, overridden_by: actorOf(req.principal), overridden_at: at }).where('id', '=', cur.id).execute();
        await audit({ actor: actorOf(req.principal), action: 'gate.override', subject: cur.id, before: { decision: cur.override_decision ?? cur.decision }, after: { decision: req.body.decision }, reason: req.body.reason });
        return cur.trip_id ? applyOutcomeIn(trx, audit, ctx, cur.trip_id, req.body.decision, [{ code: 'manual_override', outcome: req.body.decision, message: req.body.reason }], cur.id, req.principal as Principal) : { effects: [], trip: null };
      });
      if (outcome.trip) publishTripChanged(ctx, outcome.trip);
      const effects = outcome.effects;
      const row = await db.selectFrom('passages').selectAll().where('id', '=', cur.id).executeTakeFirstOrThrow();
      ctx.bus.publish('gate.passage', passageDto(row));
      return { ...passageDto(row), effects };
    });

    app.get('/api/v1/gates/report', {
      config: { roles: ['officer', 'supervisor'] },
      schema: { tags, summary: 'Auto-release rate and decision-time percentiles', querystring: Type.Object({ gateId: Type.Optional(Type.String()), laneId: Type.Optional(Type.String()), since: Type.Optional(Type.String({ format: 'date-time' })), until: Type.Optional(Type.String({ format: 'date-time' })) }), response: { 200: Type.Any() } },
    }, async (req) => {
      const q = req.query;
      let range = db.selectFrom('passages');
      if (q.gateId) range = range.where('gate_id', '=', q.gateId);
      if (q.laneId) range = range.where('lane_id', '=', q.laneId);
      if (q.since) range = range.where('decided_at', '>=', new Date(q.since).toISOString());
      if (q.until) range = range.where('decided_at', '<', new Date(q.until).toISOString());
      const counts = await range.select((eb) => ['decision', eb.case().when('override_decision', 'is not', null).then(1).else(0).end().as('overridden'), 'decision_us', eb.fn.countAll<number>().as('n')])
        .groupBy(['decision', 'overridden', 'decision_us']).execute();
      return passageReport(counts as any);
    });
  };
}

async function gateWithLanes(ctx: AppContext, id: string) {
  const g = await ctx.store.db.selectFrom('gates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const lanes = await ctx.store.db.selectFrom('gate_lanes').selectAll().where('gate_id', '=', id).orderBy('code').execute();
  return { id: g.id, name: g.name, placeId: g.place_id, jurisdiction: g.jurisdiction, lanes: lanes.map((l) => ({ id: l.id, code: l.code, direction: l.direction })) };
}
