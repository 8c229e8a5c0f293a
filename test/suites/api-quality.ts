/** Role matrix from the route table, enterprise isolation, idempotency, versions, paging, error shape, audit tamper. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { harness, type DbKind, type Harness } from '../harness.ts';
import { ROLES } from '../../src/platform/auth/principal.ts';
import { demoGateKey } from '../../src/demo/seed.ts';
import { world, tripIn, newVehicleAndDriver, type World } from './fixtures.ts';

export function apiQualitySuite(kind: DbKind, skip: string | false = false) {
  describe(`API quality and security (${kind})`, { skip }, () => {
    let h: Harness, w: World;
    const creds: Record<string, { token?: string; apiKey?: string }> = {};
    before(async () => {
      h = await harness(kind);
      w = await world(h);
      creds.enterprise = { token: w.ent };
      creds.officer = { token: w.officer };
      creds.supervisor = { token: w.supervisor };
      creds.gate = { apiKey: demoGateKey(h.p.ctx) };
      for (const role of ['peer', 'device']) {
        const r = await h.req('POST', '/api/v1/api-keys', { token: w.supervisor, body: { role, label: `${role} for tests` } });
        assert.equal(r.status, 201);
        creds[role] = { apiKey: r.body.key };
      }
    });
    after(async () => h?.close());

    it('role × route matrix, derived from the route table: every route has explicit roles and enforces them', async () => {
      assert.ok(h.p.routeTable.length > 40, `only ${h.p.routeTable.length} routes in the table`);
      assert.deepEqual(Object.keys(creds).sort(), [...ROLES].sort(), 'the matrix covers every role');
      let checked = 0;
      for (const route of h.p.routeTable) {
        const url = route.url.replace(/:(\w+)/g, 'no_such_$1');
        const anon = await h.req(route.method, url, { body: ['POST', 'PATCH', 'PUT'].includes(route.method) ? {} : undefined });
        if (route.roles === 'public') assert.notEqual(anon.status, 401, `${route.method} ${route.url} is public`);
        else assert.equal(anon.status, 401, `${route.method} ${route.url} without credentials`);
        for (const role of ROLES) {
          const r = await h.req(route.method, url, { ...creds[role], body: ['POST', 'PATCH', 'PUT'].includes(route.method) ? {} : undefined });
          const allowed = route.roles === 'public' || route.roles.includes(role);
          if (allowed) assert.ok(r.status !== 401 && r.status !== 403, `${role} may ${route.method} ${route.url}, got ${r.status} ${JSON.stringify(r.body)}`);
          else assert.equal(r.status, 403, `${role} may not ${route.method} ${route.url}, got ${r.status}`);
          checked++;
        }
      }
      assert.ok(checked >= h.p.routeTable.length * ROLES.length);
    });

    it('a revoked API key stops working at once, even though keys are cached', async () => {
      const k = await h.req('POST', '/api/v1/api-keys', { token: w.supervisor, body: { role: 'peer', label: 'to revoke' } });
      assert.equal((await h.req('GET', '/api/v1/trips?limit=1', { apiKey: k.body.key })).status, 200);
      assert.equal((await h.req('DELETE', `/api/v1/api-keys/${k.body.id}`, { token: w.supervisor })).status, 204);
      assert.equal((await h.req('GET', '/api/v1/trips?limit=1', { apiKey: k.body.key })).status, 401);
    });

    it('a route registered without roles refuses to register', async () => {
      await assert.rejects(async () => {
        const { buildHttp } = await import('../../src/platform/http/app.ts');
        await buildHttp(h.p.ctx, [(app) => { app.get('/api/v1/oops', async () => 'x'); }]);
      }, /has no explicit roles/);
    });

    it('an enterprise sees and changes only its own data', async () => {
      const mine = await tripIn(w, 'accepted');
      const other = await h.req('GET', `/api/v1/trips/${mine.tripId}`, { token: w.entOther });
      assert.equal(other.status, 404);
      const list = await h.req('GET', '/api/v1/trips?limit=200', { token: w.entOther });
      assert.ok(list.body.items.every((t: any) => t.enterpriseId !== w.enterpriseId));
      const vehicles = await h.req('GET', '/api/v1/vehicles?limit=200', { token: w.entOther });
      const myVehicles = await h.req('GET', '/api/v1/vehicles?limit=200', { token: w.ent });
      const otherIds = new Set(vehicles.body.items.map((v: any) => v.id));
      assert.ok(myVehicles.body.items.length > 0 && myVehicles.body.items.every((v: any) => !otherIds.has(v.id)));
      const v = myVehicles.body.items[0];
      const patch = await h.req('PATCH', `/api/v1/vehicles/${v.id}`, { token: w.entOther, body: { version: v.version, plateHk: 'ZZ9' } });
      assert.equal(patch.status, 404);
      const ents = await h.req('GET', '/api/v1/enterprises', { token: w.ent });
      assert.deepEqual(ents.body.items.map((e: any) => e.id), [w.enterpriseId]);
    });

    it('Idempotency-Key: a retried create returns the first response and creates nothing new', async () => {
      const body = { plateCn: '闽C88888', plateHk: 'KT8888' };
      const a = await h.req('POST', '/api/v1/vehicles', { token: w.ent, body, headers: { 'idempotency-key': 'k-1' } });
      const b = await h.req('POST', '/api/v1/vehicles', { token: w.ent, body, headers: { 'idempotency-key': 'k-1' } });
      assert.equal(a.status, 201); assert.equal(b.status, 201);
      assert.equal(b.body.id, a.body.id);
      assert.equal(b.headers['idempotent-replay'], 'true');
      const c = await h.req('POST', '/api/v1/vehicles', { token: w.ent, body });
      assert.equal(c.status, 409); assert.equal(c.body.code, 'duplicate');
    });

    it('Idempotency-Key: a refused request is not replayed, and a key reused for another body is refused with 422', async () => {
      const bad = await h.req('POST', '/api/v1/vehicles', { token: w.ent, body: { plateCn: 'not a plate' }, headers: { 'idempotency-key': 'k-2' } });
      assert.equal(bad.status, 400);
      const fixed = await h.req('POST', '/api/v1/vehicles', { token: w.ent, body: { plateCn: '闽C87878' }, headers: { 'idempotency-key': 'k-2' } });
      assert.equal(fixed.status, 201, JSON.stringify(fixed.body));
      assert.equal(fixed.headers['idempotent-replay'], undefined);
      const other = await h.req('POST', '/api/v1/vehicles', { token: w.ent, body: { plateCn: '闽C86868' }, headers: { 'idempotency-key': 'k-2' } });
      assert.equal(other.status, 422); assert.equal(other.body.code, 'idempotency_key_reused');
      const list = await h.req('GET', '/api/v1/vehicles?limit=200', { token: w.ent });
      assert.equal(list.body.items.filter((v: any) => v.plateCn === '闽C86868').length, 0, 'the second body created nothing');
    });

    it('customs users register enterprises; a record naming an enterprise that does not exist is a 400, and a duplicate names no SQL', async () => {
      const e = await h.req('POST', '/api/v1/enterprises', { token: w.supervisor, body: { name: 'Quanzhou New Trade Co.', uscc: '91350500MA2Y7XB2QM', creditGrade: 'general' } });
      assert.equal(e.status, 201, JSON.stringify(e.body));
      const dup = await h.req('POST', '/api/v1/enterprises', { token: w.supervisor, body: { name: 'Again', uscc: '91350500MA2Y7XB2QM', creditGrade: 'general' } });
      assert.equal(dup.status, 409); assert.equal(dup.body.code, 'duplicate');
      assert.doesNotMatch(JSON.stringify(dup.body), /constraint|sqlite|enterprises\.uscc/i);
      const v = await h.req('POST', '/api/v1/vehicles', { token: w.officer, body: { enterpriseId: 'ent_nope', plateCn: '闽C85858' } });
      assert.equal(v.status, 400); assert.equal(v.body.code, 'unknown_enterprise');
      const list = await h.req('GET', '/api/v1/vehicles?limit=200', { token: w.officer });
      assert.equal(list.body.items.filter((x: any) => x.plateCn === '闽C85858').length, 0);
    });

    it('a JSON body is taken as typed (no coercion), and a time that names no instant is invalid in bodies and queries', async () => {
      const nul = await h.req('POST', '/api/v1/vehicles', { token: w.ent, body: { plateCn: 123 } });
      assert.equal(nul.status, 400); assert.equal(nul.body.code, 'validation_failed');
      const leapQ = await h.req('GET', '/api/v1/alerts?since=2026-12-31T23:59:60Z', { token: w.officer });
      assert.equal(leapQ.status, 400, JSON.stringify(leapQ.body)); assert.equal(leapQ.body.code, 'validation_failed');
      const feb30 = await h.req('GET', '/api/v1/alerts?since=2026-02-30T00:00:00Z', { token: w.officer });
      assert.equal(feb30.status, 400);
      const ok = await h.req('GET', '/api/v1/alerts?since=2026-02-28T00:00:00%2B08:00&limit=5', { token: w.officer });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
    });

    it("a disabled user's token stops working at once, and a role change applies to the next request", async () => {
      const u = await h.req('POST', '/api/v1/users', { token: w.supervisor, body: { username: 'short.lived', displayName: 'Short Lived', password: 'correct horse battery', role: 'officer', administration: 'CN' } });
      assert.equal(u.status, 201, JSON.stringify(u.body));
      const tok = await h.login('short.lived', 'correct horse battery');
      assert.equal((await h.req('GET', '/api/v1/trips?limit=1', { token: tok })).status, 200);
      const down = await h.req('PATCH', `/api/v1/users/${u.body.id}`, { token: w.supervisor, body: { version: u.body.version, role: 'enterprise', enterpriseId: w.enterpriseId, administration: null } });
      assert.equal(down.status, 200, JSON.stringify(down.body));
      assert.equal((await h.req('GET', '/api/v1/alerts?limit=1', { token: tok })).status, 200);
      assert.equal((await h.req('POST', '/api/v1/risk/rules', { token: tok, body: { name: 'x', hsPrefix: '85' } })).status, 403, 'no longer an officer');
      const off = await h.req('PATCH', `/api/v1/users/${u.body.id}`, { token: w.supervisor, body: { version: down.body.version, disabled: true } });
      assert.equal(off.status, 200, JSON.stringify(off.body));
      const r = await h.req('GET', '/api/v1/trips?limit=1', { token: tok });
      assert.equal(r.status, 401);
    });

    it('a list filter with a value no record can have is a 400, not an empty page', async () => {
      const r = await h.req('GET', '/api/v1/trips?state=bogus', { token: w.officer });
      assert.equal(r.status, 400); assert.equal(r.body.code, 'validation_failed');
      assert.equal((await h.req('GET', '/api/v1/trips?state=in_transit&limit=5', { token: w.officer })).status, 200);
    });

    it('names and labels have a length limit (a 900 KB name would be stored and copied into the audit log)', async () => {
      const r = await h.req('POST', '/api/v1/api-keys', { token: w.supervisor, body: { role: 'device', label: 'x'.repeat(201) } });
      assert.equal(r.status, 400); assert.equal(r.body.code, 'validation_failed'); assert.match(r.body.detail, /label/);
      const v = await h.req('POST', '/api/v1/places', { token: w.supervisor, body: { name: '港'.repeat(201), kind: 'other', jurisdiction: 'CN', geometry: { type: 'Point', coordinates: [118.5, 24.7] } } });
      assert.equal(v.status, 400); assert.match(v.body.detail, /name/);
    });

    it('an action whose body is optional can be posted without one', async () => {
      const { tripId } = await tripIn(w, 'in_transit');
      const r = await h.p.app.inject({ method: 'POST', url: `/api/v1/trips/${tripId}/hold`, headers: { authorization: `Bearer ${w.officer}` } });
      assert.equal(r.statusCode, 200, r.body); assert.equal(r.json().state, 'held');
    });

    it('errors raised before routing and by every route share the problem shape', async () => {
      const bad = await h.p.app.inject({ method: 'GET', url: '/api/v1/vehicles/%E0%A4%A', headers: { authorization: `Bearer ${w.officer}` } });
      assert.equal(bad.statusCode, 400); assert.match(String(bad.headers['content-type']), /problem\+json/);
      assert.equal(bad.json().code, 'bad_url');
      const replay = await h.req('GET', '/api/v1/risk/replay/trp_nope', { token: w.officer });
      assert.equal(replay.status, 404); assert.equal(replay.body.code, 'not_found'); assert.ok(replay.body.type && replay.body.title && replay.body.instance);
    });

    it('updates carry a version: a stale edit gets 409 version_conflict and changes nothing', async () => {
      const { vehicleId } = await newVehicleAndDriver(w);
      const v1 = (await h.req('GET', `/api/v1/vehicles/${vehicleId}`, { token: w.ent })).body;
      const ok = await h.req('PATCH', `/api/v1/vehicles/${vehicleId}`, { token: w.ent, body: { version: v1.version, plateHk: 'RM77' } });
      assert.equal(ok.status, 200); assert.equal(ok.body.version, v1.version + 1); assert.equal(ok.body.plateHk, 'RM77');
      const stale = await h.req('PATCH', `/api/v1/vehicles/${vehicleId}`, { token: w.ent, body: { version: v1.version, plateHk: 'RM78' } });
      assert.equal(stale.status, 409); assert.equal(stale.body.code, 'version_conflict');
      assert.equal((await h.req('GET', `/api/v1/vehicles/${vehicleId}`, { token: w.ent })).body.plateHk, 'RM77');
    });

    it('lists page with a cursor and filter', async () => {
      const seen = new Set<string>();
      let cursor: string | null = null, pages = 0;
      do {
        const r: any = await h.req('GET', `/api/v1/devices?limit=4${cursor ? `&cursor=${cursor}` : ''}`, { token: w.officer });
        assert.equal(r.status, 200);
        for (const d of r.body.items) { assert.ok(!seen.has(d.id), 'no item twice'); seen.add(d.id); }
        cursor = r.body.nextCursor; pages++;
      } while (cursor);
      const total = await h.p.ctx.store.db.selectFrom('devices').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(seen.size, Number(total.n)); assert.ok(pages > 1);
      const inStock = await h.req('GET', '/api/v1/devices?state=in_stock&limit=200', { token: w.officer });
      assert.ok(inStock.body.items.length > 0 && inStock.body.items.every((d: any) => d.state === 'in_stock'));
    });

    it('bad input: malformed JSON, wrong fields and bad geometry get problem+json with a stable code, naming the field', async () => {
      const raw = await h.p.app.inject({ method: 'POST', url: '/api/v1/vehicles', headers: { authorization: `Bearer ${w.ent}`, 'content-type': 'application/json' }, payload: '{"plateCn": ' });
      assert.equal(raw.statusCode, 400); assert.match(String(raw.headers['content-type']), /problem\+json/);
      assert.equal(raw.json().code, 'malformed_json');
      const missing = await h.req('POST', '/api/v1/vehicles', { token: w.ent, body: { plateHk: 'AB1' } });
      assert.equal(missing.body.code, 'validation_failed'); assert.match(missing.body.detail, /plateCn/);
      const extra = await h.req('POST', '/api/v1/vehicles', { token: w.ent, body: { plateCn: '闽C11111', colour: 'red' } });
      assert.equal(extra.status, 400); assert.match(extra.body.detail, /colour/);
      const geo = await h.req('POST', '/api/v1/places', { token: w.supervisor, body: { name: 'bad', kind: 'other', jurisdiction: 'CN', geometry: { type: 'Point', coordinates: [200, 24] }, radiusM: 100 } });
      assert.equal(geo.status, 400); assert.equal(geo.body.code, 'invalid_coordinates'); assert.match(geo.body.detail, /geometry/);
      const route = await h.req('POST', '/api/v1/routes', { token: w.supervisor, body: { name: 'r', geometry: { type: 'LineString', coordinates: [[118, 24], [119, 25]] }, placeIds: ['plc_x', 'plc_y'], timeLimitMin: 60 } });
      assert.equal(route.status, 400); assert.equal(route.body.code, 'unknown_place'); assert.match(route.body.detail, /placeIds\[0\]/);
    });

    it('login: wrong passwords are refused and audited; tokens expire', async () => {
      const bad = await h.req('POST', '/api/v1/auth/login', { body: { username: 'officer.cn', password: 'nope' } });
      assert.equal(bad.status, 401);
      const tok = await h.login('officer.cn');
      assert.equal((await h.req('GET', '/api/v1/auth/me', { token: tok })).status, 200);
      h.clock.advance((h.p.ctx.settings.tokenTtlS + 1) * 1000);
      const expired = await h.req('GET', '/api/v1/auth/me', { token: tok });
      assert.equal(expired.status, 401); assert.match(expired.body.detail, /expired/);
      Object.assign(w, await world(h)); // everyone logs in again after the clock jump
      const audit = await h.req('GET', '/api/v1/audit?action=auth.login_failed', { token: await h.login('supervisor') });
      assert.ok(audit.body.items.length >= 1);
      const stored = await h.p.ctx.store.db.selectFrom('users').select('password_hash').where('username', '=', 'officer.cn').executeTakeFirstOrThrow();
      assert.match(stored.password_hash, /^scrypt\$/);
    });

    it('audit: every state change is chained; an edited, inserted or deleted row is detected', async () => {
      const sup = await h.login('supervisor');
      const db = h.p.ctx.store.db;
      const { tripId } = await tripIn(w, 'sealed');
      const entries = await h.req('GET', `/api/v1/audit?subject=${tripId}`, { token: sup });
      assert.deepEqual(entries.body.items.map((e: any) => e.action), ['trip.seal']);
      assert.equal((await h.req('GET', '/api/v1/audit/verify', { token: sup })).body.ok, true);
      const n = Number((await db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m);

      // edited
      const orig = await db.selectFrom('audit_log').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
      await db.updateTable('audit_log').set({ reason: 'quietly changed' }).where('seq', '=', 5).execute();
      let v = (await h.req('GET', '/api/v1/audit/verify', { token: sup })).body;
      assert.deepEqual([v.ok, v.problem, v.firstBadSeq], [false, 'edited', 5]);
      await db.updateTable('audit_log').set({ reason: orig.reason }).where('seq', '=', 5).execute();
      assert.equal((await h.req('GET', '/api/v1/audit/verify', { token: sup })).body.ok, true);

      // deleted
      const victim = await db.selectFrom('audit_log').selectAll().where('seq', '=', 7).executeTakeFirstOrThrow();
      await db.deleteFrom('audit_log').where('seq', '=', 7).execute();
      v = (await h.req('GET', '/api/v1/audit/verify', { token: sup })).body;
      assert.deepEqual([v.ok, v.problem, v.firstBadSeq], [false, 'deleted', 7]);
      await db.insertInto('audit_log').values(victim as any).execute();

      // inserted: a forged entry appended after the last one, linking to it but not hashed by the writer
      await db.insertInto('audit_log').values({ ...victim, seq: n + 1, prev_hash: 'f'.repeat(64), action: 'trip.forged' } as any).execute();
      v = (await h.req('GET', '/api/v1/audit/verify', { token: sup })).body;
      assert.equal(v.ok, false); assert.equal(v.firstBadSeq, n + 1);
      await db.deleteFrom('audit_log').where('seq', '=', n + 1).execute();
      void sql;
      assert.equal((await h.req('GET', '/api/v1/audit/verify', { token: sup })).body.ok, true);
    });

    if (kind === 'sqlite') {
      it('`onelock audit verify` exits 1 on a tampered log and 0 on an intact one', async () => {
        const env = { ...process.env, ONELOCK_DATA_DIR: h.p.ctx.settings.dataDir, ONELOCK_DATABASE_URL: '' };
        const run = () => { try { return { code: 0, out: execFileSync('node', ['bin/onelock.js', 'audit', 'verify'], { env, encoding: 'utf8' }) }; } catch (e: any) { return { code: e.status, out: String(e.stdout) }; } };
        assert.equal(run().code, 0);
        await h.p.ctx.store.db.updateTable('audit_log').set({ actor: 'someone else' }).where('seq', '=', 3).execute();
        const bad = run();
        assert.equal(bad.code, 1); assert.equal(JSON.parse(bad.out).firstBadSeq, 3);
      });
    }
  });
}
