/**
 * One generic registry resource: list (cursor + filters), get, create (audited, idempotent),
 * update (optimistic version). Each registry file supplies its schema, validation and mapping.
 */
import { Type, type TObject, type TSchema } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Api } from '../platform/http/app.ts';
import type { AppContext } from '../platform/context.ts';
import type { Access } from '../platform/http/auth-hooks.ts';
import { ownEnterprise } from '../platform/http/auth-hooks.ts';
import { PageQuery, pageOf, Page } from '../platform/http/pagination.ts';
import { ProblemSchema } from '../platform/http/problem.ts';
import { newId } from '../platform/ids.ts';
import { registryChanged } from '../platform/bus.ts';
import { actorOf } from '../platform/auth/principal.ts';
import { badRequest, conflict, forbidden, notFound, invalidField } from '../platform/errors.ts';

export { registryChanged };

export interface ResourceSpec {
  name: string;
  plural: string;
  table: string;
  idPrefix: string;
  /** Column holding the owning enterprise; enterprise users see and change only their own rows. */
  enterpriseColumn?: string;
  read: Access;
  write: Access;
  create: TObject;
  update: TObject;
  dto: TSchema;
  filters?: Record<string, { column: string; schema: any }>;
  toRow(input: any, req: FastifyRequest, ctx: AppContext, existing?: any): Promise<Record<string, unknown>> | Record<string, unknown>;
  toDto(row: any): any;
}

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema };

export async function loadOwned(ctx: AppContext, spec: ResourceSpec, id: string, req: FastifyRequest) {
  const row = await (ctx.store.db as Kysely<any>).selectFrom(spec.table).selectAll().where('id', '=', id).executeTakeFirst();
  const own = ownEnterprise(req);
  if (!row || (spec.enterpriseColumn && own && row[spec.enterpriseColumn] !== own)) throw notFound(spec.name, id);
  return row;
}

/** Unique-constraint violations from either dialect become a 409 naming the duplicate. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err.code === '23505' || err.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(err.message ?? '');
}

/** A reference to a row that does not exist (PostgreSQL 23503, SQLite's foreign key check). */
export function isForeignKeyViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err.code === '23503' || err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || /FOREIGN KEY constraint failed/.test(err.message ?? '');
}

/** The database's own words stay in the log: the client is told which kind of conflict it was. */
function writeError(e: unknown, name: string): unknown {
  if (isUniqueViolation(e)) return conflict('duplicate', `another ${name} already has the same unique field`);
  if (isForeignKeyViolation(e)) return badRequest('unknown_reference', `the ${name} refers to a record that does not exist`);
  return e;
}

/** A customs user names the enterprise a record belongs to: it must exist (a clear 400, not the foreign key's 500). */
export async function checkEnterprise(db: Kysely<any>, id: unknown) {
  if (typeof id !== 'string' || !(await db.selectFrom('enterprises').select('id').where('id', '=', id).executeTakeFirst()))
    throw invalidField('enterpriseId', `enterprise ${String(id)} does not exist`, 'unknown_enterprise');
}

