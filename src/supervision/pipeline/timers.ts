/**
 * The supervision timer: every ONELOCK_SUPERVISION_TICK_S seconds, signal loss and overdue for
 * every supervised trip (rules raised by time, not by a message) and escalation of alerts left
 * unacknowledged. Time comes from ctx.clock; a tick that is still running is not started twice.
 * A tick of 0 starts no timer (tests call `tick()` themselves with a ManualClock).
 */
import type { AppContext } from '../../platform/context.ts';
import { escalateStaleAlerts } from '../../alerts/alert-routes.ts';
import type { Supervisor } from './supervisor.ts';

export class SupervisionTimers {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private ctx: AppContext, private supervisor: Supervisor) {
    const s = ctx.settings.supervisionTickS;
    if (s > 0) {
      this.timer = setInterval(() => { if (!this.running) this.running = this.tick().catch((e) => ctx.log.error({ err: e }, 'supervision tick failed')).finally(() => { this.running = null; }); }, s * 1000);
      this.timer.unref();
    }
  }

  /** One round: signal loss and overdue, then escalation. */
  async tick(): Promise<void> {
    await this.supervisor.tick();
    await escalateStaleAlerts(this.ctx, { criticalS: this.ctx.settings.escalateCriticalS, warningS: this.ctx.settings.escalateWarningS });
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
