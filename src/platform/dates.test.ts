import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInstant } from './dates.ts';

test('an instant is an RFC 3339 date-time with a zone that names a real moment', () => {
  assert.equal(parseInstant('2026-12-03T08:00:00+08:00'), Date.UTC(2026, 11, 3, 0, 0, 0));
  assert.equal(parseInstant('2026-12-03T00:00:00.250Z'), Date.UTC(2026, 11, 3, 0, 0, 0, 250));
  assert.equal(parseInstant('2028-02-29T00:00:00Z'), Date.UTC(2028, 1, 29));
  for (const bad of ['2026-02-30T10:00:00+08:00', '2026-02-29T00:00:00Z', '2026-12-31T23:59:60Z', '2026-13-01T00:00:00Z', '2026-04-31T00:00:00Z',
    '2026-12-03T24:00:00Z', '2026-12-03T08:00:00', '2026-12-03 08:00:00Z', 'Dec 3 2026', '1', '', '2026-12-03T08:00:00+25:00'])
    assert.equal(parseInstant(bad), null, bad);
});
