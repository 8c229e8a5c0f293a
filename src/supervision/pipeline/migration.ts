/**
 * Migration step 006_supervision_flags: positions.filtered = 1 marks a fix the impossible-jump
 * filter kept but did not use for rules (DOMAIN.md "impossible jump"). The track still shows it;
 * a reader can leave it out.
 */
import type { Kysely } from 'kysely';

export async function m006_supervision_flags(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('positions').addColumn('filtered', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
