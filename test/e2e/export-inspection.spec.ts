import { test, expect } from '@playwright/test';
import { auth, login, token } from './session.ts';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Export inspection end to end in Debian's Chromium against a real server: the exporter applies and books,
 * the officer inspects, tests and certifies, anyone verifies without logging in. The registers the flow
 * needs (an inspection site, a registered orchard) are created here through the API, not taken from seed data.
 */
test.describe.configure({ mode: 'serial' });

const stamp = Date.now().toString(36).toUpperCase();
/** Tomorrow at the site (UTC+8), so no slot is in the past or inside the lead time. */
const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
const slotStartUtc = (hh: number) => new Date(Date.parse(`${tomorrow}T${String(hh).padStart(2, '0')}:00:00+08:00`)).toISOString();

let siteId = '', orchardRegNo = '', applicationId = '', passedBatchId = '', certNumber = '';

test('an exporter lodges an inspection application; a refused one shows the reasons', async ({ page, request }) => {
  const [sup, officer, exporter] = await Promise.all(['supervisor', 'officer.cn', 'yongchun.fruit'].map((u) => token(request, u)));
  const ent = (await (await request.get('/api/v1/auth/me', { headers: auth(exporter) })).json()).enterpriseId;
  const site = await request.post('/api/v1/inspection-sites', { headers: auth(sup), data: { name: `E2E Yongchun site ${stamp}`, office: 'CN-QZ', capacityPerSlot: 4, perishableReserve: 0.25 } });
  expect(site.ok(), await site.text()).toBeTruthy();
  siteId = (await site.json()).id;
  orchardRegNo = `QZ-OR-E2E-${stamp}`;
  const o = await request.post('/api/v1/orchards', { headers: auth(officer), data: { regNo: orchardRegNo, name: `永春桃城果园 ${stamp}`, enterpriseId: ent, location: { type: 'Point', coordinates: [118.29, 25.32] }, approvedDestinations: ['MY', 'SG'] } });
  expect(o.ok(), await o.text()).toBeTruthy();

  await login(page, 'yongchun.fruit');
  await page.locator('a[data-nav=exports]').click();
  await expect(page.locator('a[data-tab=apply]')).toHaveClass(/on/);
  const form = page.getByTestId('apply-form');
  // the browser refuses an empty form before anything is sent
  await page.getByTestId('apply-submit').click();
  await expect(form.locator('[data-error-for=consigneeName]')).toBeVisible();
  await expect(form.locator('[data-error-for=quantityKg]')).toBeVisible();

  // Thailand needs a registered orchard and packing house: unregistered numbers are refused by the server, with every reason
  await form.locator('select[name=destination]').selectOption('TH');
  await expect(page.getByTestId('requirement-summary')).toContainText('须注册果园');
  await form.locator('input[name=quantityKg]').fill('20000');
  await form.locator('input[name=packageCount]').fill('2000');
  await form.locator('input[name=consigneeName]').fill('Bangkok Fresh Fruit Co., Ltd.');
  await form.locator('input[name=orchardRegNo]').fill('QZ-OR-NOT-REGISTERED');
  await form.locator('input[name=packingHouseRegNo]').fill('QZ-PH-NOT-REGISTERED');
  await form.locator('input[name=importPermitNo]').fill('DOA-2026-0042');
  await page.getByTestId('apply-submit').click();
  const problem = form.getByTestId('problem');
  await expect(problem).toHaveAttribute('data-code', 'application_refused');
  await expect(problem.locator('li[data-reason=orchard_not_registered]')).toContainText('果园未注册');
  await expect(problem.locator('li[data-reason=orchard_not_registered]')).toContainText('QZ-OR-NOT-REGISTERED is not registered');
  await expect(problem.locator('li[data-reason=packing_house_not_registered]')).toBeVisible();
  await expect(form.locator('[data-error-for=orchardRegNo]')).toContainText('not registered');
  await page.screenshot({ path: 'test-results/export-apply-refused.png', fullPage: true });

  // Malaysia with the registered orchard and the import permit is lodged
  await form.locator('select[name=destination]').selectOption('MY');
  await form.locator('input[name=quantityKg]').fill('26000');
  await form.locator('input[name=packageCount]').fill('2600');
  await form.locator('input[name=consigneeName]').fill('Importer Sdn Bhd');
  await form.locator('input[name=orchardRegNo]').fill(orchardRegNo);
  await form.locator('input[name=packingHouseRegNo]').fill('');
  await form.locator('input[name=importPermitNo]').fill('MAQIS-2026-001');
  await form.locator('input[name=pointOfEntryName]').fill('Port Klang');
  await form.locator('input[name=pointOfEntryLocode]').fill('MYPKG');
  await page.getByTestId('apply-submit').click();
  await expect(page.getByTestId('apply-msg')).toContainText('申请已受理');
  applicationId = (await page.getByTestId('apply-msg').locator('b').textContent())!;
  expect(applicationId).toMatch(/^iap_/);
  await expect(page.locator(`tr[data-application="${applicationId}"]`)).toContainText('鲜活易腐');
  // The destination filter asks the server; Thailand lists none of this Malaysian application.
  const destination = page.locator('div:has(> [data-testid=applications]) > .toolbar select').first();
  const asked = page.waitForRequest((r) => r.url().includes('/api/v1/inspection-applications?') && r.url().includes('destination=TH'));
  await destination.selectOption('TH');
  await asked;
  await expect(page.locator(`tr[data-application="${applicationId}"]`)).toHaveCount(0);
  await destination.selectOption('MY');
  await expect(page.locator(`tr[data-application="${applicationId}"]`)).toBeVisible();
  await destination.selectOption('');
  const a = await (await request.get(`/api/v1/inspection-applications/${applicationId}`, { headers: auth(exporter) })).json();
  expect(a).toMatchObject({ state: 'lodged', destination: 'MY', quantityKg: 26000, orchardRegNo, perishable: true, consignee: { name: 'Importer Sdn Bhd' }, pointOfEntry: { locode: 'MYPKG', name: 'Port Klang' } });
});

