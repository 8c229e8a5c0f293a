import { Type, type TSchema } from 'typebox';
import type { SelectQueryBuilder } from 'kysely';

/** Cursor pagination on sortable ids: newest first, the cursor is the last id of the page. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50, description: 'page size (capped by ONELOCK_PAGE_LIMIT_MAX)' })),
  cursor: Type.Optional(Type.String({ description: 'nextCursor from the previous page' })),
};

export function pageOf<DB, TB extends keyof DB, O>(
  q: SelectQueryBuilder<DB, TB, O>,
  idCol: any,
  query: { limit?: number; cursor?: string },
  max: number,
) {
  const limit = Math.min(query.limit ?? 50, max);
  let qq = q.orderBy(idCol, 'desc').limit(limit + 1);
  if (query.cursor) qq = qq.where(idCol, '<', query.cursor as any);
  return {
    limit,
    async run<T>(map: (r: O) => T) {
      const rows = await qq.execute();
      const more = rows.length > limit;
      const page = more ? rows.slice(0, limit) : rows;
      return { items: page.map(map), nextCursor: more ? String((page[page.length - 1] as any).id) : null };
    },
  };
}

export const Page = (item: TSchema) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.Null(), Type.String()]) });
