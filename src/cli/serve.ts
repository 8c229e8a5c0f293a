import type { AddressInfo } from 'node:net';
import { startPlatform } from '../platform/server.ts';
import { seedDemo, DEMO_USERS, DEMO_PASSWORD, demoGateKey } from '../demo/seed.ts';

/** Where this process reaches its own listeners: loopback when they listen on every address. */
const selfHost = (host: string) => (host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host);
const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

export async function serve(opts: { demo?: boolean; httpPort?: number; sim?: boolean }) {
  const p = await startPlatform({ settings: { ...(opts.httpPort !== undefined ? { httpPort: opts.httpPort } : {}), ...(opts.demo ? { demo: true } : {}), ...(opts.sim === false ? { demoSim: false } : {}) } });
  const { settings, log } = p.ctx;
  if (settings.demo) {
    const r = await seedDemo(p.ctx);
    log.info(r.seeded ? 'demo data seeded' : 'demo data already present');
  }
  await p.app.listen({ port: settings.httpPort, host: settings.httpHost });
  const jt808Port = await p.jt808.listen(settings.jt808Port, settings.httpHost);
  const httpPort = (p.app.server.address() as AddressInfo).port; // the one taken when the setting is 0
  const base = settings.publicUrl || `http://localhost:${httpPort}`;
  const lines = [
    '',
    `onelock is running (${p.ctx.store.dialect})`,
    `  dashboard & API  ${base}/`,
    `  OpenAPI docs     ${base}/docs`,
    `  JT/T 808 gateway tcp://${settings.httpHost}:${jt808Port}  (try: npx onelock sim --terminals 10)`,
  ];
  if (!settings.publicUrl && !settings.demo) {
    // Each issued certificate PDF carries this URL in its QR code and text for good: a localhost one
    // cannot be verified at the importing port, so a production start says so loudly.
    log.warn('ONELOCK_PUBLIC_URL is not set: certificates issued now carry verification links to localhost');
    lines.push(`  WARNING          ONELOCK_PUBLIC_URL is not set: certificate QR codes will point at ${base}`);
  }
  let liveDemo: import('../demo/live-demo.ts').LiveDemo | null = null;
  if (settings.demo) {
    lines.push(`  demo logins (password "${DEMO_PASSWORD}"):`);
    for (const u of DEMO_USERS) lines.push(`    ${u.username.padEnd(16)} ${u.role}`);
    lines.push(`  demo gate API key ${demoGateKey(p.ctx)}`);
    lines.push(...await (await import('../demo/inspection-seed.ts')).demoCertificateLines(p.ctx, base));
    if (settings.demoSim) {
      const { LiveDemo } = await import('../demo/live-demo.ts');
      const self = urlHost(selfHost(settings.httpHost));
      liveDemo = new LiveDemo(p.ctx, {
        httpBase: `http://${self}:${httpPort}`,
        jt808: { host: selfHost(settings.httpHost), port: jt808Port },
        gateApiKey: demoGateKey(p.ctx),
      });
      await liveDemo.start();
      liveDemo.run();
      lines.push(...liveDemo.describe());
    } else {
      lines.push('  live demo        off (ONELOCK_DEMO_SIM=false or --no-sim)');
    }
  }
  console.log(lines.join('\n') + '\n');
  const stop = async (sig: string) => {
    log.info({ sig }, 'shutting down');
    await liveDemo?.stop();
    await p.close();
    process.exit(0);
  };
  // One stop for a burst of signals (Ctrl-C reaches this process from the terminal and again from
  // the relaunch parent, src/platform/runtime-flags.ts); a signal seconds later forces the exit.
  let stopping = 0;
  const onSignal = (sig: string) => {
    if (!stopping) { stopping = Date.now(); void stop(sig); } else if (Date.now() - stopping > 2000) process.exit(1);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}
