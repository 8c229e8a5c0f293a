import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// The suite starts its own server on a free port with a fresh data dir and the demo data.
// Workers load this file again; they inherit the runner's choice through the environment.
const freePort = (): Promise<number> => new Promise((resolve) => { const s = net.createServer().listen(0, () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); }); });
const port: number = Number(process.env.ONELOCK_E2E_PORT) || await freePort();
// the server also opens the JT/T 808 gateway; keep it off the default port so runs never collide
const jt808Port: number = Number(process.env.ONELOCK_E2E_JT808_PORT) || await freePort();
process.env.ONELOCK_E2E_JT808_PORT = String(jt808Port);
const dataDir = process.env.ONELOCK_E2E_DATA_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'onelock-e2e-'));
process.env.ONELOCK_E2E_PORT = String(port);
process.env.ONELOCK_E2E_DATA_DIR = dataDir;

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1366, height: 768 },
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    },
  },
  webServer: {
    command: `node bin/onelock.js serve --demo --port ${port}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    // the specs drive their own trucks over HTTP ingest; the live demo's would move them under the tests
    env: { ONELOCK_DATA_DIR: dataDir, ONELOCK_JT808_PORT: String(jt808Port), ONELOCK_LOG_LEVEL: 'warn', ONELOCK_HTTP_HOST: '127.0.0.1', ONELOCK_DEMO_SIM: 'false' },
    stdout: 'pipe',
  },
});