test('the exporter books a green-channel slot, reschedules and cancels it', async ({ page, request }) => {
  const exporter = await token(request, 'yongchun.fruit');
  await login(page, 'yongchun.fruit');
  await page.goto(`/#/exports/appointments/${applicationId}`);
  await page.locator('select[name=siteId]').selectOption(siteId);
  await page.locator('input[name=day]').fill(tomorrow);
  await expect(page.getByTestId('green-channel')).toBeVisible();
  await expect(page.locator('.slot')).toHaveCount(24);
  await expect(page.locator('.slot[data-slot="10:00"]')).toContainText('0/4');
  await page.locator('.slot[data-slot="10:00"]').click();
  await page.getByTestId('book').click();
  await expect(page.getByTestId('appointment-msg')).toContainText('已预约');
  await expect(page.locator('.slot[data-slot="10:00"]')).toContainText('1/4');
  const row = page.locator('tr[data-appointment]').first();
  await expect(row).toContainText('绿色通道');
  await expect(row.getByTestId('appointment-state')).toHaveText('已预约');
  const first = await row.getAttribute('data-appointment');
  await page.screenshot({ path: 'test-results/export-appointment.png', fullPage: true });

  await row.getByRole('button', { name: '改约' }).click();
  await page.locator('.slot[data-slot="11:00"]').click();
  await page.getByTestId('move-here').click();
  await expect(page.getByTestId('appointment-msg')).toContainText('已改约');
  await expect(page.locator(`tr[data-appointment="${first}"]`).getByTestId('appointment-state')).toHaveText('已改约');
  await expect(page.locator('.slot[data-slot="10:00"]')).toContainText('0/4');
  await expect(page.locator('.slot[data-slot="11:00"]')).toContainText('1/4');
  const moved = page.locator('tr[data-appointment][data-state=booked]').first();
  const movedId = await moved.getAttribute('data-appointment');
  const slots = (await (await request.get(`/api/v1/inspection-sites/${siteId}/slots?day=${tomorrow}`, { headers: auth(exporter) })).json()).items;
  expect(slots.find((s: any) => s.start === slotStartUtc(11))).toMatchObject({ booked: 1, bookedPerishable: 1 });
  expect(slots.find((s: any) => s.start === slotStartUtc(10))).toMatchObject({ booked: 0 });

  await moved.getByRole('button', { name: '取消预约' }).click();
  await expect(page.locator(`tr[data-appointment="${movedId}"]`).getByTestId('appointment-state')).toHaveText('已取消');
  await expect(page.locator('.slot[data-slot="11:00"]')).toContainText('0/4');
});

