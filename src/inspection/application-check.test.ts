import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkApplication, facilityLookup, type Facility, type InspectionApplication } from './application-check.ts';

const NOW = Date.parse('2026-01-20T02:00:00Z');
const facilities = facilityLookup([
  { regNo: 'QZ-OR-001', name: '永春桃城芦柑果园', kind: 'orchard', status: 'active', approvedDestinations: ['TH', 'MY'], commodities: ['citrus'] },
  { regNo: 'QZ-OR-002', name: 'Suspended orchard', kind: 'orchard', status: 'suspended', approvedDestinations: ['TH'] },
  { regNo: 'QZ-OR-003', name: 'Not listed for TH', kind: 'orchard', status: 'active', approvedDestinations: ['MY'] },
  { regNo: 'QZ-PH-001', name: '永春包装厂', kind: 'packing_house', status: 'active', approvedDestinations: ['TH', 'MY'] },
  { regNo: 'QZ-PH-002', name: 'Expired packing house', kind: 'packing_house', status: 'active', approvedDestinations: ['TH'], validUntil: NOW - 1 },
] satisfies Facility[]);

const base: InspectionApplication = {
  exporter: { name: 'Yongchun Fruit Export Co.' },
  commodity: 'ponkan',
  quantityKg: 26000,
  packages: { count: 2600, typeCode: 'BX' },
  destination: 'TH',
  consignee: { name: 'Bangkok Fresh Co., Ltd.' },
  orchardRegNo: 'QZ-OR-001',
  packingHouseRegNo: 'QZ-PH-001',
  conveyance: { modeCode: 3, name: 'Truck 闽C12345' },
  importPermitNo: 'TH-DOA-2026-77',
};
const codes = (a: InspectionApplication) => checkApplication(a, facilities, NOW).reasons.map((r) => r.code).sort();

test('application: a complete Thailand application passes', () => {
  const r = checkApplication(base, facilities, NOW);
  assert.deepEqual(r.reasons, []);
  assert.equal(r.ok, true);
  assert.equal(r.requirement?.country, 'TH');
});

test('application: facility refusals carry reason codes, all returned at once', () => {
  assert.deepEqual(codes({ ...base, orchardRegNo: 'QZ-OR-002' }), ['orchard_suspended']);
  assert.deepEqual(codes({ ...base, orchardRegNo: 'QZ-OR-003' }), ['orchard_not_approved_for_destination']);
  assert.deepEqual(codes({ ...base, orchardRegNo: 'NOPE' }), ['orchard_not_registered']);
  assert.deepEqual(codes({ ...base, orchardRegNo: undefined, packingHouseRegNo: undefined }), ['orchard_required', 'packing_house_required']);
  assert.deepEqual(codes({ ...base, packingHouseRegNo: 'QZ-PH-002' }), ['packing_house_expired']);
  assert.deepEqual(codes({ ...base, orchardRegNo: 'QZ-OR-002', packingHouseRegNo: 'X', importPermitNo: '' }), [
    'import_permit_missing',
    'orchard_suspended',
    'packing_house_not_registered',
  ]);
});

test('application: import permit, field checks; facilities only refuse where the destination requires them', () => {
  const my = { ...base, destination: 'MY', orchardRegNo: 'QZ-OR-002', importPermitNo: undefined };
  const r = checkApplication(my, facilities, NOW);
  assert.deepEqual(r.reasons.map((x) => x.code), ['import_permit_missing']);
  assert.ok(r.warnings.some((w) => w.startsWith('orchard_suspended')), 'a suspended orchard is still flagged to the officer');
  assert.deepEqual(
    codes({ ...base, exporter: { name: ' ' }, consignee: { name: '' }, commodity: 'durian', quantityKg: 0, packages: { count: 1.5, typeCode: 'box' }, destination: 'Thailand', conveyance: { modeCode: 42 } }),
    ['invalid_conveyance', 'invalid_destination', 'invalid_packages', 'invalid_quantity', 'missing_consignee', 'missing_exporter', 'unknown_commodity'],
  );
  const vn = checkApplication({ ...base, destination: 'VN', importPermitNo: undefined }, facilities, NOW);
  assert.equal(vn.ok, true);
  assert.ok(vn.warnings.some((w) => w.startsWith('requirements_unverified')));
  const id = checkApplication({ ...base, destination: 'ID', orchardRegNo: undefined }, facilities, NOW);
  assert.ok(id.warnings.some((w) => w.startsWith('treatment_required: fumigation')));
});
