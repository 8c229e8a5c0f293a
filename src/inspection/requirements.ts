/**
 * Requirements register (importing country × commodity) and pesticide MRLs.
 * Pure lookups over the seed copied into ./seed (never read from ../shared at run time).
 * The lead may later load rows from the database; every function takes an optional register
 * so the same logic runs over seed data or DB rows.
 */
import requirementsSeed from './seed/requirements.json' with { type: 'json' };
import mrlSeed from './seed/mrls.json' with { type: 'json' };

export interface Commodity {
  code: string; // e.g. 'ponkan'
  nameZh: string; // 芦柑
  nameEn: string;
  scientificName: string;
  eppoCode?: string;
  hsCode: string;
  group: string; // e.g. 'citrus' — requirements are usually per group
  perishable: boolean;
}

export interface TreatmentRequirement {
  type: string; // 'fumigation' | 'cold' | ...
  description: string;
  verified?: boolean;
}

export interface CountryRequirement {
  country: string; // ISO 3166-1 alpha-2 of the importing country
  countryName: string;
  commodity: string; // commodity code or group
  quarantinePests: string[];
  /** Additional declaration template; `{importPermitNo}` is filled from the application. */
  additionalDeclaration: string | null;
  treatment: TreatmentRequirement | null;
  registeredOrchardRequired: boolean;
  registeredPackingHouseRequired: boolean;
  importPermitRequired: boolean;
  pointsOfEntry?: string[];
  notes?: string;
  sources: string[];
  verified: boolean;
}

export interface RequirementsRegister {
  commodities: Commodity[];
  requirements: CountryRequirement[];
}

export interface MrlEntry {
  mgPerKg: number;
  commodity: string;
  sources: string[];
  verified: boolean;
}

export interface MrlTable {
  codex: Record<string, MrlEntry>;
  countries: Record<string, Record<string, MrlEntry>>;
}

export type MrlSource = 'country' | 'codex' | 'none';

export interface MrlLookup {
  pesticide: string; // normalised name
  limit: number | null; // mg/kg; null when no limit is known
  source: MrlSource;
  entry?: MrlEntry;
}

export const seedRegister: RequirementsRegister = requirementsSeed as RequirementsRegister;
export const seedMrls: MrlTable = mrlSeed as MrlTable;

const norm = (s: string) => s.trim().toLowerCase();
const normCountry = (s: string) => s.trim().toUpperCase();

export function commodityOf(code: string, register: RequirementsRegister = seedRegister): Commodity | undefined {
  const c = norm(code);
  return register.commodities.find((x) => x.code === c || x.nameZh === code.trim());
}

/**
 * The requirement row for an importing country and a commodity (code, Chinese name or group).
 * An exact commodity row wins over the commodity's group row. Undefined when the register has none.
 */
export function requirementFor(
  country: string,
  commodity: string,
  register: RequirementsRegister = seedRegister,
): CountryRequirement | undefined {
  const cc = normCountry(country);
  const com = commodityOf(commodity, register);
  const keys = com ? [com.code, com.group] : [norm(commodity)];
  for (const k of keys) {
    const row = register.requirements.find((r) => r.country === cc && r.commodity === k);
    if (row) return row;
  }
  return undefined;
}

/** Additional declaration text with placeholders filled, or null. */
export function additionalDeclarationFor(req: CountryRequirement, values: { importPermitNo?: string }): string | null {
  if (!req.additionalDeclaration) return null;
  return req.additionalDeclaration.replace('{importPermitNo}', values.importPermitNo ?? '________');
}

/** MRL for a pesticide in an importing market: the country's own value, else Codex, else none. */
export function mrlFor(country: string, pesticide: string, table: MrlTable = seedMrls): MrlLookup {
  const p = norm(pesticide);
  const own = table.countries[normCountry(country)]?.[p];
  if (own) return { pesticide: p, limit: own.mgPerKg, source: 'country', entry: own };
  const codex = table.codex[p];
  if (codex) return { pesticide: p, limit: codex.mgPerKg, source: 'codex', entry: codex };
  return { pesticide: p, limit: null, source: 'none' };
}