test('an officer opens a batch, records inspection and lab results, and issues a certificate; an over-MRL batch cannot be certified', async ({ page, request }) => {
  const exporter = await token(request, 'yongchun.fruit');
  await login(page, 'officer.cn');
  // the queue (applications still without a batch) is filtered by the server
  const queue = page.waitForRequest((r) => r.url().includes('/api/v1/inspection-applications?') && r.url().includes('batched=false'));
  await page.locator('a[data-nav=exports]').click();
  await queue;
  await expect(page.locator('a[data-tab=queue]')).toHaveClass(/on/);
  await page.locator(`tr[data-application="${applicationId}"]`).getByTestId('open-batch').click();
  await page.getByTestId('open-batch-submit').click();
  await expect(page.getByTestId('batch-page')).toBeVisible();
  await expect(page.getByTestId('batch-state')).toHaveText('待检');
  passedBatchId = page.url().split('/').at(-1)!;

  await page.getByTestId('inspection-form').locator('input[name=sampleId]').fill('S-E2E-1');
  await page.getByTestId('inspection-submit').click();
  await expect(page.getByTestId('inspection-record')).toContainText('S-E2E-1');
  const lab = page.getByTestId('lab-form');
  await lab.locator('input[name=lab]').fill('Quanzhou Technical Centre lab');
  await lab.locator('input[name="residues.0.pesticide"]').fill('imidacloprid');
  await lab.locator('input[name="residues.0.mgPerKg"]').fill('0.3');
  await lab.getByRole('button', { name: '添加农药' }).click();
  await lab.locator('input[name="residues.1.pesticide"]').fill('imazalil');
  await lab.locator('input[name="residues.1.mgPerKg"]').fill('1.2');
  await expect(lab).toContainText('1 (CAC国际标准)');
  await page.getByTestId('lab-submit').click();
  await expect(page.getByTestId('batch-state')).toHaveText('合格');
  await expect(page.getByTestId('lab-result')).toHaveAttribute('data-pass', 'true');

  const issue = page.getByTestId('issue-form');
  await issue.locator('input[name=certQuantityKg]').fill('13000');
  await issue.locator('input[name=shipmentRef]').fill('CSQU3054383');
  await page.getByTestId('issue-submit').click();
  await expect(page.getByTestId('issued-msg')).toContainText(/CN-QZ-\d{4}-\d{6}/);
  certNumber = (await page.getByTestId('issued-msg').locator('b').textContent())!;
  await expect(page.getByTestId('remaining').first()).toContainText('13,000 kg');
  await expect(page.getByTestId('certificates').locator(`tr[data-certificate="${certNumber}"]`)).toContainText('有效');
  await expect(page.getByTestId('write-offs')).toContainText('CSQU3054383');
  await page.screenshot({ path: 'test-results/export-batch-passed.png', fullPage: true });

  // a second application whose residue is over the MRL: the batch fails with the reason and offers no certificate
  const a2 = await request.post('/api/v1/inspection-applications', { headers: auth(exporter), data: { commodity: 'ponkan', quantityKg: 5000, packages: { count: 500, typeCode: 'BX' }, destination: 'MY', consignee: { name: 'Importer Sdn Bhd' }, conveyance: { modeCode: 1 }, importPermitNo: 'MAQIS-2026-002' } });
  expect(a2.ok(), await a2.text()).toBeTruthy();
  const app2 = (await a2.json()).id;
  await page.goto('/#/exports/queue');
  await page.locator(`tr[data-application="${app2}"]`).getByTestId('open-batch').click();
  await page.getByTestId('open-batch-submit').click();
  await expect(page.getByTestId('batch-state')).toHaveText('待检');
  await page.getByTestId('inspection-form').locator('input[name=sampleId]').fill('S-E2E-2');
  await page.getByTestId('inspection-submit').click();
  await lab.locator('input[name=lab]').fill('Quanzhou Technical Centre lab');
  await lab.locator('input[name="residues.0.pesticide"]').fill('imidacloprid');
  await lab.locator('input[name="residues.0.mgPerKg"]').fill('2.5');
  await expect(lab.locator('tr.fail')).toContainText('超过限量');
  await page.getByTestId('lab-submit').click();
  await expect(page.getByTestId('batch-state')).toHaveText('不合格');
  await expect(page.getByTestId('failure-reasons')).toContainText('mrl_exceeded: imidacloprid 2.5 > 1 mg/kg (codex)');
  await expect(page.locator('tr[data-pesticide=imidacloprid]')).toHaveAttribute('data-exceeded', 'true');
  await expect(page.locator('tr[data-pesticide=imidacloprid]')).toContainText('超过限量');
  await expect(page.getByTestId('issue-form')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/export-batch-failed.png', fullPage: true });
});

test('the exporter follows its batch and downloads its certificate as PDF and XML', async ({ page }) => {
  await login(page, 'yongchun.fruit');
  await page.goto('/#/exports/batches');
  await expect(page.locator(`tr[data-batch="${passedBatchId}"]`)).toContainText('13,000 kg');
  await expect(page.locator(`tr[data-batch="${passedBatchId}"]`)).toContainText('合格');
  await page.locator('a[data-tab=certificates]').click();
  const row = page.locator(`tr[data-certificate="${certNumber}"]`);
  await expect(row.getByTestId('certificate-status')).toHaveText('有效');
  await expect(row.getByTestId('replace')).toHaveCount(0); // officers only
  const [pdf] = await Promise.all([page.waitForEvent('download'), row.getByTestId('download-pdf').click()]);
  expect(pdf.suggestedFilename()).toBe(`${certNumber}.pdf`);
  await pdf.saveAs('test-results/certificate.pdf');
  expect(fs.readFileSync('test-results/certificate.pdf').subarray(0, 5).toString()).toBe('%PDF-');
  const [xml] = await Promise.all([page.waitForEvent('download'), row.getByTestId('download-xml').click()]);
  await xml.saveAs('test-results/certificate.xml');
  expect(fs.readFileSync('test-results/certificate.xml', 'utf8')).toContain(certNumber);
});

test('public verification without login: by number, by uploaded PDF or tampered XML, and the QR code page', async ({ page, baseURL }) => {
  await page.goto('/');
  await page.getByTestId('public-verify').click();
  await page.locator('input[name=number]').fill(certNumber.toLowerCase());
  await page.getByTestId('verify-number').click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'valid');
  await expect(page.getByTestId('verdict')).toContainText('签名有效');
  await expect(page.getByTestId('signed-content')).toContainText('Importer Sdn Bhd');
  await expect(page.getByTestId('signed-content')).toContainText('13000 kg');
  await expect(page.getByTestId('signed-content')).toContainText('MAQIS-2026-001');
  await page.screenshot({ path: 'test-results/export-verify-valid.png', fullPage: true });

  await page.getByTestId('verify-file').setInputFiles('test-results/certificate.pdf');
  await expect(page.getByTestId('upload-result')).toHaveAttribute('data-valid', 'true');
  await expect(page.getByTestId('upload-verdict')).toContainText('有效');
  const forged = fs.readFileSync('test-results/certificate.xml', 'utf8').replace('Importer Sdn Bhd', 'Someone Else Ltd');
  await page.getByTestId('verify-file').setInputFiles({ name: 'forged.xml', mimeType: 'application/xml', buffer: Buffer.from(forged) });
  await expect(page.getByTestId('upload-result')).toHaveAttribute('data-valid', 'false');
  await expect(page.getByTestId('upload-verdict')).toContainText('已被篡改');

  // The QR code on the PDF points at the server page /verify/<number>, which needs no script and no login.
  let qrPath = `/verify/${certNumber}`;
  try {
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', 'test-results/certificate.pdf', '-'], { encoding: 'utf8' });
    qrPath = new URL(text.match(/Verify:\s*(\S+)/)![1]).pathname;
  } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }
  expect(qrPath).toBe(`/verify/${certNumber}`);
  await page.goto(new URL(qrPath, baseURL).href);
  await expect(page.locator('body')).toContainText('有效 Valid');
  await expect(page.locator('body')).toContainText(certNumber);
});

