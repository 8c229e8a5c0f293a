/**
 * HTTP ingest for vendors without JT/T 808: a batch of JSON positions with a device API key, through
 * the same group-commit writer (and so the same rules) as the TCP gateway. A batch is all-or-nothing:
 * one bad position refuses the batch, naming it, and stores nothing.
 */
import { parseInstant } from '../platform/dates.ts';
import { Type } from 'typebox';
import type { RouteModule } from '../platform/http/app.ts';
import { ProblemSchema } from '../platform/http/problem.ts';
import { invalidField, forbidden } from '../platform/errors.ts';
import { LOCK_EVENTS } from './lock-events.ts';
import type { PositionRecord } from './position.ts';

const Pos = Type.Object({
  terminalId: Type.String(),
  fixTime: Type.String({ description: 'ISO 8601 with a zone, e.g. 2026-11-28T10:15:00+08:00' }),
  serial: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  altitudeM: Type.Optional(Type.Number()),
  speedKmh: Type.Optional(Type.Number({ minimum: 0, maximum: 400 })),
  heading: Type.Optional(Type.Number({ minimum: 0, maximum: 360 })),
  batteryPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  lockEvents: Type.Optional(Type.Array(Type.Union(LOCK_EVENTS.map((e) => Type.Literal(e))))),
  late: Type.Optional(Type.Boolean({ description: 'uploaded from the device buffer after a dead zone' })),
}, { additionalProperties: false });

export const ingestRoutes: RouteModule = (app, ctx) => {
  app.post('/api/v1/ingest/positions', {
    config: { roles: ['device'] },
    bodyLimit: 4 * 1024 * 1024,
    schema: {
      tags: ['devices'], summary: 'Post a batch of positions (device API key); answered after they are durable',
      body: Type.Object({ positions: Type.Array(Pos, { minItems: 1, maxItems: 5000 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ stored: Type.Integer(), duplicates: Type.Integer() }), 400: ProblemSchema, 403: ProblemSchema },
    },
  }, async (req) => {
    const { positions } = req.body;
    const tids = [...new Set(positions.map((p) => p.terminalId))];
    const devs = await ctx.store.db.selectFrom('devices').select(['id', 'terminal_id', 'last_seen_at']).where('terminal_id', 'in', tids).execute();
    const byTid = new Map(devs.map((d) => [d.terminal_id, d]));
    const now = ctx.clock.now();
    const recs: PositionRecord[] = positions.map((p, i) => {
      const dev = byTid.get(p.terminalId);
      if (!dev) throw invalidField(`positions[${i}].terminalId`, `terminal ${p.terminalId} is not registered`, 'unknown_terminal');
      if (req.principal!.subjectId && req.principal!.subjectId !== dev.id) throw forbidden(`this key may post only for its own device, not ${p.terminalId}`);
      const fixTime = parseInstant(p.fixTime);
      if (fixTime === null) throw invalidField(`positions[${i}].fixTime`, `"${p.fixTime}" is not an ISO 8601 time with a zone`, 'invalid_date');
      if (fixTime > now + 5 * 60_000) throw invalidField(`positions[${i}].fixTime`, 'is more than 5 minutes in the future', 'invalid_date');
      const late = p.late ?? (dev.last_seen_at ? fixTime < Date.parse(dev.last_seen_at) : false);
      return {
        deviceId: dev.id, terminalId: p.terminalId, fixTime, receivedAt: now, serial: p.serial ?? Math.floor(fixTime / 1000) % 65536,
        lat: p.lat, lon: p.lon, altitudeM: p.altitudeM ?? 0, speedKmh: p.speedKmh ?? 0, heading: p.heading ?? 0, alarm: 0, status: 0,
        batteryPct: p.batteryPct ?? null, lockEvents: p.lockEvents ?? [], items: {}, late, source: 'http', raw: JSON.stringify(p),
      };
    });
    return ctx.positions.write(recs);
  });
};
