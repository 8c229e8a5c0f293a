/**
 * Lodging an inspection application (申报): checked against the stored requirements register and the
 * facility registrations, refused with every reason at once. The route and the demo seed call this.
 */
import type { AppContext } from '../platform/context.ts';
import { actorOf, type Principal } from '../platform/auth/principal.ts';
import { AppError, invalidField } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { InspectionApplicationRow } from './tables.ts';
import { checkApplication, type InspectionApplication } from './application-check.ts';
import { facilitiesFor, registerFromDb } from './store.ts';

export type ApplicationInput = Omit<InspectionApplication, 'exporter'> & { exporterAddress?: string[] };

/** Field-shape refusals are 400; refusals that depend on the register or registrations are 409. */
const SHAPE = /^(missing_|unknown_|invalid_)/;

export async function lodgeApplication(ctx: AppContext, p: Principal, b: ApplicationInput): Promise<InspectionApplicationRow> {
  const db = ctx.store.db;
  const entId = p.enterpriseId;
  const ent = entId ? await db.selectFrom('enterprises').select(['id', 'name']).where('id', '=', entId).executeTakeFirst() : undefined;
  if (!ent) throw invalidField('exporter', 'the signed-in user belongs to no enterprise', 'missing_exporter');
  const { exporterAddress, ...rest } = b;
  const appl: InspectionApplication = { ...rest, destination: b.destination.toUpperCase(), exporter: { name: ent.name, address: exporterAddress, enterpriseId: ent.id } };
  if (b.quantityKg * 1000 > 2_147_483_647) throw invalidField('quantityKg', 'at most 2,147,483 kg per application', 'invalid_quantity');
  const register = await registerFromDb(db);
  const check = checkApplication(appl, await facilitiesFor(db, b.orchardRegNo, b.packingHouseRegNo), ctx.clock.now(), register);
  if (!check.ok) {
    const shape = check.reasons.some((r) => SHAPE.test(r.code));
    throw new AppError(shape ? 400 : 409, shape ? 'invalid_application' : 'application_refused', check.reasons.map((r) => r.message).join('; '), { reasons: check.reasons });
  }
  const now = ctx.nowIso();
  const data = { ...appl, commodity: check.commodity!.code, perishable: check.commodity!.perishable, requirementId: check.requirement ? `req_${check.requirement.country.toLowerCase()}_${check.requirement.commodity}` : null };
  const row: InspectionApplicationRow = { id: newId('iap', ctx.clock.now()), enterprise_id: ent.id, commodity: data.commodity, destination: appl.destination, data: JSON.stringify(data), warnings: JSON.stringify(check.warnings), state: 'lodged', version: 1, created_at: now, updated_at: now };
  await ctx.change(async (trx, audit) => {
    await trx.insertInto('inspection_applications').values(row).execute();
    await audit({ actor: actorOf(p), action: 'inspection_application.lodge', subject: row.id, after: data });
  });
  return row;
}