test('an officer replaces one certificate and cancels another; verification shows replaced and cancelled', async ({ page, request }) => {
  const officer = await token(request, 'officer.cn');
  const c2 = await request.post('/api/v1/certificates', { headers: auth(officer), data: { batchId: passedBatchId, quantityKg: 1000, shipmentRef: 'CSQU0000002' } });
  expect(c2.ok(), await c2.text()).toBeTruthy();
  const second = (await c2.json()).number as string;

  await login(page, 'officer.cn');
  await page.goto('/#/exports/certificates');
  await page.locator(`tr[data-certificate="${second}"]`).getByTestId('replace').click();
  await page.getByRole('dialog').getByTestId('replace-submit').click();
  await expect(page.getByRole('dialog')).toContainText('理由: 必填');
  await page.getByRole('dialog').locator('textarea[name=reason]').fill('change in consignee');
  await page.getByRole('dialog').locator('input[name=consignee]').fill('New Importer Sdn Bhd');
  await page.getByRole('dialog').getByTestId('replace-submit').click();
  await expect(page.locator(`tr[data-certificate="${second}"]`).getByTestId('certificate-status')).toHaveText('已被替换');
  const replacement = page.locator('tr[data-certificate]').filter({ hasText: `替换 ${second}` });
  await expect(replacement.getByTestId('certificate-status')).toHaveText('有效');

  const first = page.locator(`tr[data-certificate="${certNumber}"]`);
  await first.getByTestId('cancel-certificate').click();
  await page.getByRole('dialog').locator('textarea[name=reason]').fill('shipment withdrawn by the exporter');
  await page.getByRole('dialog').getByTestId('cancel-submit').click();
  await expect(first.getByTestId('certificate-status')).toHaveText('已撤销');
  await page.screenshot({ path: 'test-results/export-certificates.png', fullPage: true });
  // The status filter asks the server: filtering the loaded page would miss matches on later pages.
  const filtered = page.waitForRequest((r) => r.url().includes('/api/v1/certificates?') && r.url().includes('status=cancelled'));
  await page.locator('.toolbar select').first().selectOption('cancelled');
  await filtered;
  await expect(first.getByTestId('certificate-status')).toHaveText('已撤销');
  await expect(page.locator('tr[data-certificate]:not([data-status="cancelled"])')).toHaveCount(0);
  await page.locator('.toolbar select').first().selectOption('');
  await expect(page.locator(`tr[data-certificate="${second}"]`)).toBeVisible();

  await first.locator('a', { hasText: certNumber }).click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId('cancelled-note')).toContainText('shipment withdrawn by the exporter');
  await page.goto(`/#/verify/${second}`);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'replaced');
  await page.getByTestId('replaced-by').locator('a').click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'valid');
  await expect(page.getByTestId('signed-content')).toContainText('New Importer Sdn Bhd');

  // goods on an e-locked trip: the certificate names the lock and trip, and verification shows the seal chain
  const trip = (await (await request.get('/api/v1/trips?state=in_transit&limit=1', { headers: auth(officer) })).json()).items[0];
  const lock = (await (await request.get(`/api/v1/devices/${trip.deviceId}`, { headers: auth(officer) })).json()).terminalId;
  const c3 = await request.post('/api/v1/certificates', { headers: auth(officer), data: { batchId: passedBatchId, quantityKg: 500, tripId: trip.id } });
  expect(c3.ok(), await c3.text()).toBeTruthy();
  await page.goto(`/#/verify/${(await c3.json()).number}`);
  const chain = page.getByTestId('seal-chain');
  await expect(chain).toContainText(trip.id);
  await expect(chain).toContainText(lock);
  await expect(chain).toHaveAttribute('data-intact', /^(true|false)$/);
  await expect(page.getByTestId('signed-content')).toContainText(`${lock} / ${trip.id}`);
  await page.screenshot({ path: 'test-results/export-verify-seal-chain.png', fullPage: true });
});

