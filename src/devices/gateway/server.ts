/**
 * The JT/T 808 TCP gateway: accepts terminal connections, keeps one live session per terminal
 * (a new authentication closes the old connection), looks devices up in the registry, sweeps
 * sub-package reassembly for 0x8003 re-send requests, and counts what it rejected.
 * `startPlatform` builds it without listening; `onelock serve` (or a test/bench) calls listen().
 */
import net from 'node:net';
import type { AppContext } from '../../platform/context.ts';
import { Jt808Session } from './session.ts';
import { codecProfileOf } from './positions.ts';
import type { DeviceCommands } from './commands.ts';
import { SUPERVISED_STATES } from '../../supervision/pipeline/trip-context-loader.ts';

export interface GatewayOptions {
  maxFrameBytes: number;
  idleMs: number;
  /** Positions of one connection waiting for their commit before reading pauses. */
  maxInflight: number;
  sweepMs: number;
}

export interface KnownDevice {
  id: string; terminalId: string; profile: string; authCode: string;
  /** The lock seals a supervised trip right now. */
  sealing: boolean;
}

export class Jt808Gateway {
  readonly opts: GatewayOptions;
  private server: net.Server | null = null;
  private readonly all = new Set<Jt808Session>();
  /** terminal id → the authenticated session. */
  private readonly live = new Map<string, Jt808Session>();
  readonly pendingPackages = new Set<Jt808Session>();
  private sweeper: NodeJS.Timeout | null = null;
  commands: DeviceCommands | null = null;
  readonly stats = {
    connections: 0, frames: 0, positionsStored: 0, positionsAcked: 0, unauthenticated: 0, unknownTerminals: 0, authFailures: 0, registrationsRefused: 0,
    replacedSessions: 0, idleClosed: 0, unsupported: 0, writeFailures: 0, resendRequests: 0, packagesExpired: 0,
    errors: {} as Record<string, number>,
  };

  constructor(readonly ctx: AppContext, opts: Partial<GatewayOptions> = {}) {
    this.opts = { maxFrameBytes: 4096, idleMs: ctx.settings.jt808IdleS * 1000, maxInflight: 2048, sweepMs: 1000, ...opts };
  }

  /** Opens the TCP port (0 = any free port); resolves with the bound port. */
  async listen(port = this.ctx.settings.jt808Port, host = this.ctx.settings.httpHost): Promise<number> {
    const server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    server.maxConnections = 200_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, host, () => { server.off('error', reject); resolve(); }); });
    // After start-up, accept errors (e.g. EMFILE at the process's file limit) are logged, not fatal.
    server.on('error', (e) => { this.stats.errors.accept = (this.stats.errors.accept ?? 0) + 1; this.ctx.log.error({ err: e }, 'jt808: accept failed'); });
    this.sweeper = setInterval(() => {
      const now = this.ctx.clock.now();
      for (const s of [...this.pendingPackages]) {
        // thrown from this timer, one session's failure would end the process
        try { s.sweepPackages(now); } catch (e) { this.countInternal(s, e, 'sub-package sweep failed'); this.pendingPackages.delete(s); }
      }
    }, this.opts.sweepMs);
    this.sweeper.unref();
    return (server.address() as net.AddressInfo).port;
  }

  /** Also usable without listen(): tests may hand it a socket pair. */
  accept(socket: net.Socket) {
    this.stats.connections++;
    this.all.add(new Jt808Session(socket, this));
  }

  get connected() { return this.all.size; }
  get authenticated() { return this.live.size; }
  sessionOf(terminalId: string) { return this.live.get(terminalId) ?? null; }

  attach(s: Jt808Session) {
    const old = this.live.get(s.terminalId!);
    if (old && old !== s) {
      // One live session per terminal: the newer login wins, the old connection is closed.
      this.stats.replacedSessions++;
      this.live.delete(s.terminalId!);
      old.authenticated = false;
      old.socket.destroy();
    }
    this.live.set(s.terminalId!, s);
  }

  detach(s: Jt808Session) {
    this.all.delete(s);
    this.pendingPackages.delete(s);
    if (s.terminalId && this.live.get(s.terminalId) === s) this.live.delete(s.terminalId);
  }

  countError(code: string, s: Jt808Session, message: string) {
    this.stats.errors[code] = (this.stats.errors[code] ?? 0) + 1;
    this.ctx.log.warn({ code, terminalId: s.terminalId, remote: s.socket.remoteAddress }, `jt808: ${message}`);
  }

  /** A bug tripped while serving a session: counted as errors.internal and logged with its stack, never thrown on. */
  countInternal(s: Jt808Session, err: unknown, message: string, detail: Record<string, unknown> = {}) {
    this.stats.errors.internal = (this.stats.errors.internal ?? 0) + 1;
    this.ctx.log.error({ err, terminalId: s.terminalId, ...detail }, `jt808: ${message}`);
  }

  async deviceByTerminal(terminalId: string): Promise<KnownDevice | null> {
    const d = await this.ctx.store.db.selectFrom('devices').select(['id', 'terminal_id', 'lock_profile', 'auth_code'])
      .select((eb) => eb.exists(eb.selectFrom('trips').select('id').whereRef('trips.active_device_id', '=', 'devices.id').where('trips.state', 'in', [...SUPERVISED_STATES])).as('sealing'))
      .where('terminal_id', '=', terminalId).executeTakeFirst();
    return d ? { id: d.id, terminalId: d.terminal_id, profile: codecProfileOf(d.lock_profile), authCode: d.auth_code, sealing: !!d.sealing } : null;
  }

  async close() {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const s of this.all) s.socket.destroy();
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = null;
  }
}
