/**
 * Registers the emulator's locks in the device registry (idempotent, audited like any device
 * creation) so the gateway accepts them. Terminal IDs are 12 BCD digits: 0808 + 8-digit index.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';

export const simTerminalId = (i: number, prefix = '0808') => `${prefix}${String(i + 1).padStart(12 - prefix.length, '0')}`;

export async function ensureSimDevices(ctx: AppContext, n: number, prefix = '0808'): Promise<{ created: number; terminalIds: string[] }> {
  const ids = Array.from({ length: n }, (_, i) => simTerminalId(i, prefix));
  const have = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.store.db.selectFrom('devices').select('terminal_id').where('terminal_id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) have.add(r.terminal_id);
  }
  const missing = ids.filter((t) => !have.has(t));
  for (let i = 0; i < missing.length; i += 500) {
    const part = missing.slice(i, i + 500);
    await ctx.change(async (trx, audit) => {
      const now = ctx.nowIso();
      await trx.insertInto('devices').values(part.map((t) => ({
        id: newId('dev', ctx.clock.now()), terminal_id: t, model: 'CEL-808 (emulated)', lock_profile: 'customs-elock', state: 'in_stock' as const,
        battery_pct: null, last_seen_at: null, auth_code: randomBytes(8).toString('hex'), ingest_key_hash: null, version: 1, created_at: now, updated_at: now,
      }))).execute();
      await audit({ actor: 'system:sim', action: 'device.create', subject: `${part[0]}..${part.at(-1)}`, after: { count: part.length, lockProfile: 'customs-elock' } });
    });
  }
  return { created: missing.length, terminalIds: ids };
}
