import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextState, TRANSITIONS, TRIP_STATES, TRIP_ACTIONS, type TripState } from './lifecycle.ts';

test('every (state, action) pair is either the table target or a 409 illegal_transition', () => {
  let legal = 0, illegal = 0;
  for (const s of TRIP_STATES) {
    for (const a of TRIP_ACTIONS) {
      const rule = TRANSITIONS[a];
      if (rule.from.includes(s)) {
        const to = nextState(s, a, 'at_boundary');
        assert.equal(to, rule.to === 'previous' ? 'at_boundary' : rule.to);
        legal++;
      } else {
        assert.throws(() => nextState(s, a), (e: any) => e.status === 409 && e.code === 'illegal_transition');
        illegal++;
      }
    }
  }
  assert.ok(legal > 20 && illegal > 100);
});

test('the main export path walks draft to closed', () => {
  const path: Array<[string, TripState]> = [
    ['submit', 'submitted'], ['accept', 'accepted'], ['seal', 'sealed'], ['depart', 'in_transit'], ['arrive_boundary', 'at_boundary'],
    ['handover', 'handed_over'], ['arrive', 'arrived'], ['unseal', 'unsealed'], ['close', 'closed'],
  ];
  let s: TripState = 'draft';
  for (const [a, want] of path) assert.equal((s = nextState(s, a as any)), want);
});

test('closed and cancelled are terminal', () => {
  for (const a of TRIP_ACTIONS) {
    assert.throws(() => nextState('closed', a));
    assert.throws(() => nextState('cancelled', a));
  }
});
