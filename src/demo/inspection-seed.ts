/**
 * Demo data for export inspection: the Yongchun ponkan cooperative's registered orchards and packing
 * house (approved for MY, SG, ID, PH), an inspection site with 7×24 slots, a lodged application with a
 * green-channel appointment, a batch that passed inspection and residue testing, an issued certificate
 * that verifies (naming a sealed e-lock trip when the demo has one), and a batch failed on an MRL.
 * Everything goes through the functions the API uses, as the demo users would. Running it twice changes
 * nothing: it stops if the demo orchard is already registered.
 */
import type { AppContext } from '../platform/context.ts';
import type { Principal, Role } from '../platform/auth/principal.ts';
import { registerFacility, appendPesticideRecord } from '../inspection/facility-service.ts';
import { lodgeApplication } from '../inspection/application-service.ts';
import { createSite, bookAppointment, appointmentAction } from '../inspection/appointment-service.ts';
import { slotAt } from '../inspection/appointments.ts';
import { openBatch, recordInspection, recordLabResults } from '../inspection/batch-service.ts';
import { issueForBatch } from '../certificates/service.ts';

export const DEMO_ORCHARD = '350525-OR-0001';
const DEMO_SHIPMENT = 'CSQU3054383';
const DESTINATIONS = ['MY', 'SG', 'ID', 'PH'];
const SITE = '永春出口水果查验点 Yongchun export fruit inspection site';

async function principal(ctx: AppContext, username: string): Promise<Principal | null> {
  const u = await ctx.store.db.selectFrom('users').select(['id', 'display_name', 'role', 'enterprise_id', 'administration']).where('username', '=', username).executeTakeFirst();
  return u ? { id: u.id, name: u.display_name, role: u.role as Role, enterpriseId: u.enterprise_id, administration: (u.administration as Principal['administration']) ?? null } : null;
}

