import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalBus } from '../platform/bus.ts';
import { POSITIONS_STORED } from '../platform/db/position-writer.ts';
import { LiveHub, type LiveEvent } from './live-hub.ts';
import { LiveClient, MAX_BUFFERED_BYTES } from './live-routes.ts';

/** The peer: a WebSocket that records what it is sent. */
const peer = () => { const sent: any[] = []; const socket = { readyState: 1, bufferedAmount: 0, terminated: false, send: (x: string) => sent.push(JSON.parse(x)), terminate() { this.terminated = true; this.readyState = 3; } }; return { sent, socket: socket as any }; };
const turn = () => new Promise((r) => setImmediate(r));
const position = (id: number, tripId: string): LiveEvent => ({ id, kind: 'position', tripId, enterpriseId: null, lon: 118, lat: 24, data: { tripId } });
const alert = (id: number): LiveEvent => ({ id, kind: 'alert', tripId: 't1', enterpriseId: null, lon: null, lat: null, data: { id: `a${id}` } });
/** A hub whose buffer holds `n` stored positions (ids 1…n), the i-th for trip t<tripOf(i)>. */
const hubWith = (n: number, capacity: number, tripOf = (i: number) => i) => {
  const bus = new LocalBus();
  const hub = new LiveHub(bus, capacity);
  bus.publish(POSITIONS_STORED, Array.from({ length: n }, (_, i) => ({ tripId: `t${tripOf(i)}`, enterpriseId: null, lon: 118, lat: 24, deviceId: 'd', terminalId: 'x', fixTime: 0, speedKmh: 0, heading: 0, batteryPct: null, lockEvents: [], late: false })));
  return hub;
};

test('a replay of the whole buffer goes out in order, a chunk per turn of the loop, then the confirmation', async () => {
  const hub = hubWith(3000, 5000);
  const { sent, socket } = peer();
  const c = new LiveClient(socket, { positions: 'none', alerts: false, enterpriseId: null });
  c.onMessage(JSON.stringify({ subscribe: { positions: 'all', alerts: true }, lastEventId: 0 }), hub);
  assert.equal(sent.length, 256, 'one chunk before the loop turns');
  // An alert raised meanwhile waits behind the replay: ids only grow, so a client that reconnects
  // with the last one it saw cannot skip the rest of the replay.
  c.offer(alert(9999));
  assert.notEqual(sent.at(-1).kind, 'alert');
  let turns = 0;
  while (!sent.some((m) => m.kind === 'alert')) { await turn(); turns++; }
  assert.ok(turns >= 11, `3,000 events took ${turns} turns`);
  const ids = sent.filter((m) => m.type === 'event').map((m) => m.id);
  assert.deepEqual(ids, [...Array.from({ length: 3000 }, (_, i) => i + 1), 9999], 'every event, in order, then the alert');
  assert.deepEqual(sent.slice(-2).map((m) => m.type), ['subscribed', 'event']);
});

test('an alert is not held behind a throttle window; a new subscription drops what the old one still had to send', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { sent, socket } = peer();
  const c = new LiveClient(socket, { positions: 'all', alerts: true, enterpriseId: null });
  c.onMessage(JSON.stringify({ subscribe: { positions: 'all', alerts: true }, throttleMs: 250 }), new LiveHub(new LocalBus()));
  sent.length = 0;
  for (let i = 0; i < 1000; i++) c.offer(position(i + 1, `t${i}`));
  t.mock.timers.tick(250);
  c.offer(alert(5000));
  assert.equal(sent.length, 257); assert.equal(sent.at(-1).kind, 'alert', 'ahead of the window\'s other 744 positions');
  c.onMessage(JSON.stringify({ subscribe: { positions: 'none', alerts: true } }), new LiveHub(new LocalBus()));
  for (let i = 0; i < 10; i++) await turn();
  assert.deepEqual(sent.slice(257).map((m) => m.type), ['subscribed'], 'the rest of the old window is not sent');
});

test('a throttle window of many trips is sent over several turns; a closed client stops', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] }); // the throttle timer; setImmediate (the loop's turns) stays real
  const { sent, socket } = peer();
  const c = new LiveClient(socket, { positions: 'all', alerts: true, enterpriseId: null });
  c.onMessage(JSON.stringify({ subscribe: { positions: 'all' }, throttleMs: 250 }), new LiveHub(new LocalBus()));
  sent.length = 0;
  for (let i = 0; i < 1000; i++) c.offer(position(i + 1, `t${i % 600}`)); // 600 trips, the latest fix of each
  t.mock.timers.tick(250);
  assert.equal(sent.length, 256, 'the window opens with one chunk');
  while (sent.length < 600) await turn();
  assert.deepEqual(sent.map((m) => m.id), Array.from({ length: 600 }, (_, i) => 400 + i + 1), 'one per trip, the latest, in event order');
  // a window due while the last one is still going out waits; meanwhile only the latest fix per trip is kept
  for (let i = 0; i < 1000; i++) c.offer(position(2000 + i, `t${i}`));
  t.mock.timers.tick(250);
  assert.equal(sent.length, 856);
  for (let i = 0; i < 1000; i++) c.offer(position(4000 + i, `t${i}`));
  t.mock.timers.tick(250); // the second window is still draining: this one is put off
  while (sent.length < 1600) await turn();
  t.mock.timers.tick(250);
  assert.equal(sent.length, 1856);
  assert.deepEqual(sent.slice(1600, 1602).map((m) => m.id), [4000, 4001], 'the put-off window has the latest fixes');
  c.close();
  for (let i = 0; i < 10; i++) await turn();
  assert.equal(sent.length, 1856, 'nothing after close but the chunk already sent');
});

