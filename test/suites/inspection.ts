/**
 * Export inspection and certificates over the API: refusals, ledger race, MRL block, slots, issue, verify,
 * replace, expiry, cancel returning the quantity, transactions that leave nothing behind on a failure,
 * the verification cache against seal-chain changes, and the demo data.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { harness, type DbKind, type Harness } from '../harness.ts';
import { world, tripIn, type World } from './fixtures.ts';
import { loadSeedRoute } from '../../src/supervision/seed-route.ts';
import { syntheticTrack } from '../../src/supervision/synthetic-track.ts';
import { demoGateKey } from '../../src/demo/seed.ts';
import { seedInspectionDemo, DEMO_ORCHARD } from '../../src/demo/inspection-seed.ts';
import { SEAL_CHAIN_MAX_AGE_MS } from '../../src/certificates/verifier.ts';

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

    /**
     * Fault injection: a trigger makes inserts into `table` (matching `when`) fail inside the
     * transaction, as a full disk or a lost connection would. Returns the function that removes it.
     */
    const failInserts = async (table: string, when = '') => {
      const db = h.p.ctx.store.db;
      if (kind === 'sqlite') {
        await sql.raw(`CREATE TRIGGER fail_${table} BEFORE INSERT ON ${table} ${when ? `WHEN ${when}` : ''} BEGIN SELECT RAISE(ABORT, 'injected failure'); END`).execute(db);
      } else {
        await sql.raw(`CREATE OR REPLACE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`).execute(db);
        await sql.raw(`CREATE TRIGGER fail_${table} BEFORE INSERT ON ${table} FOR EACH ROW ${when ? `WHEN (${when})` : ''} EXECUTE FUNCTION fail_insert()`).execute(db);
      }
      return async () => { await sql.raw(kind === 'sqlite' ? `DROP TRIGGER fail_${table}` : `DROP TRIGGER fail_${table} ON ${table}`).execute(db); };
    };
    const auditOf = (subject: string) => h.p.ctx.store.db.selectFrom('audit_log').select('action').where('subject', '=', subject).orderBy('seq').execute().then((r) => r.map((x) => x.action));

    let seq = 0;
    const orchard = async (destinations: string[]) => {
      const r = await h.req('POST', '/api/v1/orchards', { token: officer, body: { regNo: `QZ-OR-${kind}-${++seq}`, name: `Orchard ${seq}`, enterpriseId: entId, location: { type: 'Point', coordinates: [118.29, 25.32] }, approvedDestinations: destinations } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body;
    };
    it('an orchard location is checked as geometry: out of range or an open ring is a 400 and registers nothing', async () => {
      for (const location of [{ type: 'Point', coordinates: [500, -300] }, { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [5, 5]]] }]) {
        const r = await h.req('POST', '/api/v1/orchards', { token: officer, body: { regNo: `QZ-OR-${kind}-bad`, name: 'Nowhere', enterpriseId: entId, location, approvedDestinations: ['MY'] } });
        assert.equal(r.status, 400, JSON.stringify(r.body)); assert.match(r.body.code, /^invalid_(coordinates|geometry)$/);
      }
      assert.equal((await h.req('GET', `/api/v1/orchards?limit=200`, { token: officer })).body.items.filter((o: any) => o.regNo === `QZ-OR-${kind}-bad`).length, 0);
    });

    const lodge = (body: object) => h.req('POST', '/api/v1/inspection-applications', { token: exporter, body: {
      commodity: 'ponkan', quantityKg: 26000, packages: { count: 2600, typeCode: 'BX' }, destination: 'MY', consignee: { name: 'Importer Sdn Bhd' },
      conveyance: { modeCode: 1, name: 'MV Kota Ratu' }, importPermitNo: 'MAQIS-2026-001', pointOfEntry: { locode: 'MYPKG', name: 'Port Klang' }, ...body } });
    const inspectedBatch = async (quantityKg: number) => {
      const a = await lodge({});
      assert.equal(a.status, 201, JSON.stringify(a.body));
      const b = await h.req('POST', '/api/v1/inspection-batches', { token: officer, body: { applicationId: a.body.id, quantityKg } });
      assert.equal(b.status, 201, JSON.stringify(b.body));
      const i = await h.req('POST', `/api/v1/inspection-batches/${b.body.id}/inspection`, { token: officer, body: { conform: true, sampleId: 'S-1' } });
      assert.equal(i.status, 200, JSON.stringify(i.body));
      return b.body.id as string;
    };
    const batchWith = async (quantityKg: number, residues: object[]) => {
      const batchId = await inspectedBatch(quantityKg);
      const again = await h.req('POST', `/api/v1/inspection-batches/${batchId}/inspection`, { token: officer, body: { conform: true } });
      assert.equal(again.body.code, 'already_inspected');
      const l = await h.req('POST', `/api/v1/inspection-batches/${batchId}/lab-results`, { token: officer, body: { lab: 'Quanzhou lab', residues } });
      assert.equal(l.status, 201, JSON.stringify(l.body));
      return { batchId, lab: l.body };
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
      const badDate = await h.req('POST', '/api/v1/certificates', { token: officer, body: { batchId, quantityKg: 1, treatment: { date: '2026-13-45', treatment: 'cold' } } });
      assert.equal(badDate.status, 400, JSON.stringify(badDate.body)); assert.equal(badDate.body.code, 'validation_failed');
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

      // The list filters by the status a reader sees, on the server.
      const listed = async (q: string, token = officer) => (await h.req('GET', `/api/v1/certificates?batchId=${batchId}&${q}`, { token })).body.items.map((x: any) => x.number).sort();
      assert.deepEqual(await listed('status=valid'), [rep.body.number]);
      assert.deepEqual(await listed('status=replaced'), [c.body.number]);
      assert.deepEqual(await listed('status=cancelled'), [c2.body.number]);
      assert.deepEqual(await listed(`number=${c2.body.number}`), [c2.body.number]);
      const bad = await h.req('GET', '/api/v1/certificates?status=lost', { token: officer });
      assert.equal(bad.status, 400); assert.ok(bad.body.code);
      const batchesIn = async (st: string) => (await h.req('GET', `/api/v1/inspection-batches?state=${st}&limit=200`, { token: officer })).body.items.map((x: any) => x.id);
      assert.ok((await batchesIn('passed')).includes(batchId)); assert.ok(!(await batchesIn('failed')).includes(batchId));

      const t0 = h.clock.now();
      h.clock.advance(14 * DAY - 60_000);
      assert.equal((await h.req('GET', `/api/v1/verify/${rep.body.number}`)).body.status, 'valid');
      h.clock.advance(2 * 60_000);
      assert.equal((await h.req('GET', `/api/v1/verify/${rep.body.number}`)).body.status, 'expired');
      const later = await h.login('officer.cn'); // the morning's token has expired by now
      assert.deepEqual(await listed('status=expired', later), [rep.body.number]);
      assert.deepEqual(await listed('status=valid', later), []);
      h.clock.set(t0);
      assert.equal((await h.req('GET', '/api/v1/verify/CN-QZ-2026-999999')).status, 404);
    });

    it('cancelling returns the quantity to the batch in the same transaction; a replacement takes it over without counting it twice', async () => {
      const { batchId } = await batchWith(1000, [{ pesticide: 'imidacloprid', mgPerKg: 0.2 }]);
      const remaining = async () => (await h.req('GET', `/api/v1/inspection-batches/${batchId}`, { token: officer })).body;
      const ledger = async () => (await h.req('GET', `/api/v1/inspection-batches/${batchId}/write-offs?limit=200`, { token: officer })).body.items as any[];
      const a = await h.req('POST', '/api/v1/certificates', { token: officer, body: { batchId, quantityKg: 600, shipmentRef: 'C-1' } });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      assert.equal((await remaining()).remainingKg, 400);
      const b = await h.req('POST', `/api/v1/certificates/${a.body.id}/replace`, { token: officer, body: { reason: 'change in consignee', changes: { consignee: { name: 'Other Sdn Bhd' } } } });
      assert.equal(b.status, 201, JSON.stringify(b.body));
      assert.equal((await remaining()).remainingKg, 400, 'the replacement draws nothing more');
      assert.equal((await ledger()).length, 1);
      const old = await h.req('POST', `/api/v1/certificates/${a.body.id}/cancel`, { token: officer, body: { reason: 'x' } });
      assert.equal(old.status, 409); assert.equal(old.body.code, 'certificate_not_cancellable');
      assert.equal((await h.req('POST', `/api/v1/certificates/${b.body.id}/cancel`, { token: exporter, body: { reason: 'x' } })).status, 403);

      // A failure while returning the quantity leaves the certificate issued and the batch as it was.
      const heal = await failInserts('batch_write_offs', 'NEW.quantity_g < 0');
      const broken = await h.req('POST', `/api/v1/certificates/${b.body.id}/cancel`, { token: officer, body: { reason: 'shipment withdrawn' } });
      await heal();
      assert.equal(broken.status, 500, JSON.stringify(broken.body));
      assert.equal((await h.req('GET', `/api/v1/verify/${b.body.number}`)).body.status, 'valid');
      assert.equal((await remaining()).remainingKg, 400);
      assert.ok(!(await auditOf(b.body.id)).includes('certificate.cancel'));

      const cx = await h.req('POST', `/api/v1/certificates/${b.body.id}/cancel`, { token: officer, body: { reason: 'shipment withdrawn' } });
      assert.equal(cx.status, 200, JSON.stringify(cx.body));
      assert.equal((await h.req('GET', `/api/v1/verify/${b.body.number}`)).body.status, 'cancelled');
      assert.equal((await remaining()).remainingKg, 1000);
      const rows = await ledger();
      assert.deepEqual(rows.map((r) => [r.kind, r.quantityKg, r.remainingKg]).sort(), [['reversal', -600, 1000], ['write_off', 600, 400]]);
      assert.equal(rows.find((r) => r.kind === 'reversal').certificateId, b.body.id);
      assert.deepEqual((await auditOf(batchId)).filter((x) => x.includes('write_off')), ['inspection_batch.write_off_reverse']);
      assert.ok((await auditOf(b.body.id)).includes('certificate.cancel'));
      const again = await h.req('POST', `/api/v1/certificates/${b.body.id}/cancel`, { token: officer, body: { reason: 'again' } });
      assert.equal(again.status, 409);
      assert.equal((await remaining()).remainingKg, 1000, 'returned once');

      // An exhausted batch opens again when its last shipment is cancelled.
      const all = await h.req('POST', '/api/v1/certificates', { token: officer, body: { batchId, quantityKg: 1000 } });
      assert.equal(all.status, 201, JSON.stringify(all.body));
      assert.equal((await remaining()).state, 'exhausted');
      assert.equal((await h.req('POST', `/api/v1/certificates/${all.body.id}/cancel`, { token: officer, body: { reason: 'vessel missed' } })).status, 200);
      const back = await remaining();
      assert.equal(back.state, 'passed'); assert.equal(back.remainingKg, 1000);
      assert.equal((await h.req('POST', '/api/v1/certificates', { token: officer, body: { batchId, quantityKg: 1000 } })).status, 201);
    });

    it('the lab result and the batch state commit together: a failure leaves neither', async () => {
      const batchId = await inspectedBatch(200);
      const heal = await failInserts('lab_results');
      const r = await h.req('POST', `/api/v1/inspection-batches/${batchId}/lab-results`, { token: officer, body: { lab: 'Quanzhou lab', residues: [{ pesticide: 'imidacloprid', mgPerKg: 0.1 }] } });
      await heal();
      assert.equal(r.status, 500, JSON.stringify(r.body));
      const b = await h.req('GET', `/api/v1/inspection-batches/${batchId}`, { token: officer });
      assert.equal(b.body.state, 'pending'); assert.deepEqual(b.body.labResults, []);
      assert.ok(!(await auditOf(batchId)).some((a) => a.startsWith('inspection_batch.lab_')));
      const ok = await h.req('POST', `/api/v1/inspection-batches/${batchId}/lab-results`, { token: officer, body: { lab: 'Quanzhou lab', residues: [{ pesticide: 'imidacloprid', mgPerKg: 0.1 }] } });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      const after = await h.req('GET', `/api/v1/inspection-batches/${batchId}`, { token: officer });
      assert.equal(after.body.state, 'passed'); assert.equal(after.body.labResults.length, 1); assert.equal(after.body.labResults[0].id, ok.body.labResultId);
      assert.ok((await auditOf(batchId)).includes('inspection_batch.lab_pass'));
    });

    it('verification by number: the same answer every time, a stored-content edit is caught, the seal chain follows trip, alert and gate events', async () => {
      const w: World = await world(h);
      const t0 = h.clock.now();
      const t = await tripIn(w, 'in_transit');
      h.clock.advance(10 * 60_000);
      const { batchId } = await batchWith(5000, [{ pesticide: 'imidacloprid', mgPerKg: 0.2 }]);
      const c = await h.req('POST', '/api/v1/certificates', { token: officer, body: { batchId, quantityKg: 2000, tripId: t.tripId } });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      const verify = async () => { const r = await h.p.app.inject({ method: 'GET', url: `/api/v1/verify/${c.body.number.toLowerCase()}` }); assert.equal(r.statusCode, 200, r.body); return { raw: r.body, v: r.json() }; };

      const first = await verify();
      assert.deepEqual(Object.keys(first.v), ['number', 'status', 'signatureValid', 'replacedBy', 'replaces', 'replaceReason', 'cancelled', 'content', 'signature', 'sealChain']);
      assert.equal((await verify()).raw, first.raw);
      assert.deepEqual(first.v.content, c.body.content); assert.deepEqual(first.v.signature, c.body.signature);
      assert.equal(first.v.signatureValid, true);
      const terminal = (await h.req('GET', `/api/v1/devices/${t.deviceId}`, { token: officer })).body.terminalId;
      assert.deepEqual({ ...first.v.sealChain, sealedAt: null }, { tripId: t.tripId, lockId: terminal, tripState: 'in_transit', sealedAt: null, boundaryPassage: null, intact: true, breaches: [] });

      // The memoised check is keyed on the stored text: an edited row fails, the original passes again.
      const db = h.p.ctx.store.db;
      const stored = (await db.selectFrom('certificates').select('content').where('id', '=', c.body.id).executeTakeFirstOrThrow()).content;
      await db.updateTable('certificates').set({ content: stored.replace('"netWeightKg":2000', '"netWeightKg":20000') }).where('id', '=', c.body.id).execute();
      const edited = await verify();
      assert.equal(edited.v.signatureValid, false); assert.equal(edited.v.content.commodity.netWeightKg, 20000);
      await db.updateTable('certificates').set({ content: stored }).where('id', '=', c.body.id).execute();
      assert.equal((await verify()).raw, first.raw);

      // A tamper event on the road (fixes between sealing and now, so the clock does not move).
      const key = (await h.req('POST', '/api/v1/api-keys', { token: supervisor, body: { role: 'device', label: 'verification test' } })).body.key;
      const route = loadSeedRoute();
      const fx = syntheticTrack({ corridor: route.corridor, startTime: t0 + 60_000, speedKmh: 70, intervalMs: 30_000, fromM: 300_000, toM: 303_000 }).fixes.slice(0, 5);
      fx[2].lockEvents = ['wire_cut'];
      const ing = await h.req('POST', '/api/v1/ingest/positions', { apiKey: key, body: { positions: fx.map((f, i) => ({ terminalId: terminal, fixTime: new Date(f.time).toISOString(), serial: 60_000 + i, lat: f.lat, lon: f.lon, speedKmh: f.speedKmh, heading: f.heading, ...(f.lockEvents ? { lockEvents: f.lockEvents } : {}) })) } });
      assert.equal(ing.status, 200, JSON.stringify(ing.body));
      await h.p.supervisor.idle();
      const tampered = (await verify()).v.sealChain;
      assert.equal(tampered.intact, false);
      assert.deepEqual(tampered.breaches.map((b: any) => [b.type, b.state]), [['tamper', 'open']]);
      const alert = (await h.req('GET', `/api/v1/alerts?tripId=${t.tripId}&type=tamper`, { token: officer })).body.items[0];
      assert.equal((await h.req('POST', `/api/v1/alerts/${alert.id}/resolve`, { token: officer, body: { disposition: 'false_alarm', comment: 'checked' } })).status, 200);
      const resolved = (await verify()).v.sealChain;
      assert.deepEqual(resolved.breaches.map((b: any) => [b.type, b.state]), [['tamper', 'resolved']]);
      assert.equal(resolved.intact, false, 'a resolved breach still broke the chain');

      // The gate passage at the boundary appears at once.
      const gate = (await h.req('GET', '/api/v1/gates', { token: officer })).body.items.find((g: any) => g.lanes.some((l: any) => l.code === 'E1'));
      const trip = (await h.req('GET', `/api/v1/trips/${t.tripId}`, { token: officer })).body;
      const plate = (await h.req('GET', `/api/v1/vehicles/${trip.vehicleId}`, { token: officer })).body.plateCn;
      const pass = await h.req('POST', `/api/v1/gates/${gate.id}/lanes/E1/passages`, { apiKey: demoGateKey(h.p.ctx), body: { passageId: `v-${kind}`, platesRead: [plate], lockIdRead: terminal, grossKg: 18000 } });
      assert.equal(pass.status, 200, JSON.stringify(pass.body));
      const atGate = (await verify()).v.sealChain;
      assert.equal(atGate.boundaryPassage.gateId, gate.id); assert.equal(atGate.boundaryPassage.decision, pass.body.effectiveDecision);
      assert.equal(atGate.tripState, (await h.req('GET', `/api/v1/trips/${t.tripId}`, { token: officer })).body.state);

      // A write no event announces (another process) shows once the age limit has passed.
      const row = await db.selectFrom('alerts').selectAll().where('id', '=', alert.id).executeTakeFirstOrThrow();
      await db.insertInto('alerts').values({ ...row, id: `alr_other_${kind}`, type: 'seal_opened', state: 'open', first_at: new Date(t0 + 200_000).toISOString() }).execute();
      assert.equal((await verify()).v.sealChain.breaches.length, 1);
      h.clock.advance(SEAL_CHAIN_MAX_AGE_MS);
      assert.deepEqual((await verify()).v.sealChain.breaches.map((b: any) => b.type), ['tamper', 'seal_opened']);
      const page = await h.req('GET', `/verify/${c.body.number}`);
      assert.equal(page.status, 200); assert.ok(page.body.includes('否 no — tamper'));
    });

    it('the demo has Yongchun\'s registered facilities, a site, a passed batch and a certificate that verifies; seeding again changes nothing', async () => {
      const o = (await h.req('GET', `/api/v1/orchards?regNo=${DEMO_ORCHARD}`, { token: exporter })).body.items[0];
      assert.deepEqual(o.approvedDestinations, ['MY', 'SG', 'ID', 'PH']); assert.equal(o.enterpriseId, entId); assert.equal(o.pesticideRecords.length, 2);
      const ph = (await h.req('GET', '/api/v1/packing-houses', { token: exporter })).body.items;
      assert.ok(ph.some((p: any) => p.regNo === '350525-PH-0001' && p.approvedDestinations.join() === 'MY,SG,ID,PH'));
      assert.ok((await h.req('GET', '/api/v1/inspection-sites', { token: exporter })).body.items.some((s: any) => s.name.includes('Yongchun')));
      const appts = (await h.req('GET', '/api/v1/appointments', { token: exporter })).body.items;
      assert.ok(appts.length >= 2 && appts.every((a: any) => a.perishable));
      const batches = (await h.req('GET', '/api/v1/inspection-batches?state=failed&limit=200', { token: exporter })).body.items;
      assert.ok(batches.length && batches.every((b: any) => b.state === 'failed'));
      assert.ok(batches.some((b: any) => /mrl_exceeded: imidacloprid 1.6/.test(b.failureReasons[0])));
      const demoBatch = batches[0], passedApp = demoBatch.applicationId;
      const apps = (await h.req('GET', '/api/v1/inspection-applications?destination=MY', { token: exporter })).body.items;
      assert.ok(apps.length && apps.every((a: any) => a.destination === 'MY'));
      assert.equal((await h.req('GET', '/api/v1/inspection-applications?destination=XX', { token: exporter })).body.items.length, 0);
      // the officers' queue: applications with and without a batch, filtered by the server, each with its batch
      const listed = async (q: string) => (await h.req('GET', `/api/v1/inspection-applications?limit=200${q}`, { token: exporter })).body.items;
      const [everyApp, withBatch, waiting] = [await listed(''), await listed('&batched=true'), await listed('&batched=false')];
      assert.ok(withBatch.length && waiting.length, 'the demo has both');
      assert.equal(withBatch.length + waiting.length, everyApp.length);
      assert.ok(withBatch.every((a: any) => a.batch?.id && a.batch.state) && waiting.every((a: any) => a.batch === null));
      const demoApp = withBatch.find((a: any) => a.id === passedApp);
      assert.deepEqual(demoApp?.batch, { id: demoBatch.id, state: demoBatch.state });
      assert.equal((await h.req('GET', '/api/v1/inspection-applications?batched=maybe', { token: exporter })).status, 400);
      const certs = (await h.req('GET', '/api/v1/certificates?limit=200', { token: exporter })).body.items;
      const demo = certs.find((x: any) => x.content.exporter.name.includes('Yongchun') && x.content.consignee.name === 'Selangor Fresh Fruits Sdn Bhd');
      assert.ok(demo, 'demo certificate');
      const passed = (await h.req('GET', `/api/v1/inspection-batches/${demo.batchId}`, { token: exporter })).body;
      assert.equal(passed.state, 'passed'); assert.equal(passed.labResults.length, 1); assert.equal(passed.remainingKg, 13000);
      const v = await h.req('GET', `/api/v1/verify/${demo.number}`);
      assert.equal(v.body.status, 'valid'); assert.equal(v.body.signatureValid, true); assert.ok(v.body.sealChain?.tripId, 'names a sealed demo trip');
      const count = async () => (await h.p.ctx.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
      const before = Number(await count());
      assert.deepEqual(await seedInspectionDemo(h.p.ctx), { seeded: false });
      assert.equal(Number(await count()), before);
    });

    it('supervisors add a country requirement (MRL keys normalised) that applications and lab results use; officers amend a facility\'s approvals; a re-export certificate is type 657', async () => {
      const body = { reason: 'BN market opened', requirement: { country: 'BN', countryName: 'Brunei', commodity: 'citrus', quarantinePests: ['Bactrocera dorsalis'], additionalDeclaration: null, treatment: null, registeredOrchardRequired: false, registeredPackingHouseRequired: false, importPermitRequired: false, mrls: { ' Chlorpyrifos ': { mgPerKg: 0.01, commodity: 'citrus', sources: ['BN notice'], verified: false } } } };
      assert.equal((await h.req('POST', '/api/v1/requirements', { token: officer, body })).status, 403);
      assert.equal((await h.req('POST', '/api/v1/requirements', { token: supervisor, body: { ...body, requirement: { ...body.requirement, commodity: 'durian' } } })).body.code, 'unknown_commodity');
      const created = await h.req('POST', '/api/v1/requirements', { token: supervisor, body });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.id, 'req_bn_citrus'); assert.deepEqual(Object.keys(created.body.mrls), ['chlorpyrifos']);
      assert.equal((await h.req('POST', '/api/v1/requirements', { token: supervisor, body })).body.code, 'duplicate_requirement');
      assert.equal((await h.req('GET', '/api/v1/requirements/req_bn_citrus/versions', { token: exporter })).body.items[0].changedBy.startsWith('supervisor:'), true);
      const a = await lodge({ destination: 'BN', importPermitNo: undefined, pointOfEntry: { name: 'Muara' } });
      assert.equal(a.status, 201, JSON.stringify(a.body));
      assert.equal(a.body.requirementId, 'req_bn_citrus');
      const b = await h.req('POST', '/api/v1/inspection-batches', { token: officer, body: { applicationId: a.body.id } });
      await h.req('POST', `/api/v1/inspection-batches/${b.body.id}/inspection`, { token: officer, body: { conform: true } });
      const lab = await h.req('POST', `/api/v1/inspection-batches/${b.body.id}/lab-results`, { token: officer, body: { lab: 'Quanzhou lab', residues: [{ pesticide: 'chlorpyrifos', mgPerKg: 0.05 }] } });
      assert.equal(lab.body.batch.state, 'failed'); assert.match(lab.body.assessment.reasons[0], /chlorpyrifos 0.05 > 0.01 mg\/kg \(country\)/);

      const o = await orchard(['MY']);
      const ph = await h.req('POST', '/api/v1/packing-houses', { token: officer, body: { regNo: `QZ-PH-${kind}-${++seq}`, name: 'PH', enterpriseId: entId, location: { type: 'Point', coordinates: [118.3, 25.3] }, approvedDestinations: ['TH'] } });
      const th = { destination: 'TH', orchardRegNo: o.regNo, packingHouseRegNo: ph.body.regNo, importPermitNo: 'TH-DOA-1', pointOfEntry: { name: 'Laem Chabang' } };
      const refused = await lodge(th);
      assert.deepEqual(refused.body.errors.reasons.map((x: any) => x.code), ['orchard_not_approved_for_destination']);
      const patch = (token: string, version: number) => h.req('PATCH', `/api/v1/orchards/${o.id}`, { token, body: { version, reason: 'TH list exchanged', changes: { approvedDestinations: ['MY', 'TH'] } } });
      assert.equal((await patch(exporter, o.version)).status, 403);
      const p = await patch(officer, o.version);
      assert.equal(p.status, 200, JSON.stringify(p.body)); assert.deepEqual(p.body.approvedDestinations, ['MY', 'TH']);
      assert.equal((await patch(officer, o.version)).body.code, 'version_conflict');
      assert.ok((await auditOf(o.id)).includes('orchards.update'));
      assert.equal((await lodge(th)).status, 201);

      const { batchId } = await batchWith(3000, [{ pesticide: 'imidacloprid', mgPerKg: 0.2 }]);
      const rx = await h.req('POST', '/api/v1/certificates', { token: officer, body: { batchId, quantityKg: 1000, reexport: { originalCertificateNumber: 'TH-DOA-2026-0042', originCountry: 'TH' } } });
      assert.equal(rx.status, 201, JSON.stringify(rx.body));
      assert.equal(rx.body.content.type, 'reexport'); assert.equal(rx.body.content.reexport.originCountry, 'TH');
      const xml = await h.req('GET', `/api/v1/certificates/${rx.body.id}/xml`, { token: officer });
      assert.match(xml.body, /<ns1:TypeCode>657<\/ns1:TypeCode>/);
      const up = await h.p.app.inject({ method: 'POST', url: '/api/v1/verify/upload', headers: { 'content-type': 'application/xml' }, payload: xml.body });
      assert.equal(up.json().valid, true);
    });

    it('concurrent bookings never over-fill a slot; perishables keep the green-channel share', async () => {
      const s = await h.req('POST', '/api/v1/inspection-sites', { token: supervisor, body: { name: `Yongchun site ${kind}`, office: 'CN-QZ', capacityPerSlot: 5, perishableReserve: 0.2 } });
      assert.equal(s.status, 201, JSON.stringify(s.body));
      const slotStart = new Date(h.clock.now() + DAY).toISOString().replace(/:\d\d\.\d{3}Z$/, ':00.000Z').replace(/T(\d\d):\d\d/, 'T$1:00');
      const zoneless = await h.req('POST', '/api/v1/appointments', { token: officer, body: { siteId: s.body.id, slotStart: slotStart.replace('T', ' ').replace('.000Z', '') } });
      assert.equal(zoneless.status, 400); assert.equal(zoneless.body.code, 'invalid_date', 'a time without a zone is not read in the server zone');
      assert.equal((await h.req('GET', `/api/v1/inspection-sites/${s.body.id}/slots?day=2026-02-30`, { token: officer })).body.code, 'invalid_day');
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
