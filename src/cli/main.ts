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
  .option('--no-sim', 'with --demo: do not run the live demo (emulated e-locks and scripted incidents); same as ONELOCK_DEMO_SIM=false')
  .action(async (o) => {
    await serve({ demo: o.demo, httpPort: o.port, sim: o.sim });
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

const jt808 = program.command('jt808').description('JT/T 808 tools');
jt808.command('decode')
  .description('decode one hex frame to JSON (exit 1 + {"error":…} if rejected); with no argument, one JSON line per stdin line')
  .argument('[hex]', 'the frame as hex, with or without the 0x7E delimiters')
  .allowUnknownOption()
  .allowExcessArguments()
  .action(async () => {
    const { runDecodeCli } = await import('../devices/jt808/index.ts');
    // The decoder parses its own words (frame, --zone, --profile …), exactly as typed after "decode".
    const args = process.argv.slice(process.argv.indexOf('decode') + 1);
    process.exitCode = await runDecodeCli(args, process.stdin, (line) => process.stdout.write(line + '\n'));
  });

program.command('sim')
  .description('emulate N customs e-locks driving the seed route over real JT/T 808 TCP (registers them in the configured database unless --no-register)')
  .option('--terminals <n>', 'number of terminals', (v) => parseInt(v, 10), 10)
  .option('--interval-ms <ms>', 'report interval per terminal', (v) => parseInt(v, 10), 1000)
  .option('--host <host>', 'gateway host', '127.0.0.1')
  .option('--port <port>', 'gateway port (default ONELOCK_JT808_PORT)', (v) => parseInt(v, 10))
  .option('--reports <n>', 'stop after this many reports per terminal (default: the whole route)', (v) => parseInt(v, 10))
  .option('--dead-zone', 'lose coverage for 10% of the route, then upload the buffered fixes as 0x0704')
  .option('--lock-event <event>', 'inject a lock event half-way: tamper, wire_cut, opened_while_sealed, …')
  .option('--reconnect-storm', 'all terminals drop and reconnect at once, twice')
  .option('--no-register', 'do not register the emulated locks in the configured database')
  .action(async (o) => {
    const settings = loadSettings();
    const { Simulation } = await import('../sim/run-sim.ts');
    if (o.register) {
      const { createContext } = await import('../platform/context.ts');
      const { ensureSimDevices } = await import('../sim/devices.ts');
      const store = await openStore(settings);
      await migrateToLatest(store.db, store.dialect);
      const r = await ensureSimDevices(createContext(settings, store), o.terminals);
      await store.close();
      if (r.created) console.log(`registered ${r.created} emulated locks`);
    }
    const ev = o.lockEvent === 'tamper' ? 'shell_tamper' : o.lockEvent;
    const { SingleBar, Presets } = (await import('cli-progress')).default;
    const bar = new SingleBar({ format: 'report {value}/{total} | connected {connected} | sent {sent} | acknowledged {acked}', clearOnComplete: false }, Presets.shades_classic);
    const sim = new Simulation({ terminals: o.terminals, intervalMs: o.intervalMs, host: o.host, port: o.port ?? settings.jt808Port, reports: o.reports, deadZone: !!o.deadZone, lockEvent: ev, reconnectStorm: !!o.reconnectStorm,
      onProgress: (s) => { if (!bar.getTotal()) bar.start(o.reports ?? 9999, 0, s); bar.update(s.reports, s); } });
    process.once('SIGINT', () => sim.stop());
    const r = await sim.run();
    bar.stop();
    console.log(JSON.stringify(r));
    sim.stop();
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
