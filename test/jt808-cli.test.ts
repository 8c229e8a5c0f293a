/** `onelock jt808 decode` as a user runs it: a subprocess, exit codes and stdout lines. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/onelock.js', import.meta.url));
const run = (args: string[], input?: string) => spawnSync(process.execPath, [bin, 'jt808', 'decode', ...args], { input, encoding: 'utf8', env: { ...process.env, ONELOCK_LOG_LEVEL: 'silent' } });
const A4 = '7e02000026123456789012007d02000000010000000200ba7f0e07e4f11c0028003c00001810151010100104000000640202007d01137e';

describe('onelock jt808 decode (subprocess)', () => {
  it('prints one JSON object for a good frame and exits 0', () => {
    const r = run([A4]);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.msgId, '0x0200'); assert.equal(j.terminalId, '123456789012'); assert.equal(j.serial, 126); assert.equal(j.package, null);
    assert.equal(typeof j.body.latitude, 'number');
  });
  it('exits 1 with an error object on a bad frame', () => {
    const bad = A4.slice(0, -4) + '14' + '7e';
    const r = run([bad]);
    assert.equal(r.status, 1);
    assert.deepEqual(Object.keys(JSON.parse(r.stdout)), ['error']);
    assert.equal(JSON.parse(r.stdout).error.code, 'bad_checksum');
  });
  it('stdin mode: exactly one JSON line per input line, in order, errors included, exit 0', () => {
    const r = run([], `${A4}\nzz\n\n${A4}\n`);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    const js = lines.map((l) => JSON.parse(l));
    assert.equal(js[0].msgId, '0x0200'); assert.equal(js[1].error.code, 'bad_hex'); assert.ok(js[2].error); assert.equal(js[3].serial, 126);
  });
});