test('a supervisor edits a requirement with a reason and sees its version history; an officer suspends and reinstates an orchard', async ({ page }) => {
  await login(page, 'supervisor');
  await page.goto('/#/exports/requirements');
  await page.locator('tr[data-requirement=req_sg_citrus]').click();
  const detail = page.getByTestId('requirement-detail');
  await expect(detail).toContainText('Singapore');
  await page.getByTestId('edit-requirement').click();
  const ed = page.getByTestId('requirement-editor');
  await ed.getByRole('button', { name: '添加限量' }).click();
  await ed.locator('input[name="mrl.0.pesticide"]').fill('chlorpyrifos');
  await ed.locator('input[name="mrl.0.mgPerKg"]').fill('0.01');
  await page.getByTestId('requirement-save').click();
  await expect(ed).toContainText('理由: 必填');
  await ed.locator('input[name=reason]').fill('SFA notice e2e');
  await page.getByTestId('requirement-save').click();
  await expect(detail).toContainText('chlorpyrifos');
  const history = page.getByTestId('requirement-history');
  await expect(history.locator('li[data-version]')).toHaveCount(2);
  await expect(history.locator('li[data-version]').first()).toContainText('SFA notice e2e');
  await expect(history.locator('li[data-version]').first()).toContainText('mrls');
  await page.screenshot({ path: 'test-results/export-requirements.png', fullPage: true });

  await page.getByRole('button', { name: '退出' }).click();
  await login(page, 'officer.cn');
  await page.goto('/#/exports/requirements');
  await page.locator('tr[data-requirement=req_sg_citrus]').click();
  await expect(page.getByTestId('requirement-detail')).toContainText('chlorpyrifos');
  await expect(page.getByTestId('edit-requirement')).toHaveCount(0); // supervisors only
  await page.goto('/#/exports/facilities');
  const row = page.locator(`tr[data-facility="${orchardRegNo}"]`);
  await row.getByTestId('suspend').click();
  await page.getByRole('dialog').locator('textarea[name=reason]').fill('pesticide misuse found on audit');
  await page.getByTestId('status-submit').click();
  await expect(row.getByTestId('facility-status')).toHaveText('暂停');
  await page.screenshot({ path: 'test-results/export-facilities.png', fullPage: true });
  await row.getByTestId('reinstate').click();
  await page.getByRole('dialog').locator('textarea[name=reason]').fill('corrective action verified');
  await page.getByTestId('status-submit').click();
  await expect(row.getByTestId('facility-status')).toHaveText('有效');
});

test('the export pages switch language', async ({ page }) => {
  await login(page, 'yongchun.fruit');
  await page.goto('/#/exports/apply');
  await expect(page.locator('a[data-nav=exports]')).toHaveText('出口检验');
  await expect(page.locator('a[data-tab=apply]')).toHaveText('申请报检');
  await page.getByTestId('lang').click();
  await expect(page.locator('a[data-nav=exports]')).toHaveText('Export inspection');
  await expect(page.locator('a[data-tab=apply]')).toHaveText('Apply');
  await expect(page.getByTestId('apply-form')).toContainText('Export phytosanitary inspection application');
  await page.locator('a[data-tab=certificates]').click();
  await expect(page.locator(`tr[data-certificate="${certNumber}"]`).getByTestId('certificate-status')).toHaveText('Cancelled');
  await page.screenshot({ path: 'test-results/export-english.png', fullPage: true });
  await page.getByTestId('lang').click();
  await expect(page.locator('a[data-tab=apply]')).toHaveText('申请报检');
});
