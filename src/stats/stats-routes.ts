import { Type } from 'typebox';
import type { RouteModule } from '../platform/http/app.ts';
import { invalidField } from '../platform/errors.ts';

const iso = (v: unknown) => new Date(v as string).toISOString();
const day = (v: unknown) => iso(v).slice(0, 10);

/**
 * GET /api/v1/stats: the monitoring centre's figures over a window of days. Aggregated in code
 * rather than SQL so SQLite and PostgreSQL give identical answers (date functions differ).
 * Time saved: every passage the gate released on its own spares the manual clearance the
 * `statsBaselineClearanceMin` setting says a conventional crossing takes.
 */
export const statsRoutes: RouteModule = (app, ctx) => {
  app.get('/api/v1/stats', {
    config: { roles: ['officer', 'supervisor'] },
    schema: { tags: ['stats'], summary: 'Trips per day, transit time by route, alerts by type, auto-release rate, time saved, goods value', querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 14 })) }) },
  }, async (req) => {
    const days = (req.query as { days?: number }).days ?? 14;
    if (!Number.isInteger(days) || days < 1 || days > 366) throw invalidField('days', 'between 1 and 366');
    const now = ctx.clock.now();
    const since = new Date(now - days * 86_400_000).toISOString();
    const db = ctx.store.db;

    const trips = await db.selectFrom('trips').select(['id', 'route_id', 'created_at', 'declaration_id']).where('created_at', '>=', since).execute();
    const perDay = new Map<string, number>();
    for (let t = now - (days - 1) * 86_400_000; t <= now; t += 86_400_000) perDay.set(day(t), 0);
    for (const t of trips) perDay.set(day(t.created_at), (perDay.get(day(t.created_at)) ?? 0) + 1);

    const routes = new Map((await db.selectFrom('routes').select(['id', 'name']).execute()).map((r) => [r.id, r.name]));
    const tr = trips.length ? await db.selectFrom('trip_transitions').select(['trip_id', 'action', 'at'])
      .where('action', 'in', ['depart', 'arrive']).where('at', '>=', since).execute() : [];
    const dep = new Map<string, number>(), arr = new Map<string, number>();
    for (const x of tr) (x.action === 'depart' ? dep : arr).set(x.trip_id, Date.parse(iso(x.at)));
    const byRoute = new Map<string, number[]>();
    for (const t of trips) {
      const d = dep.get(t.id), a = arr.get(t.id);
      if (d !== undefined && a !== undefined && a >= d) byRoute.set(t.route_id, [...(byRoute.get(t.route_id) ?? []), (a - d) / 60_000]);
    }
    const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

    const alerts = await db.selectFrom('alerts').select(['type', 'severity']).where('created_at', '>=', since).execute();
    const byType = new Map<string, number>();
    for (const a of alerts) byType.set(a.type, (byType.get(a.type) ?? 0) + 1);

    const passages = await db.selectFrom('passages').select(['decision', 'override_decision']).where('decided_at', '>=', since).execute();
    const autoReleased = passages.filter((p) => p.decision === 'release' && !p.override_decision).length;

    const decIds = trips.map((t) => t.declaration_id);
    const value = new Map<string, number>();
    for (let i = 0; i < decIds.length; i += 500) {
      for (const d of await db.selectFrom('declarations').select(['goods']).where('id', 'in', decIds.slice(i, i + 500)).execute()) {
        for (const g of JSON.parse(d.goods) as { value: number; currency: string }[]) value.set(g.currency, (value.get(g.currency) ?? 0) + g.value);
      }
    }
    const baseline = ctx.settings.statsBaselineClearanceMin;
    return {
      window: { since, until: new Date(now).toISOString(), days },
      tripsPerDay: [...perDay].map(([date, count]) => ({ date, count })),
      transitByRoute: [...byRoute].map(([routeId, xs]) => ({ routeId, route: routes.get(routeId) ?? routeId, trips: xs.length, medianMin: Math.round(median(xs)), meanMin: Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) })),
      alertsByType: [...byType].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count),
      gate: { passages: passages.length, autoReleased, autoReleaseRate: passages.length ? autoReleased / passages.length : null },
      timeSaved: { baselineClearanceMin: baseline, autoReleased, savedMin: autoReleased * baseline },
      goodsValue: [...value].map(([currency, total]) => ({ currency, total: Math.round(total * 100) / 100 })),
    };
  });
};
