import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requirementFor, mrlFor, commodityOf, additionalDeclarationFor } from './requirements.ts';
import { assessResidues } from './lab-results.ts';

test('requirements: a commodity finds its group row; unknown country is undefined', () => {
  const my = requirementFor('my', 'ponkan');
  assert.ok(my);
  assert.equal(my.country, 'MY');
  assert.equal(my.importPermitRequired, true);
  assert.ok(my.quarantinePests.includes('Bactrocera dorsalis'));
  assert.equal(requirementFor('TH', '芦柑')?.registeredOrchardRequired, true);
  assert.equal(requirementFor('ZZ', 'ponkan'), undefined);
  assert.equal(commodityOf('芦柑')?.code, 'ponkan');
  assert.match(additionalDeclarationFor(my, { importPermitNo: 'MAQIS-123' })!, /Import Permit No\. MAQIS-123\./);
});

test('MRL: country value first, then Codex, then none — and which source was used', () => {
  assert.deepEqual([mrlFor('EU', 'chlorpyrifos').limit, mrlFor('EU', 'chlorpyrifos').source], [0.01, 'country']);
  assert.deepEqual([mrlFor('MY', 'Imidacloprid').limit, mrlFor('MY', 'Imidacloprid').source], [1, 'codex']);
  assert.deepEqual([mrlFor('SG', 'glyphosate').limit, mrlFor('SG', 'glyphosate').source], [null, 'none']);
});

test('lab results: one residue over the limit fails the batch with the reason', () => {
  const ok = assessResidues('MY', [{ pesticide: 'imidacloprid', mgPerKg: 0.2 }, { pesticide: 'imazalil', mgPerKg: 5 }]);
  assert.equal(ok.pass, true);
  assert.deepEqual(ok.reasons, []);
  const bad = assessResidues('MY', [
    { pesticide: 'imidacloprid', mgPerKg: 0.2 },
    { pesticide: 'prochloraz', mgPerKg: 12.5 },
    { pesticide: 'glyphosate', mgPerKg: 0.1 },
  ]);
  assert.equal(bad.pass, false);
  assert.deepEqual(bad.findings[1], { pesticide: 'prochloraz', value: 12.5, limit: 10, source: 'codex', exceeded: true });
  assert.equal(bad.findings[2].source, 'none');
  assert.equal(bad.findings[2].exceeded, false);
  assert.deepEqual(bad.noLimit, ['glyphosate']);
  assert.deepEqual(bad.reasons, ['mrl_exceeded: prochloraz 12.5 > 10 mg/kg (codex)']);
  const eu = assessResidues('EU', [{ pesticide: 'chlorpyrifos', mgPerKg: 0.02 }]);
  assert.equal(eu.pass, false);
  assert.equal(eu.findings[0].source, 'country');
  assert.throws(() => assessResidues('MY', [{ pesticide: 'x', mgPerKg: Number.NaN }]), (e) => (e as { code: string }).code === 'invalid_residue');
});