test('after a replay, alerts that waited behind it keep their order; a follower\'s fixes during a replay come after it, in order', async () => {
  const hub = hubWith(1000, 5000, (i) => i % 50);
  const tripIds = Array.from({ length: 50 }, (_, i) => `t${i}`);
  // a map client (throttled): alerts offered during the replay wait behind it, and so does one offered right after its confirmation
  {
    const { sent, socket } = peer();
    const c = new LiveClient(socket, { positions: 'none', alerts: false, enterpriseId: null });
    c.onMessage(JSON.stringify({ subscribe: { positions: 'all', alerts: true }, throttleMs: 1000, lastEventId: 0 }), hub);
    for (let i = 0; i < 300; i++) c.offer(alert(2000 + i));
    while (!sent.some((m) => m.type === 'subscribed')) await turn();
    c.offer(alert(9999));
    while (!sent.some((m) => m.id === 9999)) await turn();
    const ids = sent.filter((m) => m.type === 'event').map((m) => m.id);
    assert.deepEqual(ids, [...Array.from({ length: 1000 }, (_, i) => i + 1), ...Array.from({ length: 300 }, (_, i) => 2000 + i), 9999], 'ids only grow');
    c.offer(alert(10_000));
    assert.equal(sent.at(-1).id, 10_000, 'once drained, an alert goes out at once');
    c.close();
  }
  // a follower (unthrottled): fixes offered during the replay come after it, in order
  {
    const { sent, socket } = peer();
    const c = new LiveClient(socket, { positions: 'none', alerts: false, enterpriseId: null });
    c.onMessage(JSON.stringify({ subscribe: { positions: { tripIds }, alerts: true }, throttleMs: 0, lastEventId: 0 }), hub);
    for (let i = 0; i < 300; i++) c.offer(position(2000 + i, `t${i % 50}`));
    while (!sent.some((m) => m.id === 2299)) await turn();
    assert.deepEqual(sent.filter((m) => m.type === 'event').map((m) => m.id), [...Array.from({ length: 1000 }, (_, i) => i + 1), ...Array.from({ length: 300 }, (_, i) => 2000 + i)]);
    c.offer(position(10_000, 't3'));
    assert.equal(sent.at(-1).id, 10_000, 'once drained, a fix goes out at once');
    c.close();
  }
});

test('a bad lastEventId is refused with a code and changes nothing; an ID this hub never gave out (a restart) is a gap', () => {
  const hub = hubWith(1, 100);
  const { sent, socket } = peer();
  const c = new LiveClient(socket, { positions: 'none', alerts: false, enterpriseId: null });
  for (const bad of [0.5, -1, '3', Number.MAX_VALUE]) {
    c.onMessage(JSON.stringify({ subscribe: { positions: 'all' }, lastEventId: bad }), hub);
    assert.deepEqual(sent.at(-1), { type: 'error', code: 'bad_last_event_id', message: 'lastEventId must be a whole number ≥ 0 (the id of the last event received)' }, String(bad));
  }
  assert.equal(sent.length, 4, 'no replay, no confirmation');
  assert.deepEqual(hub.since(0), { events: [hub.since(0).events[0]!], gap: false });
  assert.equal(hub.since(1).gap, false);
  assert.deepEqual(hub.since(50_000), { events: [], gap: true }, 'resuming from before a restart');
  c.onMessage(JSON.stringify({ subscribe: { positions: 'all' }, lastEventId: 50_000 }), hub);
  assert.deepEqual(sent.slice(4).map((m) => m.type), ['gap', 'subscribed']);
});

test('a client that stops reading is closed once too much waits for it, instead of being buffered for without end', async () => {
  const hub = hubWith(2000, 5000);
  const { sent, socket } = peer();
  const c = new LiveClient(socket, { positions: 'none', alerts: false, enterpriseId: null });
  c.onMessage(JSON.stringify({ subscribe: { positions: 'all', alerts: true }, lastEventId: 0 }), hub);
  assert.equal(sent.length, 256);
  socket.bufferedAmount = MAX_BUFFERED_BYTES + 1; // the peer has stopped reading
  for (let i = 0; i < 10; i++) await turn();
  assert.equal(socket.terminated, true);
  assert.equal(sent.length, 256, 'nothing more queued for it');
  c.offer(alert(9999));
  assert.equal(sent.length, 256);
});
