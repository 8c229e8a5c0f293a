/**
 * Kysely's SQLite driver guards its one connection with a mutex whose every release wakes all
 * waiters, which then race and wait again: with W queries queued a release costs O(W), so a burst
 * degrades quadratically. Measured under the gate bench: a supervision tick raising thousands of
 * alerts while lane readings kept arriving held answers back for two minutes. This driver hands
 * the connection on to one waiter at a time, in arrival order.
 */
import { SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

class FifoSqliteDriver extends SqliteDriver {
  private waiting: Array<() => void> = [];
  private head = 0;
  private held = false;

  override async acquireConnection(): Promise<DatabaseConnection> {
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.held = true;
    return super.acquireConnection(); // never contended: only the holder gets this far
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head++];
      if (this.head > 1024 && this.head * 2 > this.waiting.length) { this.waiting = this.waiting.slice(this.head); this.head = 0; }
      next(); // `held` stays true: the connection passes straight to the next in line
    } else {
      if (this.head) { this.waiting.length = 0; this.head = 0; }
      this.held = false;
    }
  }
}

export class FifoSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) { super(config); }
  override createDriver(): Driver { return new FifoSqliteDriver(this.config); }
}
