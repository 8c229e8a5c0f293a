import fs from 'node:fs/promises';
import path from 'node:path';
import { Type } from 'typebox';
import type { RouteModule } from '../platform/http/app.ts';
import type { AppContext } from '../platform/context.ts';
import type { InspectionRow } from '../platform/db/schema.ts';
import { ProblemSchema } from '../platform/http/problem.ts';
import { PageQuery, pageOf, Page } from '../platform/http/pagination.ts';
import { actorOf, type Principal } from '../platform/auth/principal.ts';
import { dataPath } from '../platform/config.ts';
import { conflict, notFound, invalidField, AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { applyOutcomeIn } from './outcome.ts';
import { publishTripChanged } from '../transit/trips.ts';

const errs = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 413: ProblemSchema, 415: ProblemSchema };
const Id = Type.Object({ id: Type.String() });
const MAX_IMAGE = 20 * 1024 * 1024;

const dto = (r: InspectionRow) => ({ id: r.id, tripId: r.trip_id, passageId: r.passage_id, state: r.state, assigneeId: r.assignee_id, reasons: JSON.parse(r.reasons), result: r.result, verdict: r.verdict, images: JSON.parse(r.images), version: r.version, createdAt: r.created_at, updatedAt: r.updated_at });

/** The image type is taken from its first bytes, not from what the client claims. */
export function sniffImage(buf: Buffer): 'image/png' | 'image/jpeg' | null {
  if (buf.length > 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  return null;
}

async function update(ctx: AppContext, id: string, from: string[], set: Partial<InspectionRow>, p: Principal | null, action: string, reason?: string) {
  return ctx.change(async (trx, audit) => {
    const cur = await trx.selectFrom('inspections').selectAll().where('id', '=', id).executeTakeFirst();
    if (!cur) throw notFound('inspection', id);
    if (!from.includes(cur.state)) throw conflict('illegal_transition', `cannot ${action} an inspection that is ${cur.state}`);
    const next = { ...cur, ...set, version: cur.version + 1, updated_at: ctx.nowIso() };
    await trx.updateTable('inspections').set({ ...set, version: next.version, updated_at: next.updated_at }).where('id', '=', id).where('version', '=', cur.version).execute();
    await audit({ actor: actorOf(p), action: `inspection.${action}`, subject: id, before: { state: cur.state }, after: { state: next.state, verdict: next.verdict }, reason: reason ?? null });
    return next;
  });
}

export const inspectionRoutes: RouteModule = (app, ctx) => {
  const db = ctx.store.db;
  const tags = ['inspections'];
  app.addContentTypeParser(['image/png', 'image/jpeg'], { parseAs: 'buffer', bodyLimit: MAX_IMAGE }, (_req, body, done) => done(null, body));

  app.get('/api/v1/inspections', {
    config: { roles: ['officer', 'supervisor'] },
    schema: { tags, summary: 'Inspection tasks', querystring: Type.Object({ ...PageQuery, state: Type.Optional(Type.String()), tripId: Type.Optional(Type.String()), assigneeId: Type.Optional(Type.String()) }), response: { 200: Page(Type.Any()) } },
  }, async (req) => {
    let sel = db.selectFrom('inspections').selectAll();
    if (req.query.state) sel = sel.where('state', '=', req.query.state as any);
    if (req.query.tripId) sel = sel.where('trip_id', '=', req.query.tripId);
    if (req.query.assigneeId) sel = sel.where('assignee_id', '=', req.query.assigneeId);
    return pageOf(sel, 'id', req.query, ctx.settings.pageLimitMax).run(dto);
  });

  app.get('/api/v1/inspections/:id', {
    config: { roles: ['officer', 'supervisor'] },
    schema: { tags, summary: 'One inspection task', params: Id, response: { 200: Type.Any(), ...errs } },
  }, async (req) => {
    const r = await db.selectFrom('inspections').selectAll().where('id', '=', req.params.id).executeTakeFirst();
    if (!r) throw notFound('inspection', req.params.id);
    return dto(r);
  });

  app.post('/api/v1/inspections/:id/assign', {
    config: { roles: ['officer', 'supervisor'] },
    schema: { tags, summary: 'Assign the task to an officer', params: Id, body: Type.Object({ assigneeId: Type.String() }, { additionalProperties: false }), response: { 200: Type.Any(), ...errs } },
  }, async (req) => {
    const u = await db.selectFrom('users').select(['id', 'role']).where('id', '=', req.body.assigneeId).executeTakeFirst();
    if (!u || u.role === 'enterprise') throw invalidField('assigneeId', 'must be an officer or supervisor', 'unknown_user');
    return dto(await update(ctx, req.params.id, ['pending', 'assigned'], { state: 'assigned', assignee_id: u.id }, req.principal, 'assign'));
  });

  app.post('/api/v1/inspections/:id/images', {
    config: { roles: ['officer', 'supervisor'] },
    bodyLimit: MAX_IMAGE,
    schema: { tags, summary: 'Attach a CT scan image (PNG or JPEG, up to 20 MB; the type is checked from the bytes)', params: Id, response: { 201: Type.Any(), ...errs } },
  }, async (req, reply) => {
    const buf = req.body as Buffer;
    if (!Buffer.isBuffer(buf) || buf.length === 0) throw new AppError(415, 'unsupported_media_type', 'send the image as the body with Content-Type image/png or image/jpeg');
    const type = sniffImage(buf);
    if (!type) throw new AppError(415, 'not_an_image', 'the body is not a PNG or JPEG image');
    if (type !== req.headers['content-type']) throw new AppError(415, 'content_type_mismatch', `the body is ${type} but was sent as ${req.headers['content-type']}`);
    const ins = await db.selectFrom('inspections').selectAll().where('id', '=', req.params.id).executeTakeFirst();
    if (!ins) throw notFound('inspection', req.params.id);
    const name = `${newId('img', ctx.clock.now())}.${type === 'image/png' ? 'png' : 'jpg'}`;
    const dir = dataPath(ctx.settings, 'inspections', ins.id);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, name), buf);
    const image = { name, type, bytes: buf.length, at: ctx.nowIso(), by: actorOf(req.principal) };
    try {
      await update(ctx, ins.id, ['pending', 'assigned'], { images: JSON.stringify([...JSON.parse(ins.images), image]) }, req.principal, 'attach_image');
    } catch (e) {
      // refused (the inspection is done) or not recorded: no file is left that no record names
      await fs.rm(path.join(dir, name), { force: true });
      throw e;
    }
    reply.status(201);
    return image;
  });

  app.post('/api/v1/inspections/:id/result', {
    config: { roles: ['officer', 'supervisor'] },
    schema: { tags, summary: 'Record the result and the verdict; release hands the trip over, hold holds it', params: Id, body: Type.Object({ result: Type.String({ minLength: 1, maxLength: 4000 }), verdict: Type.Union([Type.Literal('release'), Type.Literal('hold')]) }, { additionalProperties: false }), response: { 200: Type.Any(), ...errs } },
  }, async (req) => {
    const next = await update(ctx, req.params.id, ['pending', 'assigned'], { state: 'done', result: req.body.result, verdict: req.body.verdict }, req.principal, 'result', req.body.result);
    const outcome = await ctx.change((trx, audit) => applyOutcomeIn(trx, audit, ctx, next.trip_id, req.body.verdict, [{ code: 'inspection_verdict', outcome: req.body.verdict, message: req.body.result }], next.passage_id, req.principal as Principal));
    if (outcome.trip) publishTripChanged(ctx, outcome.trip);
    return { ...dto(next), effects: outcome.effects };
  });
};
