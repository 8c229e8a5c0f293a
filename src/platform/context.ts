/**
 * What every adapter is handed: settings, storage, the clock, tokens, the logger, and `change`,
 * the one way to write: a transaction that also appends the audit entry.
 */
import pino, { type Logger } from 'pino';
import type { Transaction } from 'kysely';
import type { Settings } from './config.ts';
import type { Store } from './db/connect.ts';
import type { Database } from './db/schema.ts';
import { systemClock, isoOf, type Clock } from './clock.ts';
import { TokenIssuer, tokenSecret } from './auth/tokens.ts';
import { appendAudit, type AuditEntry } from './audit.ts';
import { LocalBus, type Bus } from './bus.ts';
import { PositionWriter } from './db/position-writer.ts';

export type Trx = Transaction<Database>;

export interface AppContext {
  settings: Settings;
  store: Store;
  clock: Clock;
  tokens: TokenIssuer;
  log: Logger;
  bus: Bus;
  /** Group-commit writer shared by every position ingest path. */
  positions: PositionWriter;
  nowIso(): string;
  /** Runs `fn` in a transaction; `audit` appends to the hash chain in the same transaction. */
  change<T>(fn: (trx: Trx, audit: (e: AuditEntry) => Promise<void>) => Promise<T>): Promise<T>;
}

export function createContext(settings: Settings, store: Store, opts: { clock?: Clock; log?: Logger } = {}): AppContext {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? pino({ level: settings.logLevel });
  const nowIso = () => isoOf(clock.now());
  const bus = new LocalBus((subject, err) => log.error({ err, subject }, 'bus subscriber failed'));
  return {
    bus,
    positions: new PositionWriter(store, bus),
    settings,
    store,
    clock,
    log,
    nowIso,
    tokens: new TokenIssuer(tokenSecret(settings), settings.tokenTtlS, clock),
    change: (fn) =>
      store.db.transaction().execute((trx) => fn(trx, (e) => appendAudit(trx, store.dialect, nowIso(), e))),
  };
}
