/**
 * Inspection application (申报) check against the requirements register and facility registrations.
 * Pure: the caller passes the facilities it loaded (or a lookup over DB rows). Returns every reason at once.
 */
import { commodityOf, requirementFor, seedRegister, type Commodity, type CountryRequirement, type RequirementsRegister } from './requirements.ts';

export type FacilityStatus = 'active' | 'suspended' | 'revoked';

/** A registered orchard (注册果园) or packing house (包装厂). */
export interface Facility {
  regNo: string;
  name: string;
  kind: 'orchard' | 'packing_house';
  status: FacilityStatus;
  /** ISO-2 importing countries this facility is approved (listed) for. */
  approvedDestinations: string[];
  /** Commodity codes or groups it is registered for; empty/absent = any. */
  commodities?: string[];
  validUntil?: number; // epoch ms, registration expiry
}
export type Orchard = Facility & { kind: 'orchard' };
export type PackingHouse = Facility & { kind: 'packing_house' };

export interface FacilityLookup {
  orchard(regNo: string): Facility | undefined;
  packingHouse(regNo: string): Facility | undefined;
}

export function facilityLookup(facilities: Facility[]): FacilityLookup {
  const o = new Map<string, Facility>();
  const p = new Map<string, Facility>();
  for (const f of facilities) (f.kind === 'orchard' ? o : p).set(f.regNo, f);
  return { orchard: (r) => o.get(r), packingHouse: (r) => p.get(r) };
}

export interface PartyInput {
  name: string;
  address?: string[];
}

export interface InspectionApplication {
  exporter: PartyInput & { enterpriseId?: string };
  commodity: string; // commodity code ('ponkan') or Chinese name (芦柑)
  quantityKg: number;
  packages: { count: number; typeCode: string }; // UN Rec 21 type, e.g. 'BX'
  destination: string; // ISO-2 importing country
  consignee: PartyInput;
  orchardRegNo?: string;
  packingHouseRegNo?: string;
  conveyance: { modeCode: number; name?: string }; // UN Rec 19: 1 sea, 3 road, 4 air
  importPermitNo?: string;
  pointOfEntry?: { locode?: string; name: string };
}

export type ApplicationReasonCode =
  | 'missing_exporter'
  | 'missing_consignee'
  | 'unknown_commodity'
  | 'invalid_quantity'
  | 'invalid_packages'
  | 'invalid_destination'
  | 'invalid_conveyance'
  | 'import_permit_missing'
  | `${'orchard' | 'packing_house'}_${'required' | 'not_registered' | 'suspended' | 'revoked' | 'expired' | 'not_approved_for_destination' | 'not_registered_for_commodity'}`;

export interface ApplicationReason {
  code: ApplicationReasonCode;
  field: string;
  message: string;
}

export interface ApplicationCheck {
  ok: boolean;
  reasons: ApplicationReason[]; // refusals; empty when ok
  warnings: string[]; // not refusals, for the officer
  commodity?: Commodity;
  requirement?: CountryRequirement;
}

const REC19_MODES = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
const blank = (s: unknown) => typeof s !== 'string' || s.trim() === '';

function checkFacility(
  kind: 'orchard' | 'packing_house',
  field: string,
  regNo: string | undefined,
  required: boolean,
  found: Facility | undefined,
  app: InspectionApplication,
  commodity: Commodity | undefined,
  now: number,
  reasons: ApplicationReason[],
  warnings: string[],
) {
  const label = kind === 'orchard' ? 'orchard' : 'packing house';
  const problems: ApplicationReason[] = [];
  if (blank(regNo)) {
    if (required) problems.push({ code: `${kind}_required`, field, message: `${app.destination} requires a registered ${label}` });
  } else if (!found) {
    problems.push({ code: `${kind}_not_registered`, field, message: `${label} ${regNo} is not registered` });
  } else {
    if (found.status !== 'active') {
      problems.push({ code: `${kind}_${found.status}`, field, message: `${label} ${regNo} is ${found.status}` });
    }
    if (found.validUntil !== undefined && now >= found.validUntil) {
      problems.push({ code: `${kind}_expired`, field, message: `${label} ${regNo} registration expired` });
    }
    if (!found.approvedDestinations.map((d) => d.toUpperCase()).includes(app.destination.toUpperCase())) {
      problems.push({ code: `${kind}_not_approved_for_destination`, field, message: `${label} ${regNo} is not approved for ${app.destination}` });
    }
    if (commodity && found.commodities?.length && !found.commodities.includes(commodity.code) && !found.commodities.includes(commodity.group)) {
      problems.push({ code: `${kind}_not_registered_for_commodity`, field, message: `${label} ${regNo} is not registered for ${commodity.code}` });
    }
  }
  // Only a destination that requires the registration refuses on it; otherwise the officer is told.
  if (required) reasons.push(...problems);
  else warnings.push(...problems.map((p) => `${p.code}: ${p.message} (not required by ${app.destination})`));
}

