/** Smart gate: every reason code, sampling determinism, idempotent retries, handover, inspection then release. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type DbKind, type Harness } from '../harness.ts';
import { sampleDraw, selectForInspection } from '../../src/gate/risk-selection.ts';
import { nearestRank } from '../../src/gate/passage-report.ts';
import { world, tripIn, act, uniq, type World } from './fixtures.ts';
import { dataPath } from '../../src/platform/config.ts';

export function gateSuite(kind: DbKind, skip: string | false = false) {
  describe(`smart gate (${kind})`, { skip }, () => {
    let h: Harness, w: World, gateId: string, key: string;
    before(async () => {
      h = await harness(kind); w = await world(h);
      const places = (await h.req('GET', '/api/v1/places?kind=boundary_control_point&jurisdiction=CN', { token: w.officer })).body.items;
      const g = await h.req('POST', '/api/v1/gates', { token: w.supervisor, body: { name: `Test gate ${kind}`, placeId: places[0].id, jurisdiction: 'CN', lanes: [{ code: 'L1', direction: 'outbound' }, { code: 'L2', direction: 'outbound' }] } });
      assert.equal(g.status, 201, JSON.stringify(g.body));
      gateId = g.body.id; key = g.body.controllerApiKey;
      // no random sampling unless a test asks for it
      await h.req('PUT', '/api/v1/risk/sampling', { token: w.supervisor, body: { rates: { advanced: 0, general: 0, low: 0 }, seed: 'fixed-seed-for-tests' } });
    });
    after(async () => h?.close());

    const readingsFor = async (tripId: string) => {
      const t = (await h.req('GET', `/api/v1/trips/${tripId}`, { token: w.officer })).body;
      const v = (await h.req('GET', `/api/v1/vehicles/${t.vehicleId}`, { token: w.officer })).body;
      const d = (await h.req('GET', `/api/v1/devices/${t.deviceId}`, { token: w.officer })).body;
      return { platesRead: [v.plateCn], lockIdRead: d.terminalId, grossKg: 18000 };
    };
    const pass = (body: object, lane = 'L1') => h.req('POST', `/api/v1/gates/${gateId}/lanes/${lane}/passages`, { apiKey: key, body: { passageId: `p-${uniq()}`, ...body } });
    const codes = (r: any) => r.body.reasons.filter((x: any) => x.outcome !== 'pass').map((x: any) => x.code);
    const allCodes = (r: any) => r.body.reasons.map((x: any) => x.code);

    it('a clean sealed truck is released, and the lock passes from CN to HK supervision', async () => {
      const { tripId, deviceId } = await tripIn(w, 'in_transit');
      const r = await pass(await readingsFor(tripId));
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.decision, 'release', JSON.stringify(r.body.reasons));
      assert.deepEqual(codes(r), []);
      for (const c of ['declaration_accepted', 'trip_active', 'lock_matches', 'seal_intact', 'no_critical_alert', 'within_time_limit', 'weight_within_tolerance', 'risk_not_selected']) assert.ok(allCodes(r).includes(c), c);
      assert.ok(r.body.decisionMs >= 0);
      const t = (await h.req('GET', `/api/v1/trips/${tripId}`, { token: w.officer })).body;
      assert.equal(t.state, 'handed_over');
      assert.deepEqual(t.sealSessions.map((s: any) => [s.jurisdiction, !!s.closedAt, s.deviceId]), [['CN', true, deviceId], ['HK', false, deviceId]]);
    });

    it('unknown plate and lock: hold with a reason, not an error', async () => {
      const r = await pass({ platesRead: ['粤Z0000港'], lockIdRead: '000000000000', grossKg: 1000 });
      assert.equal(r.status, 200); assert.equal(r.body.decision, 'hold'); assert.deepEqual(codes(r), ['no_active_trip']);
    });

    it('hold reasons: lock mismatch, lock not read, plate mismatch, trip not in transit, seal not intact, critical alert', async () => {
      const a = await tripIn(w, 'in_transit');
      const ra = await readingsFor(a.tripId);
      const mism = await pass({ ...ra, lockIdRead: '013899999999' });
      assert.equal(mism.body.decision, 'hold'); assert.ok(codes(mism).includes('plate_mismatch') === false && codes(mism).includes('lock_mismatch'));

      const b = await tripIn(w, 'in_transit');
      const rb = await readingsFor(b.tripId);
      const noLock = await pass({ ...rb, lockIdRead: null });
      assert.ok(codes(noLock).includes('lock_not_read'));
      const c = await tripIn(w, 'in_transit');
      const rc = await readingsFor(c.tripId);
      const plate = await pass({ ...rc, platesRead: ['闽A99999'] });
      assert.ok(codes(plate).includes('plate_mismatch'));

      const s = await tripIn(w, 'sealed'); // sealed at origin, never departed
      const notTransit = await pass(await readingsFor(s.tripId));
      assert.equal(notTransit.body.decision, 'hold'); assert.ok(codes(notTransit).includes('trip_not_in_transit'));

      for (const [type, code] of [['tamper', 'seal_not_intact'], ['signal_lost', 'critical_alert_open']] as const) {
        const t = await tripIn(w, 'in_transit');
        await raise(h, t.tripId, type, 'critical');
        const r = await pass(await readingsFor(t.tripId));
        assert.equal(r.body.decision, 'hold'); assert.ok(codes(r).includes(code), `${type} → ${code}: ${codes(r)}`);
        assert.equal((await h.req('GET', `/api/v1/trips/${t.tripId}`, { token: w.officer })).body.state, 'held');
      }
    });

    it('inspect reasons: time limit, weighbridge out of tolerance and missing, targeting rule, random sample', async () => {
      const late = await tripIn(w, 'in_transit');
      const rl = await readingsFor(late.tripId);
      h.clock.advance(15 * 3600_000);
      const overdue = await pass(rl);
      h.clock.advance(-15 * 3600_000);
      assert.equal(overdue.body.decision, 'inspect'); assert.ok(codes(overdue).includes('time_limit_exceeded'));
      Object.assign(w, await (await import('./fixtures.ts')).world(h));

      const heavy = await tripIn(w, 'in_transit');
      const rh = await pass({ ...(await readingsFor(heavy.tripId)), grossKg: 18000 * 1.05 });
      assert.deepEqual(codes(rh), ['weight_out_of_tolerance']);
      const nokg = await tripIn(w, 'in_transit');
      const rn = await pass({ ...(await readingsFor(nokg.tripId)), grossKg: null });
      assert.deepEqual(codes(rn), ['no_weight_reading']);
      // 500 kg floor: 18000 kg ±3% is ±540 kg, so +520 kg is within
      const within = await tripIn(w, 'in_transit');
      assert.equal((await pass({ ...(await readingsFor(within.tripId)), grossKg: 18520 })).body.decision, 'release');

      const big = await h.req('POST', '/api/v1/risk/rules', { token: w.supervisor, body: { name: 'high value', minValue: 12_345_678.91, active: false } });
      assert.equal(big.status, 201, JSON.stringify(big.body));
      assert.equal((await h.req('GET', `/api/v1/risk/rules/${big.body.id}`, { token: w.supervisor })).body.minValue, 12_345_678.91, 'a value threshold is kept to the cent');
      const rule = await h.req('POST', '/api/v1/risk/rules', { token: w.supervisor, body: { name: 'citrus 0805', hsPrefix: '0805' } });
      assert.equal(rule.status, 201);
      const targeted = await tripIn(w, 'in_transit');
      const rt = await pass(await readingsFor(targeted.tripId));
      assert.deepEqual(codes(rt), ['risk_rule_selected']); assert.match(rt.body.reasons.find((x: any) => x.code === 'risk_rule_selected').message, /citrus 0805/);
      await h.req('PATCH', `/api/v1/risk/rules/${rule.body.id}`, { token: w.supervisor, body: { version: rule.body.version, active: false } });

      await h.req('PUT', '/api/v1/risk/sampling', { token: w.supervisor, body: { rates: { advanced: 1, general: 1, low: 1 }, seed: 'fixed-seed-for-tests' } });
      const sampled = await tripIn(w, 'in_transit');
      const rs = await pass(await readingsFor(sampled.tripId));
      await h.req('PUT', '/api/v1/risk/sampling', { token: w.supervisor, body: { rates: { advanced: 0, general: 0, low: 0 }, seed: 'fixed-seed-for-tests' } });
      assert.deepEqual(codes(rs), ['random_sample_selected']);
    });

    it('sampling is deterministic from the trip ID and the recorded seed, and replayable', async () => {
      assert.equal(sampleDraw('seed-a', 'trp_1'), sampleDraw('seed-a', 'trp_1'));
      assert.notEqual(sampleDraw('seed-a', 'trp_1'), sampleDraw('seed-b', 'trp_1'));
      const draws = Array.from({ length: 2000 }, (_, i) => sampleDraw('s', `trp_${i}`));
      const share = draws.filter((d) => d < 0.05).length / draws.length;
      assert.ok(share > 0.03 && share < 0.07, `5% rate selected ${share}`);
      const subj = { tripId: 'trp_x', hsCodes: ['851762'], creditGrade: 'general', originPlaceId: 'p', declaredValue: 1, confirmedViolations: 0 };
      assert.deepEqual(selectForInspection([], { general: 0.5 }, 'k', subj, ''), selectForInspection([], { general: 0.5 }, 'k', subj, ''));
      const t = await tripIn(w, 'in_transit');
      const a = await h.req('GET', `/api/v1/risk/replay/${t.tripId}`, { token: w.supervisor });
      const b = await h.req('GET', `/api/v1/risk/replay/${t.tripId}`, { token: w.supervisor });
      assert.equal(a.body.draw, sampleDraw('fixed-seed-for-tests', t.tripId)); assert.deepEqual(a.body, b.body);
    });

    it('a retried passage (same passageId) returns the same answer and changes nothing more', async () => {
      const { tripId } = await tripIn(w, 'in_transit');
      const body = { passageId: `retry-${uniq()}`, ...(await readingsFor(tripId)) };
      const r1 = await h.req('POST', `/api/v1/gates/${gateId}/lanes/L2/passages`, { apiKey: key, body });
      const r2 = await h.req('POST', `/api/v1/gates/${gateId}/lanes/L2/passages`, { apiKey: key, body });
      assert.equal(r1.body.id, r2.body.id); assert.equal(r2.body.replay, true); assert.equal(r2.body.decision, r1.body.decision);
      const list = await h.req('GET', `/api/v1/passages?tripId=${tripId}`, { token: w.officer });
      assert.equal(list.body.items.length, 1);
      const t = (await h.req('GET', `/api/v1/trips/${tripId}`, { token: w.officer })).body;
      assert.equal(t.sealSessions.length, 2, 'handed over once, not twice');
    });

    it('inspect creates a task; with a CT image and a release verdict the trip is handed over', async () => {
      const { tripId } = await tripIn(w, 'in_transit');
      const r = await pass({ ...(await readingsFor(tripId)), grossKg: null });
      assert.equal(r.body.decision, 'inspect');
      assert.equal((await h.req('GET', `/api/v1/trips/${tripId}`, { token: w.officer })).body.state, 'inspection');
      const tasks = (await h.req('GET', `/api/v1/inspections?tripId=${tripId}`, { token: w.officer })).body.items;
      assert.equal(tasks.length, 1);
      const me = (await h.req('GET', '/api/v1/auth/me', { token: w.officer })).body;
      assert.equal((await h.req('POST', `/api/v1/inspections/${tasks[0].id}/assign`, { token: w.officer, body: { assigneeId: me.id } })).body.state, 'assigned');
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
      const img = await h.p.app.inject({ method: 'POST', url: `/api/v1/inspections/${tasks[0].id}/images`, headers: { authorization: `Bearer ${w.officer}`, 'content-type': 'image/png' }, payload: png });
      assert.equal(img.statusCode, 201, img.body);
      const fake = await h.p.app.inject({ method: 'POST', url: `/api/v1/inspections/${tasks[0].id}/images`, headers: { authorization: `Bearer ${w.officer}`, 'content-type': 'image/png' }, payload: Buffer.from('not an image at all') });
      assert.equal(fake.statusCode, 415); assert.equal(fake.json().code, 'not_an_image');
      const res = await h.req('POST', `/api/v1/inspections/${tasks[0].id}/result`, { token: w.officer, body: { result: 'CT image matches manifest; weighbridge fault confirmed', verdict: 'release' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const t = (await h.req('GET', `/api/v1/trips/${tripId}`, { token: w.officer })).body;
      assert.equal(t.state, 'handed_over'); assert.equal(t.sealSessions.at(-1).jurisdiction, 'HK');
      assert.equal((await h.req('GET', `/api/v1/inspections/${tasks[0].id}`, { token: w.officer })).body.images.length, 1);
      // the inspection is done: an image is refused and leaves no file behind
      const late = await h.p.app.inject({ method: 'POST', url: `/api/v1/inspections/${tasks[0].id}/images`, headers: { authorization: `Bearer ${w.officer}`, 'content-type': 'image/png' }, payload: png });
      assert.equal(late.statusCode, 409, late.body);
      const { readdirSync } = await import('node:fs');
      assert.equal(readdirSync(dataPath(h.p.ctx.settings, 'inspections', tasks[0].id)).length, 1);
    });

    it('an override needs a reason, is audited, and acts on the trip; reports give rate and percentiles', async () => {
      const { tripId } = await tripIn(w, 'in_transit');
      const r = await pass({ ...(await readingsFor(tripId)), lockIdRead: null });
      assert.equal(r.body.decision, 'hold');
      assert.equal((await h.req('POST', `/api/v1/passages/${r.body.id}/override`, { token: w.officer, body: { decision: 'release' } })).status, 400);
      const o = await h.req('POST', `/api/v1/passages/${r.body.id}/override`, { token: w.officer, body: { decision: 'release', reason: 'RFID reader fault; lock ID checked by hand' } });
      assert.equal(o.status, 200, JSON.stringify(o.body)); assert.equal(o.body.effectiveDecision, 'release');
      assert.equal((await h.req('GET', `/api/v1/trips/${tripId}`, { token: w.officer })).body.state, 'handed_over');
      const audit = await h.req('GET', `/api/v1/audit?subject=${r.body.id}`, { token: w.supervisor });
      assert.deepEqual(audit.body.items.map((e: any) => e.action), ['gate.override', 'gate.decision']);
      const rep = (await h.req('GET', `/api/v1/gates/report?gateId=${gateId}`, { token: w.supervisor })).body;
      assert.ok(rep.passages >= 10); assert.ok(rep.autoReleaseRate > 0 && rep.autoReleaseRate < 1); assert.ok(rep.decisionMs.p99 >= rep.decisionMs.p50);
      // the report agrees with the stored passages it summarises
      const listed = (await h.req('GET', `/api/v1/passages?gateId=${gateId}&limit=200`, { token: w.supervisor })).body.items;
      assert.equal(listed.length, rep.passages);
      const ms = listed.map((x: any) => x.decisionMs).sort((a: number, b: number) => a - b);
      assert.deepEqual(rep.decisionMs, { p50: nearestRank(ms, 50), p95: nearestRank(ms, 95), p99: nearestRank(ms, 99), max: ms.at(-1) });
      assert.equal(rep.autoReleaseRate, listed.filter((x: any) => x.decision === 'release' && !x.override).length / listed.length);
      assert.equal(rep.byDecision.hold, listed.filter((x: any) => x.decision === 'hold').length);
    });

    it('a controller key for one gate cannot post to another', async () => {
      const places = (await h.req('GET', '/api/v1/places?kind=boundary_control_point', { token: w.officer })).body.items;
      const other = await h.req('POST', '/api/v1/gates', { token: w.supervisor, body: { name: `Other ${kind}`, placeId: places[0].id, jurisdiction: 'HK', lanes: [{ code: 'A', direction: 'inbound' }] } });
      const r = await h.req('POST', `/api/v1/gates/${other.body.id}/lanes/A/passages`, { apiKey: key, body: { passageId: 'x', platesRead: [] } });
      assert.equal(r.status, 403);
    });

    it("a controller key reads only its own gate's passages, and moves trips only by a passage (not the trip actions)", async () => {
      const places = (await h.req('GET', '/api/v1/places?kind=boundary_control_point', { token: w.officer })).body.items;
      const other = await h.req('POST', '/api/v1/gates', { token: w.supervisor, body: { name: `Third ${kind}`, placeId: places[0].id, jurisdiction: 'HK', lanes: [{ code: 'B', direction: 'inbound' }] } });
      const theirs = await h.req('POST', `/api/v1/gates/${other.body.id}/lanes/B/passages`, { apiKey: other.body.controllerApiKey, body: { passageId: `p-${uniq()}`, platesRead: ['粤Z0000港'] } });
      assert.equal(theirs.status, 200, JSON.stringify(theirs.body));
      await pass({ platesRead: ['粤Z0001港'] });
      const mine = await h.req('GET', '/api/v1/passages?limit=200', { apiKey: key });
      assert.ok(mine.body.items.length > 0);
      assert.ok(mine.body.items.every((p: any) => p.gateId === gateId), 'only this gate');
      const asked = await h.req('GET', `/api/v1/passages?gateId=${other.body.id}`, { apiKey: key });
      assert.deepEqual(asked.body.items, []);
      assert.equal((await h.req('GET', `/api/v1/passages?gateId=${other.body.id}`, { token: w.officer })).body.items.length, 1, 'officers see every gate');
      const { tripId } = await tripIn(w, 'in_transit');
      for (const action of ['hold', 'arrive-boundary', 'inspect'])
        assert.equal((await h.req('POST', `/api/v1/trips/${tripId}/${action}`, { apiKey: key, body: { reason: 'no passage' } })).status, 403, action);
      assert.equal((await h.req('GET', `/api/v1/trips/${tripId}`, { token: w.officer })).body.state, 'in_transit');
    });
  });
}

/** Raises an alert through the same store the rules use. */
async function raise(h: Harness, tripId: string, type: string, severity: 'warning' | 'critical') {
  const { applySignals } = await import('../../src/alerts/alert-store.ts');
  await h.p.ctx.change((trx, audit) => applySignals(trx, h.p.ctx, [{ kind: 'raise', tripId, deviceId: null, type, severity, time: h.clock.now(), late: false }], audit));
}
