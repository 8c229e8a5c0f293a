/**
 * Open-loop load generator for the gate bench, run as its own process: posts passages at a fixed
 * rate over keep-alive connections, whether or not earlier answers have come back. Latency is
 * counted from the moment each request was *due*, so a slow server (or a late client) shows up in
 * the figures instead of quietly lowering the offered rate (no coordinated omission).
 *
 * It speaks HTTP/1.1 over raw sockets with every request pre-encoded (one write each, answers
 * framed by Content-Length), like wrk: Node's http client costs ~0.25 ms of CPU per request, and
 * this process shares the two cores with the server it measures.
 * Talks to the parent over IPC: one {job} in, one {result} out per run.
 */
import net from 'node:net';

export interface LoadJob { host: string; port: number; path: string; key: string; rate: number; bodies: string[] }
export interface LoadResult {
  sent: number; ok: number; failed: number; statuses: Record<string, number>; decisions: Record<string, number>;
  /** ms from due time to the last byte of the answer, sorted */
  fromDue: number[];
  /** ms from the actual write to the last byte, sorted (what a closed-loop client would report) */
  fromSend: number[];
  /** how late a request went out, ms, worst case (timer lateness plus any wait for a free connection) */
  maxSendLagMs: number;
  offeredRate: number;
  elapsedS: number;
  /** this client's own CPU per request, ms (it shares the machine with the server) */
  clientCpuMs: number;
  /** connections the run used */
  connections: number;
}

interface InFlight { due: number; sentAt: number; done: (status: number, body: Buffer | null) => void }

const CRLF2 = Buffer.from('\r\n\r\n');

/** One keep-alive connection carrying one request at a time. */
class Conn {
  private sock: net.Socket;
  private buf: Buffer = Buffer.alloc(0);
  private cur: InFlight | null = null;
  readonly ready: Promise<void>;
  alive = true;
  constructor(host: string, port: number, private onIdle: (c: Conn) => void, private onDead: (c: Conn) => void) {
    const s = (this.sock = net.connect({ host, port, noDelay: true }));
    this.ready = new Promise((resolve, reject) => { s.once('connect', resolve); s.once('error', reject); });
    s.on('data', (d: Buffer) => this.data(d));
    s.on('error', () => undefined);
    s.on('close', () => { this.alive = false; const c = this.cur; this.cur = null; c?.done(0, null); this.onDead(this); });
  }
  get busy() { return this.cur !== null; }
  send(wire: Buffer, f: InFlight) {
    this.cur = f;
    f.sentAt = performance.now();
    this.sock.write(wire);
  }
  private data(d: Buffer) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    const end = this.buf.indexOf(CRLF2);
    if (end < 0) return;
    const head = this.buf.toString('latin1', 0, end);
    const len = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buf.length < end + 4 + len) return;
    const body = this.buf.subarray(end + 4, end + 4 + len);
    this.buf = this.buf.subarray(end + 4 + len);
    const c = this.cur!;
    this.cur = null;
    c.done(Number(head.slice(9, 12)), body);
    this.onIdle(this);
  }
  close() { this.sock.destroy(); }
}

// Connections are kept across runs, so those opened in the warm-up are reused. The cap is far
// above what 500/s needs from a healthy server (a handful in flight); when the server falls
// behind, requests wait here and that wait is in the latency, which counts from the due time.
const MAX_CONNS = 64;
const pool: Conn[] = [];
// Connections outlive a run, so their callbacks go to whichever run is current.
let current: { onIdle(c: Conn): void; onDead(c: Conn): void } | null = null;
const onIdle = (c: Conn) => current?.onIdle(c);
const onDead = (c: Conn) => { const at = pool.indexOf(c); if (at >= 0) pool.splice(at, 1); current?.onDead(c); };

function run(job: LoadJob): Promise<LoadResult> {
  const n = job.bodies.length, interval = 1000 / job.rate;
  const wires = job.bodies.map((b) => Buffer.from(`POST ${job.path} HTTP/1.1\r\nHost: ${job.host}:${job.port}\r\nContent-Type: application/json\r\nX-Api-Key: ${job.key}\r\nContent-Length: ${Buffer.byteLength(b)}\r\n\r\n${b}`));
  const fromDue: number[] = [], fromSend: number[] = [];
  const statuses: Record<string, number> = {}, decisions: Record<string, number> = {};
  let done = 0, ok = 0, failed = 0, maxLag = 0, i = 0;
  const queue: Array<{ k: number; due: number }> = [];
  const used = new Set<Conn>();
  return new Promise((resolve) => {
    const start = performance.now(), cpu0 = process.cpuUsage();
    // A run that stops making progress for a minute ends, its missing answers counted as lost.
    let seen = -1;
    const watchdog = setInterval(() => {
      if (done === seen) {
        process.stderr.write(`gate-load: no answer for 60 s; ${n - done} outstanding, ${queue.length} queued, ${pool.length} connections (${pool.filter((c) => c.busy).length} busy)\n`);
        statuses.lost = n - done; failed += n - done; done = n; finish();
      }
      seen = done;
    }, 60_000);
    const finish = () => {
      clearInterval(watchdog);
      current = null;
      const cpu = process.cpuUsage(cpu0);
      fromDue.sort((a, b) => a - b);
      fromSend.sort((a, b) => a - b);
      resolve({ sent: n, ok, failed, statuses, decisions, fromDue, fromSend, maxSendLagMs: maxLag, offeredRate: n / (((n - 1) * interval) / 1000 || 1), elapsedS: (performance.now() - start) / 1000, clientCpuMs: (cpu.user + cpu.system) / 1000 / n, connections: used.size });
    };
    const grow = () => {
      const c = new Conn(job.host, job.port, onIdle, onDead);
      pool.push(c);
      c.ready.then(() => onIdle(c), () => undefined);
    };
    current = {
      // a new connection may have been handed a request before it finished connecting
      onIdle(c) { if (c.busy) return; const q = queue.shift(); if (q) dispatch(c, q.k, q.due); },
      // A connection the server closed takes its in-flight request with it (counted as an error);
      // whatever waits in the queue goes out on a fresh one.
      onDead() { if (queue.length && pool.length < MAX_CONNS) grow(); },
    };
    const dispatch = (c: Conn, k: number, due: number) => {
      used.add(c);
      c.send(wires[k], {
        due, sentAt: 0,
        done(status, body) {
          const end = performance.now();
          fromDue.push(end - due);
          fromSend.push(end - this.sentAt);
          statuses[status || 'error'] = (statuses[status || 'error'] ?? 0) + 1;
          if (status === 200) {
            ok++;
            const d = /"decision":"(\w+)"/.exec(body!.toString('latin1'))?.[1] ?? '?';
            decisions[d] = (decisions[d] ?? 0) + 1;
          } else failed++;
          if (++done === n) finish();
        },
      });
      maxLag = Math.max(maxLag, performance.now() - due);
    };
    const submit = (k: number, due: number) => {
      const idle = pool.find((c) => c.alive && !c.busy);
      if (idle) return dispatch(idle, k, due);
      if (pool.length < MAX_CONNS) grow();
      queue.push({ k, due });
    };
    const tick = () => {
      const now = performance.now();
      while (i < n && start + i * interval <= now) { submit(i, start + i * interval); i++; }
      if (i < n) setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
    };
    tick();
  });
}

process.on('message', async (job: LoadJob | 'exit') => {
  if (job === 'exit') { for (const c of pool) c.close(); process.exit(0); }
  process.send!(await run(job));
});
process.send!('ready');