export async function seedInspectionDemo(ctx: AppContext): Promise<{ seeded: boolean; certificateNumber?: string }> {
  const db = ctx.store.db;
  if (await db.selectFrom('orchards').select('id').where('reg_no', '=', DEMO_ORCHARD).executeTakeFirst()) return { seeded: false };
  const [exporter, officer, supervisor] = await Promise.all([principal(ctx, 'yongchun.fruit'), principal(ctx, 'officer.cn'), principal(ctx, 'supervisor')]);
  if (!exporter?.enterpriseId || !officer || !supervisor) return { seeded: false };
  const enterpriseId = exporter.enterpriseId;

  // Registered facilities (officers register them; Yongchun lies around 118.29 E, 25.32 N).
  const orchards = [
    { regNo: DEMO_ORCHARD, name: '永春县达埔镇芦柑果园 Dapu ponkan orchard', location: { type: 'Point' as const, coordinates: [118.2167, 25.2833] } },
    { regNo: '350525-OR-0002', name: '永春县五里街镇柑橘果园 Wulijie citrus orchard', location: { type: 'Point' as const, coordinates: [118.2906, 25.3215] } },
  ];
  const orchardRows = [];
  for (const o of orchards) orchardRows.push(await registerFacility(ctx, officer, 'orchards', { ...o, enterpriseId, approvedDestinations: DESTINATIONS, commodities: ['citrus'] }));
  const packingHouse = await registerFacility(ctx, officer, 'packing_houses', {
    regNo: '350525-PH-0001', name: '永春芦柑出口包装厂 Yongchun ponkan export packing house', enterpriseId,
    location: { type: 'Point', coordinates: [118.2951, 25.3262] }, approvedDestinations: DESTINATIONS, commodities: ['citrus'],
  });
  const day = (offsetDays: number) => new Date(ctx.clock.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  await appendPesticideRecord(ctx, exporter, 'orchards', orchardRows[0].id, { pesticide: 'imidacloprid', appliedOn: day(-40), dose: '0.2 g/L, foliar spray', preHarvestIntervalDays: 21, note: '蚜虫防治 aphid control' });
  await appendPesticideRecord(ctx, exporter, 'orchards', orchardRows[0].id, { pesticide: 'imazalil', appliedOn: day(-3), dose: '0.5 g/L, post-harvest dip', preHarvestIntervalDays: 0, note: '采后防腐 post-harvest decay control' });

  // The inspection site: one-hour slots around the clock, half of each held for perishables.
  const site = await createSite(ctx, supervisor, { name: SITE, office: 'CN-QZ', capacityPerSlot: 6, perishableReserve: 0.5, minLeadMinutes: 60 });

  // Ponkan to Malaysia: lodged by the exporter, booked on the green channel, confirmed by the officer.
  const application = await lodgeApplication(ctx, exporter, {
    commodity: 'ponkan', quantityKg: 26000, packages: { count: 2600, typeCode: 'BX' }, destination: 'MY',
    consignee: { name: 'Selangor Fresh Fruits Sdn Bhd', address: ['Lot 12, Jalan Pasar Borong', '40150 Shah Alam, Selangor', 'Malaysia'] },
    exporterAddress: ['永春县桃城镇 Taocheng, Yongchun', 'Quanzhou, Fujian, China'],
    orchardRegNo: DEMO_ORCHARD, packingHouseRegNo: packingHouse.reg_no,
    conveyance: { modeCode: 1, name: 'MV Kota Ratu via Hong Kong' }, importPermitNo: 'MAQIS-2026-PK-0187', pointOfEntry: { locode: 'MYPKG', name: 'Port Klang' },
  });
  const siteView = { id: site.id, capacityPerSlot: site.capacity_per_slot, slotMinutes: site.slot_minutes, perishableReserve: site.perishable_reserve, minLeadMinutes: site.min_lead_minutes, utcOffsetMinutes: site.utc_offset_minutes };
  // Perishables may join the running slot; too close to its end, take the next one (then it cannot be completed yet).
  let slot = slotAt(siteView, ctx.clock.now());
  const running = slot.end - ctx.clock.now() > 60_000;
  if (!running) slot = slotAt(siteView, slot.end);
  const appointment = await bookAppointment(ctx, exporter, { siteId: site.id, slotStart: new Date(slot.start).toISOString(), applicationId: application.id });
  await appointmentAction(ctx, officer, appointment.id, 'confirm', 'demo seed');
  // A later consignment already booked for tomorrow (left open for the demo user to reschedule or cancel).
  const later = await lodgeApplication(ctx, exporter, {
    commodity: 'ponkan', quantityKg: 18000, packages: { count: 1800, typeCode: 'BX' }, destination: 'SG',
    consignee: { name: 'Pasir Panjang Fruit Trading Pte Ltd', address: ['Blk 14 Pasir Panjang Wholesale Centre', 'Singapore 110014'] },
    orchardRegNo: '350525-OR-0002', packingHouseRegNo: packingHouse.reg_no, conveyance: { modeCode: 1, name: 'via Xiamen' }, importPermitNo: 'SFA-IP-2026-33120',
    pointOfEntry: { locode: 'SGSIN', name: 'Singapore' },
  });
  const tomorrow = slotAt(siteView, ctx.clock.now() + 26 * 3600_000);
  await bookAppointment(ctx, exporter, { siteId: site.id, slotStart: new Date(tomorrow.start).toISOString(), applicationId: later.id });

  // The batch (批次查检单元): inspected and sampled once, residues under the limits, so it passes.
  const batch = await openBatch(ctx, officer, { applicationId: application.id, validDays: 30 });
  await recordInspection(ctx, officer, batch.id, { conform: true, sampleId: 'QZ-S-2026-0001', findings: '抽查 2% 包装，未发现检疫性有害生物 2% of packages inspected, no quarantine pests found' });
  const lab = await recordLabResults(ctx, officer, (await db.selectFrom('inspection_batches').selectAll().where('id', '=', batch.id).executeTakeFirstOrThrow()), {
    lab: '泉州海关综合技术服务中心 Quanzhou Customs Technical Centre', sampleId: 'QZ-S-2026-0001',
    residues: [{ pesticide: 'imidacloprid', mgPerKg: 0.12 }, { pesticide: 'imazalil', mgPerKg: 0.8 }, { pesticide: 'prochloraz', mgPerKg: 0.5 }],
  });
  if (running) await appointmentAction(ctx, officer, appointment.id, 'complete', 'inspected and sampled');

  // The first shipment's certificate; it names a sealed e-lock trip of the demo when there is one.
  const trip = await db.selectFrom('trips').innerJoin('seal_sessions', 'seal_sessions.trip_id', 'trips.id')
    .select('trips.id').where('trips.state', 'in', ['in_transit', 'at_boundary', 'handed_over']).orderBy('seal_sessions.opened_at').executeTakeFirst();
  const cert = await issueForBatch(ctx, officer, { batchId: lab.batch.id, quantityKg: 13000, packages: { count: 1300, typeCode: 'BX' }, shipmentRef: DEMO_SHIPMENT, tripId: trip?.id });

  // A batch of wogan to Singapore whose imidacloprid residue is over Codex's 1 mg/kg: failed, certificates blocked.
  const wogan = await lodgeApplication(ctx, exporter, {
    commodity: 'wogan', quantityKg: 8000, packages: { count: 800, typeCode: 'BX' }, destination: 'SG',
    consignee: { name: 'Pasir Panjang Fruit Trading Pte Ltd' }, orchardRegNo: '350525-OR-0002', conveyance: { modeCode: 1 }, importPermitNo: 'SFA-IP-2026-33121',
  });
  const failed = await openBatch(ctx, officer, { applicationId: wogan.id });
  await recordInspection(ctx, officer, failed.id, { conform: true, sampleId: 'QZ-S-2026-0002' });
  await recordLabResults(ctx, officer, (await db.selectFrom('inspection_batches').selectAll().where('id', '=', failed.id).executeTakeFirstOrThrow()), {
    lab: '泉州海关综合技术服务中心 Quanzhou Customs Technical Centre', sampleId: 'QZ-S-2026-0002', residues: [{ pesticide: 'imidacloprid', mgPerKg: 1.6 }],
  });
  return { seeded: true, certificateNumber: cert.number };
}

/** For the serve banner: where to see the demo certificate verified (nothing when there is none). */
export async function demoCertificateLines(ctx: AppContext, base: string): Promise<string[]> {
  const c = await ctx.store.db.selectFrom('certificates').innerJoin('batch_write_offs', 'batch_write_offs.id', 'certificates.write_off_id')
    .select('certificates.number').where('batch_write_offs.shipment_ref', '=', DEMO_SHIPMENT).where('certificates.status', '=', 'issued').executeTakeFirst();
  return c ? [`  demo certificate ${base}/verify/${c.number}`] : [];
}
