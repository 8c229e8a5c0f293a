/** Shared bits of the inspection and certificate routes: error schemas, id params, enterprise scoping. */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import { ProblemSchema } from '../../platform/http/problem.ts';
import { ownEnterprise } from '../../platform/http/auth-hooks.ts';
import { notFound } from '../../platform/errors.ts';

/** The platform problem shape plus `errors`, which carries every refusal reason (it must survive serialisation). */
const Problem = { ...ProblemSchema, properties: { ...ProblemSchema.properties, errors: {} } };
export const errs = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 415: Problem };
export const Id = Type.Object({ id: Type.String() });
export const STAFF = ['officer', 'supervisor'] as const;
export const READERS = ['enterprise', 'officer', 'supervisor'] as const;

/** 404 (never 403) when an enterprise user asks for another enterprise's record, so ids leak nothing. */
export function visible<T extends { enterprise_id: string | null }>(req: FastifyRequest, row: T | undefined, what: string, id: string): T {
  const own = ownEnterprise(req);
  if (!row || (own !== null && row.enterprise_id !== own)) throw notFound(what, id);
  return row;
}
export const j = <T = any>(s: string | null): T => (s == null ? null : JSON.parse(s)) as T;