export function registerResource(app: Api, ctx: AppContext, spec: ResourceSpec) {
  const db = ctx.store.db as Kysely<any>;
  const base = `/api/v1/${spec.plural}`;
  const tags = [spec.plural];
  const filterSchemas = Object.fromEntries(Object.entries(spec.filters ?? {}).map(([k, f]) => [k, Type.Optional(f.schema)]));

  app.get(base, {
    config: { roles: spec.read },
    schema: { tags, summary: `List ${spec.plural}`, querystring: Type.Object({ ...PageQuery, ...filterSchemas }), response: { 200: Page(spec.dto), ...errors } },
  }, async (req) => {
    const q = req.query as Record<string, any>;
    let sel = db.selectFrom(spec.table).selectAll();
    const own = ownEnterprise(req);
    if (spec.enterpriseColumn && own) sel = sel.where(spec.enterpriseColumn, '=', own);
    for (const [k, f] of Object.entries(spec.filters ?? {})) if (q[k] !== undefined) sel = sel.where(f.column, '=', q[k]);
    return pageOf(sel, 'id', q, ctx.settings.pageLimitMax).run(spec.toDto);
  });

  app.get(`${base}/:id`, {
    config: { roles: spec.read },
    schema: { tags, summary: `Get one ${spec.name}`, params: Type.Object({ id: Type.String() }), response: { 200: spec.dto, ...errors } },
  }, async (req) => spec.toDto(await loadOwned(ctx, spec, (req.params as { id: string }).id, req)));

  app.post(base, {
    config: { roles: spec.write },
    schema: { tags, summary: `Register a ${spec.name} (honours Idempotency-Key)`, body: spec.create, response: { 201: spec.dto, ...errors } },
  }, async (req, reply) => {
    const body = req.body as Record<string, any>;
    const fields = await spec.toRow(body, req, ctx);
    // enterprises themselves are their own "enterprise column" (id): nothing to name or check
    if (spec.enterpriseColumn && spec.enterpriseColumn !== 'id') {
      const own = ownEnterprise(req);
      if (own) fields[spec.enterpriseColumn] = own;
      else if (!fields[spec.enterpriseColumn]) throw invalidField('enterpriseId', 'required for customs users');
      else await checkEnterprise(db, fields[spec.enterpriseColumn]);
    }
    const now = ctx.nowIso();
    const row = { id: newId(spec.idPrefix, ctx.clock.now()), ...fields, version: 1, created_at: now, updated_at: now };
    try {
      await ctx.change(async (trx, audit) => {
        await (trx as any).insertInto(spec.table).values(row).execute();
        await audit({ actor: actorOf(req.principal), action: `${spec.name}.create`, subject: row.id, after: spec.toDto(row) });
      });
    } catch (e) {
      throw writeError(e, spec.name);
    }
    ctx.bus.publish(registryChanged(spec.name), { id: row.id, version: row.version });
    reply.status(201);
    return spec.toDto(row);
  });

  app.patch(`${base}/:id`, {
    config: { roles: spec.write },
    schema: { tags, summary: `Update a ${spec.name}; send the version you read`, params: Type.Object({ id: Type.String() }), body: spec.update, response: { 200: spec.dto, ...errors } },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const body = req.body as Record<string, any>;
    const existing = await loadOwned(ctx, spec, id, req);
    if (spec.enterpriseColumn && body.enterpriseId && ownEnterprise(req)) throw forbidden('an enterprise cannot move records to another enterprise');
    const fields = await spec.toRow({ ...spec.toDto(existing), ...body }, req, ctx, existing);
    if (spec.enterpriseColumn && ownEnterprise(req)) fields[spec.enterpriseColumn] = existing[spec.enterpriseColumn];
    else if (spec.enterpriseColumn && spec.enterpriseColumn !== 'id' && body.enterpriseId !== undefined) await checkEnterprise(db, fields[spec.enterpriseColumn]);
    const updated = { ...existing, ...fields, version: existing.version + 1, updated_at: ctx.nowIso() };
    try {
      await ctx.change(async (trx, audit) => {
        const res = await (trx as any).updateTable(spec.table).set({ ...fields, version: updated.version, updated_at: updated.updated_at })
          .where('id', '=', id).where('version', '=', body.version).executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw conflict('version_conflict', `${spec.name} ${id} was changed by someone else (you sent version ${body.version})`, { currentVersion: existing.version });
        await audit({ actor: actorOf(req.principal), action: `${spec.name}.update`, subject: id, before: spec.toDto(existing), after: spec.toDto(updated) });
      });
    } catch (e) {
      throw writeError(e, spec.name);
    }
    // After the commit: in-memory users (the supervision pipeline's route corridors and fences) reload.
    ctx.bus.publish(registryChanged(spec.name), { id, version: updated.version });
    return spec.toDto(updated);
  });
}

/** Makes every property optional and adds the required `version` for PATCH bodies. */
export const patchOf = (create: TObject) => Type.Object({ ...Type.Partial(create).properties, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
