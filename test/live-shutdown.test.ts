/** Shutdown does not wait on a live-feed client that stopped reading (a half-closed connection). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { harness } from './harness.ts';

test('the server closes within seconds while a live client never answers the close handshake', async () => {
  const h = await harness('sqlite');
  const token = await h.login('officer.cn');
  await h.p.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = h.p.app.server.address() as net.AddressInfo;
  // a WebSocket upgrade by hand, after which this client reads nothing and answers nothing
  const sock = net.connect(port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  sock.write(`GET /api/v1/live?token=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  const head = await new Promise<string>((r) => sock.once('data', (b) => r(String(b))));
  assert.match(head, /^HTTP\/1\.1 101/);
  sock.pause();
  const t0 = Date.now();
  await h.close();
  const took = Date.now() - t0;
  sock.destroy();
  assert.ok(took < 5000, `close took ${took} ms`);
});
