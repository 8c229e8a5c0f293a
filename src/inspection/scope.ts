/** Enterprise scoping for the inspection services (the routes' `visible` does the same from a request). */
import type { Principal } from '../platform/auth/principal.ts';
import { notFound } from '../platform/errors.ts';

/** The enterprise a caller is confined to, or null for customs roles (which see all). */
export const ownEnterpriseOf = (p: Principal | null): string | null => (p?.role === 'enterprise' ? p.enterpriseId ?? '__none__' : null);

/** 404 (never 403) for another enterprise's record, so ids leak nothing. */
export function visibleTo<T extends { enterprise_id: string | null }>(p: Principal | null, row: T | undefined, what: string, id: string): T {
  const own = ownEnterpriseOf(p);
  if (!row || (own !== null && row.enterprise_id !== own)) throw notFound(what, id);
  return row;
}
