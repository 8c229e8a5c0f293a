/** Export inspection and certificates over the API: refusals, ledger race, MRL block, slots, issue, verify, replace, expiry. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type DbKind, type Harness } from '../harness.ts';

const DAY = 86_400_000;

export function inspectionSuite(kind: DbKind, skip: string | false = false) {
  describe(`export inspection and certificates (${kind})`, { skip }, () => {
    let h: Harness, officer: string, supervisor: string, exporter: string, other: string, entId: string;
    before(async () => {
      h = await harness(kind);
      [officer, supervisor, exporter, other] = await Promise.all(['officer.cn', 'supervisor', 'yongchun.fruit', 'jinjiang.trade'].map((u) => h.login(u)));
      entId = (await h.req('GET', '/api/v1/auth/me', { token: exporter })).body.enterpriseId;
    });
    after(async () => h?.close());

    let seq = 0;
    const orchard = async (destinations: string[]) => {
      const r = await h.req('POST', '/api/v1/orchards', { token: officer, body: { regNo: `QZ-OR-${kind}-${++seq}`, name: `Orchard ${seq}`, enterpriseId: entId, location: { type: 'Point', coordinates: [118.29, 25.32] }, approvedDestinations: destinations } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    const lodge = (body: object) => h.req('POST', '/api/v1/inspection-applications', { token: exporter, body: {
      commodity: 'ponkan', quantityKg: 26000, packages: { count: 2600, typeCode: 'BX' }, destination: 'MY', consignee: { name: 'Importer Sdn Bhd' },
      conveyance: { modeCode: 1, name: 'MV Kota Ratu' }, importPermitNo: 'MAQIS-2026-001', pointOfEntry: { locode: 'MYPKG', name: 'Port Klang' }, ...body } });
    const batchWith = async (quantityKg: number, residues: object[]) => {
      const a = await lodge({});
      assert.equal(a.status, 201, JSON.stringify(a.body));
      const b = await h.req('POST', '/api/v1/inspection-batches', { token: officer, body: { applicationId: a.body.id, quantityKg } });
      assert.equal(b.status, 201, JSON.stringify(b.body));
      const i = await h.req('POST', `/api/v1/inspection-batches/${b.body.id}/inspection`, { token: officer, body: { conform: true, sampleId: 'S-1' } });
      assert.equal(i.status, 200, JSON.stringify(i.body));
      const again = await h.req('POST', `/api/v1/inspection-batches/${b.body.id}/inspection`, { token: officer, body: { conform: true } });
      assert.equal(again.body.code, 'already_inspected');
      const l = await h.req('POST', `/api/v1/inspection-batches/${b.body.id}/lab-results`, { token: officer, body: { lab: 'Quanzhou lab', residues } });
      assert.equal(l.status, 201, JSON.stringify(l.body));
      return { batchId: b.body.id as string, lab: l.body };
    };

    it('an application to a destination that needs registered facilities is refused with every reason; a registered one is lodged', async () => {
      const r = await lodge({ destination: 'TH', orchardRegNo: 'NOT-REGISTERED' });
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.equal(r.body.code, 'application_refused');
      const codes = r.body.errors.reasons.map((x: any) => x.code);
      assert.ok(codes.includes('orchard_not_registered') && codes.includes('packing_house_required'), JSON.stringify(r.body));
      const bad = await lodge({ commodity: 'durian', quantityKg: -1 });
      assert.equal(bad.status, 400); assert.equal(bad.body.code, 'invalid_application');
      const o = await orchard(['MY']);
      const ok = await lodge({ orchardRegNo: o.regNo });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(ok.body.enterpriseId, entId);
      const hidden = await h.req('GET', `/api/v1/inspection-applications/${ok.body.id}`, { token: other });
      assert.equal(hidden.status, 404);
      const sus = await h.req('POST', `/api/v1/orchards/${o.id}/suspend`, { token: officer, body: { reason: 'pesticide misuse' } });
      assert.equal(sus.body.status, 'suspended');
      const th = await orchard(['TH']);
      await h.req('POST', `/api/v1/orchards/${th.id}/suspend`, { token: officer, body: { reason: 'audit' } });
      const r2 = await lodge({ destination: 'TH', orchardRegNo: th.regNo });
      assert.ok(r2.body.errors.reasons.some((x: any) => x.code === 'orchard_suspended'));
    });

    it('requirements are seeded and edited by supervisors with version history', async () => {
      const list = await h.req('GET', '/api/v1/requirements?country=MY', { token: exporter });
      const my = list.body.items[0];
      assert.equal(my.importPermitRequired, true);
      const denied = await h.req('PATCH', `/api/v1/requirements/${my.id}`, { token: officer, body: { version: my.version, reason: 'x', changes: { notes: 'x' } } });
      assert.equal(denied.status, 403);
      const p = await h.req('PATCH', `/api/v1/requirements/${my.id}`, { token: supervisor, body: { version: my.version, reason: 'MAQIS notice', changes: { notes: 'updated' } } });
      assert.equal(p.status, 200, JSON.stringify(p.body));
      const stale = await h.req('PATCH', `/api/v1/requirements/${my.id}`, { token: supervisor, body: { version: my.version, reason: 'again', changes: { notes: 'y' } } });
      assert.equal(stale.body.code, 'version_conflict');
      const v = await h.req('GET', `/api/v1/requirements/${my.id}/versions`, { token: officer });
      assert.deepEqual(v.body.items.map((x: any) => x.version), [my.version + 1, my.version]);
      assert.equal(v.body.items[0].data.notes, 'updated');
    });

    it('100 concurrent write-offs against one batch leave it exact and never over-draw', async () => {
      const { batchId } = await batchWith(100, [{ pesticide: 'imidacloprid', mgPerKg: 0.2 }]);
      const rs = await Promise.all(Array.from({ length: 100 }, (_, i) => h.req('POST', `/api/v1/inspection-batches/${batchId}/write-offs`, { token: i % 2 ? officer : exporter, body: { quantityKg: 1.5, shipmentRef: `S${i}` } })));
      const ok = rs.filter((r) => r.status === 201);
      assert.equal(ok.length, 66, JSON.stringify(rs.find((r) => r.status !== 201 && r.status !== 409)?.body));
      assert.ok(rs.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.code === 'over_draw'));
      const b = await h.req('GET', `/api/v1/inspection-batches/${batchId}`, { token: officer });
      assert.equal(b.body.remainingKg, 1);
      const ledger = await h.req('GET', `/api/v1/inspection-batches/${batchId}/write-offs?limit=200`, { token: officer });
      assert.equal(ledger.body.items.length, 66);
      assert.deepEqual(ledger.body.items.map((w: any) => w.remainingKg).sort((x: number, y: number) => x - y), Array.from({ length: 66 }, (_, i) => 1 + 1.5 * i));
      const last = await h.req('POST', `/api/v1/inspection-batches/${batchId}/write-offs`, { token: officer, body: { quantityKg: 1 } });
      assert.equal(last.status, 201);
      const done = await h.req('POST', `/api/v1/inspection-batches/${batchId}/write-offs`, { token: officer, body: { quantityKg: 0.001 } });
      assert.equal(done.body.code, 'batch_exhausted');
    });

    it('one residue over the MRL fails the batch and blocks certificates with the reason', async () => {
      const { batchId, lab } = await batchWith(500, [{ pesticide: 'imidacloprid', mgPerKg: 2.5 }, { pesticide: 'imazalil', mgPerKg: 1 }]);
      assert.equal(lab.batch.state, 'failed');
      const c = await h.req('POST', '/api/v1/certificates', { token: officer, body: { batchId, quantityKg: 100 } });
      assert.equal(c.status, 409); assert.equal(c.body.code, 'batch_failed');
      assert.match(c.body.errors.reasons[0], /mrl_exceeded: imidacloprid 2.5 > 1/);
      const w = await h.req('POST', `/api/v1/inspection-batches/${batchId}/write-offs`, { token: officer, body: { quantityKg: 1 } });
      assert.equal(w.body.code, 'batch_not_passed');
    });

    it('issue, verify without login, PDF and XML upload (tampered fails), replacement links, cancel and expiry', async () => {
      const { batchId } = await batchWith(26000, [{ pesticide: 'imidacloprid', mgPerKg: 0.3 }]);
      const denied = await h.req('POST', '/api/v1/certificates', { token: exporter, body: { batchId, quantityKg: 13000 } });
      assert.equal(denied.status, 403);
      const c = await h.req('POST', '/api/v1/certificates', { token: officer, body: { batchId, quantityKg: 13000, shipmentRef: 'CSQU3054383' } });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      assert.match(c.body.number, /^CN-QZ-2026-\d{6}$/);
      assert.equal(c.body.content.commodity.netWeightKg, 13000);
      assert.match(c.body.content.additionalDeclaration, /MAQIS-2026-001/);
      const b = await h.req('GET', `/api/v1/inspection-batches/${batchId}`, { token: officer });
      assert.equal(b.body.remainingKg, 13000);

      const v = await h.req('GET', `/api/v1/verify/${c.body.number}`);
      assert.equal(v.status, 200); assert.equal(v.body.status, 'valid'); assert.equal(v.body.signatureValid, true);
      assert.equal(v.body.content.number, c.body.number);
      const html = await h.req('GET', `/verify/${c.body.number}`);
      assert.equal(html.status, 200); assert.match(html.headers['content-type'], /text\/html/); assert.ok(html.body.includes(c.body.number) && html.body.includes('有效 Valid'));
      assert.equal((await h.req('GET', '/verify')).status, 200);
      assert.equal((await h.req('GET', `/api/v1/certificates/${c.body.id}`, { token: other })).status, 404);

      const pdf = await h.p.app.inject({ method: 'GET', url: `/api/v1/certificates/${c.body.id}/pdf`, headers: { authorization: `Bearer ${exporter}` } });
      assert.equal(pdf.statusCode, 200); assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const up = (payload: Buffer | string, type: string) => h.p.app.inject({ method: 'POST', url: '/api/v1/verify/upload', headers: { 'content-type': type }, payload }).then((r) => r.json());
      const okPdf = await up(pdf.rawPayload, 'application/pdf');
      assert.equal(okPdf.valid, true, JSON.stringify(okPdf)); assert.equal(okPdf.status, 'valid');
      const s = pdf.rawPayload.toString('latin1');
      const m = [...s.matchAll(/\(onelock-pc-v1:([A-Za-z0-9+/=]+)\)/g)].at(-1)!;
      const payload = JSON.parse(Buffer.from(m[1], 'base64').toString('utf8'));
      payload.content.commodity.netWeightKg = 26000;
      const forged = Buffer.from(s.replace(m[1], Buffer.from(JSON.stringify(payload)).toString('base64')), 'latin1');
      const badPdf = await up(forged, 'application/pdf');
      assert.equal(badPdf.valid, false); assert.equal(badPdf.reason, 'bad_signature');

      const xml = await h.req('GET', `/api/v1/certificates/${c.body.id}/xml`, { token: officer });
      assert.match(xml.headers['content-type'], /xml/);
      assert.equal((await up(xml.body, 'application/xml')).valid, true);
      const badXml = await up(xml.body.replace('Importer Sdn Bhd', 'Someone Else Ltd'), 'application/xml');
      assert.equal(badXml.valid, false); assert.equal(badXml.reason, 'bad_signature');
      assert.equal((await h.req('POST', '/api/v1/verify/upload', { headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('hello') })).status, 415);

      const rep = await h.req('POST', `/api/v1/certificates/${c.body.id}/replace`, { token: officer, body: { reason: 'change in consignee', changes: { consignee: { name: 'New Importer Sdn Bhd' } } } });
      assert.equal(rep.status, 201, JSON.stringify(rep.body));
      assert.equal(rep.body.replaces, c.body.number); assert.equal(rep.body.content.replaces.number, c.body.number);
      const old = await h.req('GET', `/api/v1/verify/${c.body.number}`);
      assert.equal(old.body.status, 'replaced'); assert.equal(old.body.replacedBy, rep.body.number); assert.equal(old.body.replaceReason, 'change in consignee');
      assert.equal((await h.req('POST', `/api/v1/certificates/${c.body.id}/replace`, { token: officer, body: { reason: 'again' } })).body.code, 'certificate_not_replaceable');
      const still = await up(pdf.rawPayload, 'application/pdf');
      assert.equal(still.valid, true); assert.equal(still.status, 'replaced');

      const c2 = await h.req('POST', '/api/v1/certificates', { token: officer, body: { batchId, quantityKg: 1000 } });
      const cx = await h.req('POST', `/api/v1/certificates/${c2.body.id}/cancel`, { token: officer, body: { reason: 'shipment withdrawn' } });
      assert.equal(cx.body.status, 'cancelled');
      assert.equal((await h.req('GET', `/api/v1/verify/${c2.body.number}`)).body.status, 'cancelled');

      const t0 = h.clock.now();
      h.clock.advance(14 * DAY - 60_000);
      assert.equal((await h.req('GET', `/api/v1/verify/${rep.body.number}`)).body.status, 'valid');
      h.clock.advance(2 * 60_000);
      assert.equal((await h.req('GET', `/api/v1/verify/${rep.body.number}`)).body.status, 'expired');
      h.clock.set(t0);
      assert.equal((await h.req('GET', '/api/v1/verify/CN-QZ-2026-999999')).status, 404);
    });

    it('concurrent bookings never over-fill a slot; perishables keep the green-channel share', async () => {
      const s = await h.req('POST', '/api/v1/inspection-sites', { token: supervisor, body: { name: `Yongchun site ${kind}`, office: 'CN-QZ', capacityPerSlot: 5, perishableReserve: 0.2 } });
      assert.equal(s.status, 201, JSON.stringify(s.body));
      const slotStart = new Date(h.clock.now() + DAY).toISOString().replace(/:\d\d\.\d{3}Z$/, ':00.000Z').replace(/T(\d\d):\d\d/, 'T$1:00');
      const rs = await Promise.all(Array.from({ length: 20 }, () => h.req('POST', '/api/v1/appointments', { token: officer, body: { siteId: s.body.id, slotStart } })));
      assert.equal(rs.filter((r) => r.status === 201).length, 4, JSON.stringify(rs.find((r) => r.status !== 201 && r.status !== 409)?.body));
      assert.ok(rs.filter((r) => r.status !== 201).every((r) => r.body.code === 'general_capacity_full'));
      const a = await lodge({});
      const green = await Promise.all(Array.from({ length: 5 }, () => h.req('POST', '/api/v1/appointments', { token: exporter, body: { siteId: s.body.id, slotStart, applicationId: a.body.id } })));
      assert.equal(green.filter((r) => r.status === 201).length, 1);
      assert.ok(green.filter((r) => r.status !== 201).every((r) => r.body.code === 'slot_full'));
      const slots = await h.req('GET', `/api/v1/inspection-sites/${s.body.id}/slots?day=${new Date(Date.parse(slotStart) + 8 * 3600_000).toISOString().slice(0, 10)}`, { token: exporter });
      assert.equal(slots.body.items.length, 24);
      assert.equal(slots.body.items.find((x: any) => x.start === slotStart).booked, 5);
      const booked = rs.find((r) => r.status === 201)!.body;
      const cancel = await h.req('POST', `/api/v1/appointments/${booked.id}/cancel`, { token: officer, body: {} });
      assert.equal(cancel.body.state, 'cancelled');
      assert.equal((await h.req('POST', '/api/v1/appointments', { token: officer, body: { siteId: s.body.id, slotStart } })).status, 201);
      const next = new Date(Date.parse(slotStart) + 3600_000).toISOString();
      const mine = green.find((r) => r.status === 201)!.body;
      const re = await h.req('POST', `/api/v1/appointments/${mine.id}/reschedule`, { token: exporter, body: { slotStart: next } });
      assert.equal(re.status, 201, JSON.stringify(re.body));
      assert.equal(re.body.old.rescheduledTo, re.body.next.id); assert.equal(re.body.next.rescheduledFrom, mine.id);
      assert.equal((await h.req('POST', `/api/v1/appointments/${re.body.next.id}/confirm`, { token: exporter, body: {} })).status, 403);
      assert.equal((await h.req('POST', `/api/v1/appointments/${re.body.next.id}/confirm`, { token: officer, body: {} })).body.state, 'confirmed');
    });
  });
}
