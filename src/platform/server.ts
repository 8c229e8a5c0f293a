/**
 * Assembles the platform from settings: storage, migrations, context and the HTTP adapter.
 * Tests call `startPlatform` with overrides; `onelock serve` calls it and listens.
 */
import type { Logger } from 'pino';
import { loadSettings, type Settings } from './config.ts';
import { openStore } from './db/connect.ts';
import { migrateToLatest } from './db/migrations.ts';
import { createContext, type AppContext } from './context.ts';
import { buildHttp, type RouteModule } from './http/app.ts';
import type { Clock } from './clock.ts';
import { authRoutes } from './auth/routes.ts';
import { auditRoutes, healthRoutes } from './audit-routes.ts';
import { enterpriseRoutes } from '../registry/enterprises.ts';
import { userRoutes } from '../registry/users.ts';
import { vehicleRoutes } from '../registry/vehicles.ts';
import { driverRoutes } from '../registry/drivers.ts';
import { deviceRoutes } from '../registry/devices.ts';
import { placeRoutes } from '../registry/places.ts';
import { routeRoutes } from '../registry/routes.ts';
import { declarationRoutes } from '../transit/declarations.ts';
import { tripRoutes } from '../transit/trips.ts';
import { trackRoutes } from '../transit/track-routes.ts';
import { ingestRoutes } from '../devices/http-ingest.ts';
import { alertRoutes } from '../alerts/alert-routes.ts';
import { webhookRoutes, WebhookDispatcher } from '../alerts/webhooks.ts';
import { liveRoutes } from '../live/live-routes.ts';
import { snapshotRoutes } from '../live/snapshot-routes.ts';
import { statsRoutes } from '../stats/stats-routes.ts';
import { LiveHub } from '../live/live-hub.ts';
import { gateRoutes } from '../gate/gate-routes.ts';
import { riskRoutes } from '../gate/risk-routes.ts';
import { inspectionRoutes } from '../gate/inspection-routes.ts';
import { RiskCache } from '../gate/gate-facts.ts';
import { Jt808Gateway } from '../devices/gateway/server.ts';
import { DeviceCommands, commandRoutes } from '../devices/gateway/commands.ts';
import { exportInspectionRoutes } from '../inspection/routes/index.ts';
import { Supervisor } from '../supervision/pipeline/supervisor.ts';
import { SupervisionTimers } from '../supervision/pipeline/timers.ts';

export const routeModules = (hub: LiveHub, risk: RiskCache, commands: DeviceCommands): RouteModule[] => [
  liveRoutes(hub), healthRoutes, authRoutes, auditRoutes,
  enterpriseRoutes, userRoutes, vehicleRoutes, driverRoutes, deviceRoutes, placeRoutes, routeRoutes,
  declarationRoutes, tripRoutes, trackRoutes, ingestRoutes, alertRoutes, webhookRoutes,
  gateRoutes(risk), riskRoutes(risk), inspectionRoutes, commandRoutes(commands), snapshotRoutes, statsRoutes,
  ...exportInspectionRoutes,
];

export interface Platform {
  ctx: AppContext;
  live: LiveHub;
  webhooks: WebhookDispatcher;
  /** JT/T 808 gateway: built here, listening only after `jt808.listen()` (onelock serve, tests, benches). */
  jt808: Jt808Gateway;
  commands: DeviceCommands;
  /** Rules on every stored position of a supervised trip; `timers.tick()` runs signal loss, overdue and escalation. */
  supervisor: Supervisor;
  timers: SupervisionTimers;
  app: Awaited<ReturnType<typeof buildHttp>>['app'];
  routeTable: Awaited<ReturnType<typeof buildHttp>>['routeTable'];
  close(): Promise<void>;
}

export async function startPlatform(opts: { settings?: Partial<Settings>; clock?: Clock; log?: Logger; env?: NodeJS.ProcessEnv } = {}): Promise<Platform> {
  const settings = loadSettings(opts.env ?? process.env, opts.settings);
  const store = await openStore(settings);
  await migrateToLatest(store.db, store.dialect);
  const ctx = createContext(settings, store, { clock: opts.clock, log: opts.log });
  const live = new LiveHub(ctx.bus);
  const jt808 = new Jt808Gateway(ctx);
  const commands = new DeviceCommands(ctx, jt808);
  const { app, routeTable } = await buildHttp(ctx, routeModules(live, new RiskCache(ctx), commands));
  await app.ready();
  const webhooks = new WebhookDispatcher(ctx);
  webhooks.kick(); // deliveries left pending by a previous run
  const supervisor = new Supervisor(ctx);
  await supervisor.start(); // resumes every supervised trip from its checkpoint before any position arrives
  const timers = new SupervisionTimers(ctx, supervisor);
  return {
    ctx, app, routeTable, live, webhooks, jt808, commands, supervisor, timers,
    async close() {
      await timers.stop();
      await webhooks.stop();
      commands.stop();
      await jt808.close();
      await app.close();
      await ctx.positions.drain();
      await supervisor.close();
      await store.close();
    },
  };
}
