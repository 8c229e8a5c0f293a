import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LocalBus } from './bus.ts';

describe('LocalBus', () => {
  it('a failing subscriber is reported, and the others and the publisher go on', async () => {
    const reported: Array<[string, string]> = [];
    const bus = new LocalBus((subject, e) => reported.push([subject, (e as Error).message]));
    const got: number[] = [];
    bus.subscribe<number>('s', (n) => got.push(n));
    bus.subscribe<number>('s', (n) => { if (n === 2) throw new Error('bad two'); });
    bus.subscribe<number>('s', (n) => got.push(n * 10));
    let uncaught: unknown = null;
    const onUncaught = (e: unknown) => { uncaught = e; };
    process.on('uncaughtException', onUncaught);
    try {
      for (const n of [1, 2, 3]) bus.publish('s', n);
      await new Promise((r) => setImmediate(r)); // a re-throw on a microtask would have surfaced by now
    } finally { process.off('uncaughtException', onUncaught); }
    assert.deepEqual(got, [1, 10, 2, 20, 3, 30]);
    assert.deepEqual(reported, [['s', 'bad two']]);
    assert.equal(bus.failures.get('s'), 1);
    assert.equal(uncaught, null);
  });

  it('a reporter that throws changes nothing for the other subscribers', () => {
    const bus = new LocalBus(() => { throw new Error('reporter down'); });
    const got: string[] = [];
    bus.subscribe<string>('s', () => { throw new Error('x'); });
    bus.subscribe<string>('s', (m) => got.push(m));
    bus.publish('s', 'a');
    assert.deepEqual(got, ['a']);
  });

  it('unsubscribe stops delivery to that handler only', () => {
    const bus = new LocalBus();
    const got: string[] = [];
    const off = bus.subscribe<string>('s', (m) => got.push(`a:${m}`));
    bus.subscribe<string>('s', (m) => got.push(`b:${m}`));
    bus.publish('s', '1');
    off();
    bus.publish('s', '2');
    assert.deepEqual(got, ['a:1', 'b:1', 'b:2']);
  });
});