/**
 * Check an application. `now` (epoch ms) is used for registration expiry.
 * Refusal codes: see ApplicationReasonCode. A destination missing from the register is a warning, not a refusal.
 */
export function checkApplication(
  app: InspectionApplication,
  facilities: FacilityLookup,
  now: number,
  register: RequirementsRegister = seedRegister,
): ApplicationCheck {
  const reasons: ApplicationReason[] = [];
  const warnings: string[] = [];
  if (!app.exporter || blank(app.exporter.name)) reasons.push({ code: 'missing_exporter', field: 'exporter.name', message: 'exporter name is required' });
  if (!app.consignee || blank(app.consignee.name)) reasons.push({ code: 'missing_consignee', field: 'consignee.name', message: 'consignee name is required' });
  const commodity = typeof app.commodity === 'string' ? commodityOf(app.commodity, register) : undefined;
  if (!commodity) reasons.push({ code: 'unknown_commodity', field: 'commodity', message: `unknown commodity ${String(app.commodity)}` });
  if (typeof app.quantityKg !== 'number' || !Number.isFinite(app.quantityKg) || app.quantityKg <= 0) {
    reasons.push({ code: 'invalid_quantity', field: 'quantityKg', message: 'quantity must be a number > 0 kg' });
  }
  if (!app.packages || !Number.isInteger(app.packages.count) || app.packages.count <= 0 || !/^[0-9A-Z]{2}$/.test(app.packages.typeCode ?? '')) {
    reasons.push({ code: 'invalid_packages', field: 'packages', message: 'packages need a whole count > 0 and a 2-character UN Rec 21 type code' });
  }
  const destOk = typeof app.destination === 'string' && /^[A-Z]{2}$/.test(app.destination);
  if (!destOk) reasons.push({ code: 'invalid_destination', field: 'destination', message: 'destination must be an ISO 3166-1 alpha-2 code' });
  if (!app.conveyance || !REC19_MODES.has(app.conveyance.modeCode)) {
    reasons.push({ code: 'invalid_conveyance', field: 'conveyance.modeCode', message: 'conveyance mode must be a UN Rec 19 code (1 sea, 3 road, 4 air)' });
  }

  const requirement = destOk && commodity ? requirementFor(app.destination, commodity.code, register) : undefined;
  if (destOk && commodity && !requirement) warnings.push(`no_requirements: the register has no entry for ${commodity.code} to ${app.destination}`);
  if (requirement && !requirement.verified) warnings.push(`requirements_unverified: the ${app.destination} entry is not confirmed by a source`);

  if (destOk) {
    const orchard = app.orchardRegNo ? facilities.orchard(app.orchardRegNo) : undefined;
    checkFacility('orchard', 'orchardRegNo', app.orchardRegNo, !!requirement?.registeredOrchardRequired, orchard, app, commodity, now, reasons, warnings);
    const ph = app.packingHouseRegNo ? facilities.packingHouse(app.packingHouseRegNo) : undefined;
    checkFacility('packing_house', 'packingHouseRegNo', app.packingHouseRegNo, !!requirement?.registeredPackingHouseRequired, ph, app, commodity, now, reasons, warnings);
  }
  if (requirement?.importPermitRequired && blank(app.importPermitNo)) {
    reasons.push({ code: 'import_permit_missing', field: 'importPermitNo', message: `${app.destination} requires an import permit number` });
  }
  if (requirement?.treatment) warnings.push(`treatment_required: ${requirement.treatment.type} — ${requirement.treatment.description}`);
  return { ok: reasons.length === 0, reasons, warnings, commodity, requirement };
}
