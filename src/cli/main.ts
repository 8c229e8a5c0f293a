/** The one `onelock` command. Each subcommand is a thin adapter over the platform modules. */
import { Command } from 'commander';
import { loadSettings, settingsTable } from '../platform/config.ts';
import { openStore } from '../platform/db/connect.ts';
import { migrateToLatest } from '../platform/db/migrations.ts';
import { verifyAuditChain } from '../platform/audit.ts';
import { serve } from './serve.ts';

const program = new Command('onelock')
  .description('Cross-border one-lock supervision and export inspection platform')
  .showHelpAfterError();

program.command('serve')
  .description('run the platform: HTTP API, OpenAPI at /docs, and the JT/T 808 gateway')
  .option('--demo', 'seed demo data (idempotent) before serving; same as ONELOCK_DEMO=true')
  .option('--port <n>', 'HTTP port (overrides ONELOCK_HTTP_PORT)', (v) => parseInt(v, 10))
  .action(async (o) => {
    await serve({ demo: o.demo, httpPort: o.port });
  });

const db = program.command('db').description('database maintenance');
db.command('migrate')
  .description('apply pending migrations to the configured database')
  .action(async () => {
    const settings = loadSettings();
    const store = await openStore(settings);
    const applied = await migrateToLatest(store.db, store.dialect);
    console.log(JSON.stringify({ dialect: store.dialect, applied }));
    await store.close();
  });

program.command('demo')
  .description('seed demo data into the configured database (idempotent) and exit')
  .action(async () => {
    const { startPlatform } = await import('../platform/server.ts');
    const { seedDemo } = await import('../demo/seed.ts');
    const p = await startPlatform();
    const r = await seedDemo(p.ctx);
    console.log(r.seeded ? 'demo data seeded' : 'demo data already present; nothing changed');
    await p.close();
  });

const audit = program.command('audit').description('the hash-chained audit log');
audit.command('verify')
  .description('re-walk the audit chain; exits 1 and names the first bad entry if it was edited, inserted into or cut')
  .action(async () => {
    const settings = loadSettings();
    const store = await openStore(settings);
    const v = await verifyAuditChain(store.db);
    console.log(JSON.stringify(v));
    await store.close();
    process.exitCode = v.ok ? 0 : 1;
  });

program.command('settings')
  .description('list every setting, its environment variable, default and current value')
  .action(() => {
    const cur = loadSettings();
    for (const [k, s] of Object.entries(settingsTable)) {
      const shown = /secret|password/i.test(k) && cur[k as keyof typeof cur] ? '(set)' : JSON.stringify(cur[k as keyof typeof cur]);
      console.log(`${s.env.padEnd(26)} ${shown.padEnd(24)} default ${JSON.stringify(s.default)}  ${s.doc}`);
    }
  });

await program.parseAsync(process.argv);
