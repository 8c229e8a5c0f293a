import { startPlatform } from '../platform/server.ts';
import { seedDemo, DEMO_USERS, DEMO_PASSWORD, demoGateKey } from '../demo/seed.ts';

export async function serve(opts: { demo?: boolean; httpPort?: number }) {
  const p = await startPlatform({ settings: { ...(opts.httpPort ? { httpPort: opts.httpPort } : {}), ...(opts.demo ? { demo: true } : {}) } });
  const { settings, log } = p.ctx;
  if (settings.demo) {
    const r = await seedDemo(p.ctx);
    log.info(r.seeded ? 'demo data seeded' : 'demo data already present');
  }
  await p.app.listen({ port: settings.httpPort, host: settings.httpHost });
  const jt808Port = await p.jt808.listen(settings.jt808Port, settings.httpHost);
  const base = settings.publicUrl || `http://localhost:${settings.httpPort}`;
  const lines = [
    '',
    `onelock is running (${p.ctx.store.dialect})`,
    `  dashboard & API  ${base}/`,
    `  OpenAPI docs     ${base}/docs`,
    `  JT/T 808 gateway tcp://${settings.httpHost}:${jt808Port}  (try: npx onelock sim --terminals 10)`,
  ];
  if (settings.demo) {
    lines.push(`  demo logins (password "${DEMO_PASSWORD}"):`);
    for (const u of DEMO_USERS) lines.push(`    ${u.username.padEnd(16)} ${u.role}`);
    lines.push(`  demo gate API key ${demoGateKey(p.ctx)}`);
    lines.push(...await (await import('../demo/inspection-seed.ts')).demoCertificateLines(p.ctx, base));
  }
  console.log(lines.join('\n') + '\n');
  const stop = async (sig: string) => {
    log.info({ sig }, 'shutting down');
    await p.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
