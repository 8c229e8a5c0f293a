import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUscc, usccCheckChar, checkCnPlate, checkHkPlate, checkGeometry, checkContainerNo, checkHsCode } from './validate.ts';

const codeOf = (e: unknown) => (e as { code: string }).code;

test('USCC check character: a published code passes, one changed character fails', () => {
  // A real published code (Bank of China head office).
  assert.equal(checkUscc('uscc', '911000001000013428'), '911000001000013428');
  const good = '91350500MA2Y7XB1Q' + usccCheckChar('91350500MA2Y7XB1Q');
  const bad = good.slice(0, 17) + (good[17] === 'A' ? 'B' : 'A');
  assert.throws(() => checkUscc('uscc', bad), (e) => codeOf(e) === 'invalid_uscc');
});

test('plates: mainland, cross-border and Hong Kong formats', () => {
  assert.equal(checkCnPlate('p', '闽c 12345'), '闽C12345');
  assert.equal(checkCnPlate('p', '粤Z1234港'), '粤Z1234港');
  assert.throws(() => checkCnPlate('plateCn', 'ABC123'), (e) => codeOf(e) === 'invalid_plate' && /plateCn/.test((e as Error).message));
  assert.equal(checkHkPlate('p', 'xy 1234'), 'XY1234');
  assert.throws(() => checkHkPlate('p', 'XY12345'), (e) => codeOf(e) === 'invalid_plate');
});

test('container numbers carry an ISO 6346 check digit', () => {
  assert.equal(checkContainerNo('c', 'CSQU3054383'), 'CSQU3054383');
  assert.throws(() => checkContainerNo('c', 'CSQU3054384'), (e) => codeOf(e) === 'invalid_container_no');
});

test('HS codes have 6, 8 or 10 digits', () => {
  assert.equal(checkHsCode('h', '0805.21'), '080521');
  assert.throws(() => checkHsCode('h', '08052'), (e) => codeOf(e) === 'invalid_hs_code');
});

test('geometry: ranges, closed rings and allowed types are enforced with the failing path', () => {
  assert.deepEqual(checkGeometry('g', { type: 'Point', coordinates: [118.5, 24.8] }, ['Point']).type, 'Point');
  assert.throws(() => checkGeometry('g', { type: 'Point', coordinates: [190, 24] }, ['Point']), (e) => codeOf(e) === 'invalid_coordinates');
  assert.throws(
    () => checkGeometry('area', { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] }, ['Polygon']),
    (e) => codeOf(e) === 'invalid_geometry' && /area\.coordinates\[0\]/.test((e as Error).message),
  );
  assert.throws(() => checkGeometry('g', { type: 'LineString', coordinates: [[0, 0]] }, ['LineString']), (e) => codeOf(e) === 'invalid_geometry');
  assert.throws(() => checkGeometry('g', { type: 'Point', coordinates: [0, 0] }, ['Polygon']), (e) => codeOf(e) === 'invalid_geometry');
});

test('geometry: a ring that crosses or touches itself and a LineString of one repeated position are refused', () => {
  const square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]];
  assert.equal(checkGeometry('g', { type: 'Polygon', coordinates: [square] }, ['Polygon']).type, 'Polygon');
  assert.equal(checkGeometry('g', { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 2], [1, 1], [0, 2], [0, 0]]] }, ['Polygon']).type, 'Polygon', 'concave is fine');
  assert.throws(() => checkGeometry('g', { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] }, ['Polygon']),
    (e) => codeOf(e) === 'invalid_geometry' && /crosses itself/.test((e as Error).message), 'bow-tie');
  assert.throws(() => checkGeometry('g', { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [1, 0], [1, 1], [0, 0]]] }, ['Polygon']),
    (e) => codeOf(e) === 'invalid_geometry', 'an edge running back over another');
  assert.throws(() => checkGeometry('g', { type: 'LineString', coordinates: [[118.5, 24.7], [118.5, 24.7]] }, ['LineString']), (e) => codeOf(e) === 'invalid_geometry');
});
