/**
 * Preloaded into the server by bench/gate.bench.ts (`--import`): times every HTTP request inside
 * the server, from Node's `request` event to the response's `finish`, and watches the event loop's
 * delay. With it the bench can tell the part of the client's round trip spent in the handler from
 * the part outside it (a read waiting for a busy loop, two processes scheduled on shared cores).
 * On SIGUSR2 it writes what it collected since the last signal to $BENCH_TIMING_FILE and starts over.
 */
import fs from 'node:fs';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_TIMING_FILE;
if (file) {
  let durations = [];
  const loop = monitorEventLoopDelay({ resolution: 2 });
  loop.enable();
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, req, res) {
    if (event === 'request') {
      const t0 = performance.now();
      res.once('finish', () => durations.push(performance.now() - t0));
    }
    return emit.apply(this, arguments);
  };
  process.on('SIGUSR2', () => {
    const out = { handlerMs: durations, loopDelayMaxMs: loop.max / 1e6 };
    durations = [];
    loop.reset();
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(out));
    fs.renameSync(`${file}.tmp`, file);
  });
}
