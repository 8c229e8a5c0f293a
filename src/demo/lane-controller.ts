/**
 * The Shenzhen Bay lane controller of the live demo: when a demo truck stands at the lane it posts
 * the lane's readings (plates, lock ID, weighbridge) to the platform over HTTP with the demo gate
 * key, exactly as a real controller would, and hands back the decision.
 */
import type { AppContext } from '../platform/context.ts';

export interface LaneReading { passageId: string; laneCode: string; plates: string[]; lockId: string; grossKg: number; readAt: number }
export interface LaneDecision { id: string; decision: 'release' | 'inspect' | 'hold'; reasons: { code: string; outcome: string }[] }

export interface DemoGate { id: string; laneCodes: string[] }

/** The gate at the route's CN boundary place (the seed's Shenzhen Bay gate) and its lanes. */
export async function demoGate(ctx: AppContext, boundaryPlaceId: string): Promise<DemoGate | null> {
  const g = await ctx.store.db.selectFrom('gates').select('id').where('place_id', '=', boundaryPlaceId).orderBy('id').executeTakeFirst();
  if (!g) return null;
  const lanes = await ctx.store.db.selectFrom('gate_lanes').select('code').where('gate_id', '=', g.id).where('direction', '=', 'outbound').orderBy('code').execute();
  return lanes.length ? { id: g.id, laneCodes: lanes.map((l) => l.code) } : null;
}

export class LaneController {
  constructor(private baseUrl: string, private gate: DemoGate, private apiKey: string) {}

  lane(n: number) { return this.gate.laneCodes[n % this.gate.laneCodes.length]!; }

  /** One passage; a retry with the same passageId gets the same answer. Throws on anything but 200. */
  async post(r: LaneReading): Promise<LaneDecision> {
    const res = await fetch(`${this.baseUrl}/api/v1/gates/${encodeURIComponent(this.gate.id)}/lanes/${encodeURIComponent(r.laneCode)}/passages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey },
      body: JSON.stringify({ passageId: r.passageId, platesRead: r.plates, lockIdRead: r.lockId, grossKg: r.grossKg, readAt: new Date(r.readAt).toISOString() }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => ({}))) as LaneDecision & { code?: string; detail?: string };
    if (res.status !== 200) throw new Error(`gate passage ${r.passageId}: HTTP ${res.status} ${body.code ?? ''} ${body.detail ?? ''}`.trim());
    return body;
  }
}
