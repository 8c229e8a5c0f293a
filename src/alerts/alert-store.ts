/**
 * Turns rule signals into alert rows. One open alert per trip and type (a partial unique index
 * backs this): a repeat updates the open alert, a clear marks its condition inactive but leaves it
 * for an officer to resolve.
 */
import type { AppContext, Trx } from '../platform/context.ts';
import type { AlertRow } from '../platform/db/schema.ts';
import { newId } from '../platform/ids.ts';
import { ALERT_CHANGED, maxSeverity, type AlertSignal } from './alert-model.ts';

export const alertDto = (r: AlertRow) => ({
  id: r.id, tripId: r.trip_id, deviceId: r.device_id, enterpriseId: r.enterprise_id, type: r.type, severity: r.severity, state: r.state,
  active: !!r.active, late: !!r.late, firstAt: r.first_at, lastAt: r.last_at, occurrences: r.occurrences, lat: r.lat, lon: r.lon,
  detail: JSON.parse(r.detail), assigneeId: r.assignee_id, disposition: r.disposition, incidentCode: r.incident_code, escalatedAt: r.escalated_at,
  acknowledgedAt: r.acknowledged_at, acknowledgedBy: r.acknowledged_by, resolvedAt: r.resolved_at, resolvedBy: r.resolved_by, version: r.version,
  createdAt: r.created_at, updatedAt: r.updated_at,
});
export type AlertDto = ReturnType<typeof alertDto>;

/** Applies signals in one transaction; returns the alerts that changed, for the live feed and webhooks. */
export async function applySignals(trx: Trx, ctx: AppContext, signals: AlertSignal[], audit: (e: any) => Promise<void>): Promise<AlertRow[]> {
  const changed: AlertRow[] = [];
  const now = ctx.nowIso();
  for (const s of signals) {
    const at = new Date(s.time).toISOString();
    const open = await trx.selectFrom('alerts').selectAll().where('trip_id', '=', s.tripId).where('type', '=', s.type).where('state', '!=', 'resolved').executeTakeFirst();
    if (s.kind === 'clear') {
      if (!open || !open.active) continue;
      const next = { ...open, active: 0, last_at: at > open.last_at ? at : open.last_at, version: open.version + 1, updated_at: now, detail: JSON.stringify({ ...JSON.parse(open.detail), clearedAt: at }) };
      await trx.updateTable('alerts').set({ active: 0, last_at: next.last_at, detail: next.detail, version: next.version, updated_at: now }).where('id', '=', open.id).execute();
      changed.push(next);
      continue;
    }
    if (open) {
      const severity = maxSeverity(open.severity, s.severity);
      const next: AlertRow = {
        ...open, severity, active: 1, occurrences: open.occurrences + 1, last_at: at > open.last_at ? at : open.last_at,
        lat: s.lat ?? open.lat, lon: s.lon ?? open.lon, detail: JSON.stringify({ ...JSON.parse(open.detail), ...s.detail }), version: open.version + 1, updated_at: now,
        // an escalation in severity re-opens an acknowledged alert so it is seen again
        state: severity !== open.severity && open.state === 'acknowledged' ? 'open' : open.state,
      };
      await trx.updateTable('alerts').set({ severity, active: 1, occurrences: next.occurrences, last_at: next.last_at, lat: next.lat, lon: next.lon, detail: next.detail, version: next.version, updated_at: now, state: next.state }).where('id', '=', open.id).execute();
      if (severity !== open.severity) await audit({ actor: 'system:rules', action: 'alert.escalate_severity', subject: open.id, before: { severity: open.severity }, after: { severity } });
      changed.push(next);
      continue;
    }
    const trip = await trx.selectFrom('trips').select(['enterprise_id']).where('id', '=', s.tripId).executeTakeFirstOrThrow();
    const row: AlertRow = {
      id: newId('alr', ctx.clock.now()), trip_id: s.tripId, device_id: s.deviceId, enterprise_id: trip.enterprise_id, type: s.type, severity: s.severity,
      state: 'open', active: 1, late: s.late ? 1 : 0, first_at: at, last_at: at, occurrences: 1, lat: s.lat ?? null, lon: s.lon ?? null,
      detail: JSON.stringify(s.detail ?? {}), assignee_id: null, disposition: null, incident_code: null, escalated_at: null,
      acknowledged_at: null, acknowledged_by: null, resolved_at: null, resolved_by: null, version: 1, created_at: now, updated_at: now,
    };
    await trx.insertInto('alerts').values(row).execute();
    await audit({ actor: 'system:rules', action: 'alert.raise', subject: row.id, after: { tripId: s.tripId, type: s.type, severity: s.severity, late: s.late } });
    changed.push(row);
  }
  return changed;
}

export function publishAlerts(ctx: AppContext, rows: AlertRow[]) {
  for (const r of rows) ctx.bus.publish(ALERT_CHANGED, alertDto(r));
}
