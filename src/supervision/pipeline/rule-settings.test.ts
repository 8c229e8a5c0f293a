import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRuleOverrides } from './rule-settings.ts';

test('route rule overrides name real rule settings: inherited object keys are unknown, not settings', () => {
  for (const k of ['toString', 'hasOwnProperty', '__proto__', 'constructor'])
    assert.throws(() => checkRuleOverrides(JSON.parse(`{"${k}": 5}`)), (e: any) => e.code === 'unknown_rule_setting', k);
  assert.throws(() => checkRuleOverrides({ corridorWidthM: -1 }), /non-negative/);
});
