/**
 * A query built and compiled once per dialect, then run many times with new values bound into
 * the same SQL. Kysely otherwise rebuilds and recompiles the operation tree on every call, which
 * on the hottest write paths (the gate passage and its trip chain) costs more than SQLite takes to
 * run the statement. The builder is ordinary Kysely code; `v.name` stands for a value supplied at
 * run time. Such a value must be used as a plain bound value (`=`, `values`, `set`), not spread
 * into an `in` list or compared with null, which change the SQL's shape.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;
type Slot = { name: string } | { value: unknown };

const MARK = '\u0000prepared:';

export interface Prepared<V, O> {
  all(db: Db, values: V): Promise<O[]>;
  first(db: Db, values: V): Promise<O | undefined>;
  /** Rows changed by an insert, update or delete. */
  run(db: Db, values: V): Promise<number>;
}

export function prepared<V extends object, O>(build: (db: Db, v: V) => Compilable<O>): Prepared<V, O> {
  // Compiled SQL differs between dialects; the adapter object identifies the dialect of a database
  // and is shared by its transactions.
  const byDialect = new WeakMap<object, { query: CompiledQuery<O>; slots: Slot[] }>();
  const compiled = (db: Db) => {
    const key = db.getExecutor().adapter;
    let c = byDialect.get(key);
    if (!c) {
      const used = new Set<string>();
      const v = new Proxy({}, { get: (_, name) => { used.add(String(name)); return MARK + String(name); } }) as V;
      const query = build(db, v).compile();
      const slots = query.parameters.map((p): Slot => (typeof p === 'string' && p.startsWith(MARK) ? { name: p.slice(MARK.length) } : { value: p }));
      for (const name of used) if (!slots.some((s) => 'name' in s && s.name === name)) throw new Error(`prepared query: value "${name}" did not become a bound parameter in ${query.sql}`);
      c = { query, slots };
      byDialect.set(key, c);
    }
    return c;
  };
  const exec = (db: Db, values: V) => {
    const { query, slots } = compiled(db);
    return db.executeQuery<O>({ ...query, parameters: slots.map((s) => ('name' in s ? (values as Record<string, unknown>)[s.name] : s.value)) });
  };
  return {
    all: async (db, values) => (await exec(db, values)).rows,
    first: async (db, values) => (await exec(db, values)).rows[0],
    run: async (db, values) => Number((await exec(db, values)).numAffectedRows ?? 0),
  };
}
