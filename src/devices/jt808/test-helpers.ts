/** Shared by the codec's tests: partial deep matching (a field expected as `undefined` must be absent). */
import assert from 'node:assert/strict';

export function expectSubset(actual: unknown, expected: unknown, path = '$'): void {
  if (expected === undefined) {
    assert.equal(actual, undefined, `${path} should be absent`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path} should be an array`);
    assert.equal(actual.length, expected.length, `${path}.length`);
    expected.forEach((e, i) => expectSubset(actual[i], e, `${path}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${path} should be an object`);
    const keys = Object.keys(expected);
    if (keys.length === 0 && !Array.isArray(actual)) assert.deepEqual(actual, {}, `${path} should be empty`);
    for (const k of keys) expectSubset((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  assert.deepEqual(actual, expected, path);
}
