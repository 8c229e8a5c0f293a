/**
 * Open-loop load generator for the gate bench, run as its own process: posts passages at a fixed
 * rate over keep-alive connections, whether or not earlier answers have come back. Latency is
 * counted from the moment each request was *due*, so a slow server (or a late client) shows up in
 * the figures instead of quietly lowering the offered rate (no coordinated omission).
 * Talks to the parent over IPC: one {job} in, one {result} out per run.
 */
import http from 'node:http';

export interface LoadJob { host: string; port: number; path: string; key: string; rate: number; bodies: string[] }
export interface LoadResult {
  sent: number; ok: number; failed: number; statuses: Record<string, number>; decisions: Record<string, number>;
  /** ms from due time to the last byte of the answer, sorted */
  fromDue: number[];
  /** ms from the actual write to the last byte, sorted (what a closed-loop client would report) */
  fromSend: number[];
  /** how late the client was in sending, ms, worst case */
  maxSendLagMs: number;
  offeredRate: number;
  elapsedS: number;
  /** this client's own CPU per request, ms (it shares the machine with the server) */
  clientCpuMs: number;
}

// One pool for all runs, so connections opened in the warm-up are reused. The cap is far above
// what 500/s needs from a healthy server (a handful in flight); when the server falls behind,
// requests wait here and that wait is in the latency, which counts from the due time.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function run(job: LoadJob): Promise<LoadResult> {
  const n = job.bodies.length, interval = 1000 / job.rate;
  const fromDue: number[] = [], fromSend: number[] = [];
  const statuses: Record<string, number> = {}, decisions: Record<string, number> = {};
  let done = 0, ok = 0, failed = 0, maxLag = 0, i = 0;
  const headers = { 'content-type': 'application/json', 'x-api-key': job.key };
  return new Promise((resolve) => {
    const start = performance.now(), cpu0 = process.cpuUsage();
    const finish = () => {
      const cpu = process.cpuUsage(cpu0);
      fromDue.sort((a, b) => a - b);
      fromSend.sort((a, b) => a - b);
      const elapsedS = (performance.now() - start) / 1000;
      resolve({ sent: n, ok, failed, statuses, decisions, fromDue, fromSend, maxSendLagMs: maxLag, offeredRate: n / ((n - 1) * interval / 1000 || 1), elapsedS, clientCpuMs: (cpu.user + cpu.system) / 1000 / n });
    };
    const send = (k: number, due: number) => {
      const sentAt = performance.now();
      maxLag = Math.max(maxLag, sentAt - due);
      const body = job.bodies[k];
      const req = http.request({ agent, host: job.host, port: job.port, path: job.path, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const end = performance.now();
          fromDue.push(end - due);
          fromSend.push(end - sentAt);
          statuses[res.statusCode!] = (statuses[res.statusCode!] ?? 0) + 1;
          if (res.statusCode === 200) {
            ok++;
            const d = /"decision":"(\w+)"/.exec(Buffer.concat(chunks).toString('latin1'))?.[1] ?? '?';
            decisions[d] = (decisions[d] ?? 0) + 1;
          } else failed++;
          if (++done === n) finish();
        });
      });
      req.on('error', () => { failed++; statuses.error = (statuses.error ?? 0) + 1; if (++done === n) finish(); });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (i < n && start + i * interval <= now) { send(i, start + i * interval); i++; }
      if (i < n) setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
    };
    tick();
  });
}

process.on('message', async (job: LoadJob | 'exit') => {
  if (job === 'exit') { agent.destroy(); process.exit(0); }
  process.send!(await run(job));
});
process.send!('ready');
