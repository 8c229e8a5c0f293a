/** The export pages' strings: every key in both languages, and every literal key the pages use defined. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { exportEn, exportZh } from '../web/src/export/strings.ts';

test('export page strings have the same keys in Chinese and English, none empty', () => {
  assert.deepEqual(Object.keys(exportZh).sort(), Object.keys(exportEn).sort());
  for (const [k, v] of [...Object.entries(exportZh), ...Object.entries(exportEn)]) assert.ok(v.trim(), `empty string for ${k}`);
});

test('every literal x.* key used by the export pages is translated', () => {
  const dir = path.join(import.meta.dirname, '../web/src/export');
  const used = new Set<string>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.tsx'))) {
    for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/['`](x\.[A-Za-z0-9_.-]+)['`]/g)) used.add(m[1]);
  }
  assert.ok(used.size > 100, `only ${used.size} keys found: the scan is broken`);
  const missing = [...used].filter((k) => !(k in exportZh));
  assert.deepEqual(missing, []);
});

test('every state, status and reason the API can answer has a label', () => {
  const families: Record<string, string[]> = {
    'x.bs.': ['pending', 'passed', 'failed', 'exhausted', 'expired'],
    'x.cs.': ['valid', 'replaced', 'cancelled', 'expired'],
    'x.as.': ['booked', 'confirmed', 'done', 'rescheduled', 'no_show', 'cancelled'],
    'x.fs.': ['active', 'suspended', 'revoked'],
    'x.src.': ['country', 'codex', 'none'],
    'x.vr.': ['ok', 'no_embedded_certificate', 'malformed', 'unsigned', 'unknown_key', 'bad_signature', 'unsupported_algorithm', 'not_canonical', 'not_on_record'],
    'x.mode.': ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    'x.err.': ['orchard_required', 'orchard_not_registered', 'orchard_suspended', 'orchard_revoked', 'orchard_expired', 'orchard_not_approved_for_destination', 'orchard_not_registered_for_commodity',
      'packing_house_required', 'packing_house_not_registered', 'packing_house_suspended', 'import_permit_missing', 'slot_full', 'general_capacity_full', 'lead_time', 'slot_past', 'over_draw', 'batch_failed', 'mrl_exceeded'],
  };
  const missing = Object.entries(families).flatMap(([p, xs]) => xs.map((x) => p + x)).filter((k) => !(k in exportZh) || !(k in exportEn));
  assert.deepEqual(missing, []);
});
