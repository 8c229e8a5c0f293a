import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { decodeHexToJson, runDecodeCli } from './decode-json.ts';
import { VECTORS } from './fixtures/vectors.ts';

const hexOf = (id: string) => VECTORS.find((v) => v.id === id)!.hex;

async function cli(args: string[], input = '') {
  const lines: string[] = [];
  const code = await runDecodeCli(args, Readable.from([input]), (l) => lines.push(l));
  return { code, lines, json: lines.map((l) => JSON.parse(l)) };
}

describe('decodeHexToJson', () => {
  it('0x0200 (G1): the fields the CLI promises', () => {
    const j = decodeHexToJson(hexOf('G1')) as Record<string, any>;
    assert.equal(j.msgId, '0x0200');
    assert.equal(j.version, 2013);
    assert.equal(j.terminalId, '013833501744');
    assert.equal(j.serial, 25);
    assert.equal(j.package, null);
    const b = j.body;
    assert.deepEqual([b.alarm, b.status, b.latitude, b.longitude, b.altitudeM, b.speedKmh, b.heading, b.time], [0, 0xc2, 22.6426, 114.032984, 128, 0, 8, '2015-08-18T07:21:21+08:00']);
    assert.deepEqual(b.items[0], { id: '0x01', raw: '000002f5', name: 'mileageKm', value: 75.7 });
    assert.equal(b.lock, undefined, 'lock only with a profile');
  });
  it('south/west negative (G3) and a zone option', () => {
    const b = (decodeHexToJson(hexOf('G3'), { zone: '+05:00' }) as any).body;
    assert.equal(b.latitude, -19.591535);
    assert.equal(b.longitude, -46.912186);
    assert.equal(b.time, '2015-01-01T19:42:57+05:00');
  });
  it('0x0704 (H7): type and locations', () => {
    const b = (decodeHexToJson(hexOf('H7')) as any).body;
    assert.equal(b.type, 0);
    assert.equal(b.locations.length, 2);
    assert.equal(b.locations[1].time, '2018-07-15T10:10:30+08:00');
  });
  it('lock events with a profile (L1)', () => {
    const b = (decodeHexToJson(hexOf('L1'), { profile: 'a1l808' }) as any).body;
    assert.equal(b.lock.find((e: any) => e.source === 'item 0xD5').event, 'unsealed');
    assert.equal(b.batteryPct, 83);
  });
  it('2019 and package fields', () => {
    const j = decodeHexToJson(hexOf('K7')) as any;
    assert.equal(j.version, 2019);
    assert.equal(j.protocolVersion, 1);
    assert.deepEqual(j.body, { originalSerial: 111, packageIds: [2, 3, 4] });
    assert.deepEqual((decodeHexToJson(hexOf('K3')) as any).package, { total: 26, index: 2 });
  });
  it('rejections carry the stable codes', () => {
    for (const [id, code] of [['B1', 'bad_checksum'], ['B2', 'length_mismatch'], ['B3', 'truncated_header'], ['B4', 'truncated_header'], ['B5', 'bad_checksum']]) {
      assert.equal((decodeHexToJson(hexOf(id!)) as any).error.code, code, id);
    }
    assert.equal((decodeHexToJson('7e307d03557e') as any).error.code, 'bad_escape');
    assert.equal((decodeHexToJson('7e0g7e') as any).error.code, 'bad_hex');
    assert.equal((decodeHexToJson('  ') as any).error.code, 'empty_input');
  });
});

describe('runDecodeCli', () => {
  it('one frame as argument: JSON and exit 0', async () => {
    const r = await cli([hexOf('C1')]);
    assert.equal(r.code, 0);
    assert.equal(r.lines.length, 1);
    assert.equal(r.json[0].msgId, '0x0002');
  });
  it('a rejected frame: error object and exit 1', async () => {
    const r = await cli([hexOf('B1')]);
    assert.equal(r.code, 1);
    assert.deepEqual(Object.keys(r.json[0]), ['error']);
    assert.equal(r.json[0].error.code, 'bad_checksum');
    assert.equal(typeof r.json[0].error.message, 'string');
  });
  it('stdin: exactly one line per input line, in order, errors and blank lines included; exit 0', async () => {
    const input = [hexOf('C1'), hexOf('B2'), '', hexOf('G1'), 'zz'].join('\r\n') + '\n';
    const r = await cli(['--profile', 'customs-elock'], input);
    assert.equal(r.code, 0);
    assert.deepEqual(r.json.map((j) => j.msgId ?? j.error.code), ['0x0002', 'length_mismatch', 'empty_input', '0x0200', 'bad_hex']);
    assert.ok(Array.isArray(r.json[3].body.lock));
  });
  it('bad options: exit 1 with an error object', async () => {
    assert.equal((await cli(['--profile=nope', hexOf('C1')])).json[0].error.code, 'unknown_profile');
    assert.equal((await cli(['--zone', '8', hexOf('C1')])).code, 1);
    assert.equal((await cli(['--frobnicate'])).json[0].error.code, 'bad_argument');
  });
});
