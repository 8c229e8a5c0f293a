/**
 * ePhyto XML: UN/CEFACT SPS certificate (SPSCertificate:17, RABIE/UDT :21), type 851 (export) or
 * 657 (re-export), mapped as in the reference table (ISPM 12 model field → element). Lossless for our
 * own content: parseEphytoXml(buildEphytoXml(c, s)) gives back c, so the signature over the canonical
 * content can be checked from the XML alone and any changed mapped element breaks it.
 *
 * Fields without a standard element are carried as document-level IncludedSPSNote with ONELOCK-* subjects
 * (office, validity, seal chain, re-export origin, and the signature itself). The Hub signs envelopes with
 * X.509 on its own; our Ed25519 note is the issuing system's end-to-end signature. Whether the Hub's
 * validator warns about unknown note subjects is UNVERIFIED — check in UAT before go-live.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { XMLParser } from 'fast-xml-parser';
import { AppError } from '../platform/errors.ts';
import { CERTIFICATE_SCHEMA, TYPE_CODE, type CertificateContent, type Party, type Signature, type Treatment } from './model.ts';

export const NS_SPS = 'urn:un:unece:uncefact:data:standard:SPSCertificate:17';
export const NS_RAM = 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:21';
export const NS_UDT = 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:21';
/** StatusCode 70 is what every sample of a new certificate carries ("issued" assumed, per the reference). */
export const STATUS_ISSUED = '70';

const NOTE = {
  additionalDeclaration: 'ADEDL',
  distinguishingMarks: 'DMCL',
  replacedNumber: 'ADRPN',
  replacedReason: 'ADRPR',
  replacedDate: 'ADRD',
  office: 'ONELOCK-OFFICE',
  validUntil: 'ONELOCK-VALIDUNTIL',
  lockId: 'ONELOCK-LOCKID',
  tripId: 'ONELOCK-TRIPID',
  reexportOriginal: 'ONELOCK-RPC-ORIGINAL',
  reexportOrigin: 'ONELOCK-RPC-ORIGIN',
  signature: 'ONELOCK-SIG',
} as const;

const TREATMENT_CHAR = {
  treatment: 'TTFT',
  chemical: 'TTCH',
  concentration: 'TTCO',
  durationAndTemperature: 'TTTM',
  additionalInfo: 'TTAI',
} as const satisfies Record<Exclude<keyof Treatment, 'date'>, string>;

const ADDRESS_LINES = ['LineOne', 'LineTwo', 'LineThree', 'LineFour', 'LineFive'] as const;

type B = XMLBuilder;
const ram = (p: B, name: string, text?: string | number, attrs?: Record<string, string>): B => {
  const e = p.ele(NS_RAM, `ns1:${name}`, attrs);
  if (text !== undefined) e.txt(String(text));
  return e;
};
const dateTime = (p: B, name: string, value: string) => {
  ram(p, name).ele(NS_UDT, 'ns2:DateTimeString').txt(value);
};
const note = (p: B, subject: string, content: string | undefined, lang?: string) => {
  if (content === undefined) return;
  const n = ram(p, 'IncludedSPSNote');
  ram(n, 'Subject', subject);
  ram(n, 'Content', content, lang ? { languageID: lang } : undefined);
};
const party = (p: B, name: string, party: Party) => {
  const e = ram(p, name);
  ram(e, 'Name', party.name);
  if (party.address?.length) {
    const a = ram(e, 'SpecifiedSPSAddress');
    party.address.slice(0, 5).forEach((line, i) => ram(a, ADDRESS_LINES[i], line));
  }
};

/** The ePhyto XML (UTF-8 string) of a certificate, with our signature as an ONELOCK-SIG note. */
export function buildEphytoXml(c: CertificateContent, signature?: Signature, opts: { pretty?: boolean } = {}): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(NS_SPS, 'ns0:SPSCertificate', { 'xmlns:ns1': NS_RAM, 'xmlns:ns2': NS_UDT });

  const d = root.ele(NS_SPS, 'ns0:SPSExchangedDocument');
  ram(d, 'Name', c.type === 'reexport' ? 'PHYTOSANITARY CERTIFICATE FOR RE-EXPORT' : 'PHYTOSANITARY CERTIFICATE');
  ram(d, 'ID', c.number);
  ram(d, 'TypeCode', TYPE_CODE[c.type]);
  ram(d, 'StatusCode', STATUS_ISSUED);
  dateTime(d, 'IssueDateTime', c.issue.date);
  ram(ram(d, 'IssuerSPSParty'), 'Name', c.exportingNppo);
  note(d, NOTE.additionalDeclaration, c.additionalDeclaration, 'en');
  note(d, NOTE.distinguishingMarks, c.distinguishingMarks);
  if (c.replaces) {
    note(d, NOTE.replacedNumber, c.replaces.number);
    note(d, NOTE.replacedReason, c.replaces.reason, 'en');
    note(d, NOTE.replacedDate, c.replaces.date);
  }
  note(d, NOTE.office, c.issuingOffice);
  note(d, NOTE.validUntil, c.validUntil);
  if (c.sealChain) {
    note(d, NOTE.lockId, c.sealChain.lockId);
    note(d, NOTE.tripId, c.sealChain.tripId);
  }
  if (c.reexport) {
    note(d, NOTE.reexportOriginal, c.reexport.originalCertificateNumber);
    note(d, NOTE.reexportOrigin, c.reexport.originCountry);
  }
  if (signature) note(d, NOTE.signature, `${signature.alg}:${signature.keyId}:${signature.value}`);
  const sa = ram(d, 'SignatorySPSAuthentication');
  dateTime(sa, 'ActualDateTime', c.issue.date);
  ram(ram(sa, 'IssueSPSLocation'), 'Name', c.issue.place);
  ram(ram(ram(sa, 'ProviderSPSParty'), 'SpecifiedSPSPerson'), 'Name', c.issue.officer);
  const clause = ram(sa, 'IncludedSPSClause');
  ram(clause, 'ID', '1');
  ram(clause, 'Content', c.certifyingStatement, { languageID: 'en' });

  const k = root.ele(NS_SPS, 'ns0:SPSConsignment');
  party(k, 'ConsignorSPSParty', c.exporter);
  party(k, 'ConsigneeSPSParty', c.consignee);
  ram(ram(k, 'ExportSPSCountry'), 'ID', c.exportCountry);
  const imp = ram(k, 'ImportSPSCountry');
  ram(imp, 'ID', c.importCountry);
  if (c.importCountryName !== undefined) ram(imp, 'Name', c.importCountryName);
  const poe = ram(k, 'UnloadingBaseportSPSLocation');
  if (c.pointOfEntry.locode !== undefined) ram(poe, 'ID', c.pointOfEntry.locode);
  ram(poe, 'Name', c.pointOfEntry.name);
  const mc = ram(k, 'MainCarriageSPSTransportMovement');
  ram(mc, 'ModeCode', c.conveyance.modeCode);
  if (c.conveyance.name !== undefined) ram(ram(mc, 'UsedSPSTransportMeans'), 'Name', c.conveyance.name);

  const li = ram(ram(k, 'IncludedSPSConsignmentItem'), 'IncludedSPSTradeLineItem');
  ram(li, 'SequenceNumeric', 1);
  ram(li, 'Description', c.commodity.description, { languageID: 'en' });
  ram(li, 'CommonName', c.commodity.commonName, { languageID: 'en' });
  if (c.commodity.commonNameZh !== undefined) ram(li, 'CommonName', c.commodity.commonNameZh, { languageID: 'zh' });
  ram(li, 'ScientificName', c.commodity.scientificName);
  ram(li, 'NetWeightMeasure', c.commodity.netWeightKg, { unitCode: 'KGM' });
  const cls = (system: string, code?: string, name?: string) => {
    const e = ram(li, 'ApplicableSPSClassification');
    ram(e, 'SystemName', system);
    if (code !== undefined) ram(e, 'ClassCode', code);
    if (name !== undefined) ram(e, 'ClassName', name, { languageID: 'en' });
  };
  if (c.commodity.hsCode !== undefined) cls('HS', c.commodity.hsCode);
  if (c.commodity.eppoCode !== undefined) cls('EPPO', c.commodity.eppoCode);
  if (c.commodity.condition !== undefined) cls('IPPCPCC', undefined, c.commodity.condition);
  const pk = ram(li, 'PhysicalSPSPackage');
  ram(pk, 'LevelCode', '1');
  ram(pk, 'TypeCode', c.packages.typeCode);
  ram(pk, 'ItemQuantity', c.packages.count);
  const orig = ram(li, 'OriginSPSCountry');
  ram(orig, 'ID', c.placeOfOrigin.country);
  if (c.placeOfOrigin.subdivision !== undefined) ram(ram(orig, 'SubordinateSPSCountrySubDivision'), 'Name', c.placeOfOrigin.subdivision);
  if (c.treatment) {
    const t = c.treatment;
    const ap = ram(li, 'AppliedSPSProcess');
    if (t.date !== undefined) dateTime(ram(ap, 'CompletionSPSPeriod'), 'StartDateTime', t.date);
    for (const [field, code] of Object.entries(TREATMENT_CHAR) as Array<[keyof typeof TREATMENT_CHAR, string]>) {
      const v = t[field];
      if (v === undefined) continue;
      const ch = ram(ap, 'ApplicableSPSProcessCharacteristic');
      ram(ch, 'TypeCode', code);
      ram(ch, 'Description', v, { languageID: 'en' });
    }
  }
  return doc.end({ prettyPrint: opts.pretty ?? false });
}

// ---------------------------------------------------------------- parsing

const ARRAYS = new Set(['IncludedSPSNote', 'CommonName', 'Description', 'ApplicableSPSClassification', 'ApplicableSPSProcessCharacteristic', 'IncludedSPSConsignmentItem', 'IncludedSPSTradeLineItem', 'Content', 'ScientificName', 'Name']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  isArray: (name) => ARRAYS.has(name),
});

type Node = Record<string, unknown>;
const fail = (msg: string): never => {
  throw new AppError(400, 'invalid_ephyto', msg);
};
/** Text of an element (string, or {#text, @_attr}); '' for an empty element. */
function txt(n: unknown): string | undefined {
  if (n === undefined || n === null) return undefined;
  if (Array.isArray(n)) return txt(n[0]);
  if (typeof n === 'string') return n;
  if (typeof n === 'object') {
    const t = (n as Node)['#text'];
    return t === undefined ? '' : String(t);
  }
  return String(n);
}
const attr = (n: unknown, a: string) => (n && typeof n === 'object' ? ((n as Node)[`@_${a}`] as string | undefined) : undefined);
const obj = (n: unknown): Node => (Array.isArray(n) ? obj(n[0]) : n && typeof n === 'object' ? (n as Node) : {});
const list = (n: unknown): unknown[] => (n === undefined ? [] : Array.isArray(n) ? n : [n]);
const must = (v: string | undefined, what: string): string => (v === undefined ? fail(`missing ${what}`) : v);
const num = (v: string | undefined, what: string): number => {
  const x = Number(must(v, what));
  return Number.isFinite(x) && v!.trim() !== '' ? x : fail(`${what} is not a number`);
};

function parseParty(n: unknown, what: string): Party {
  const p = obj(n);
  const name = must(txt(p.Name), `${what}/Name`);
  const a = p.SpecifiedSPSAddress ? obj(p.SpecifiedSPSAddress) : undefined;
  const lines = a ? ADDRESS_LINES.map((l) => txt(a[l])).filter((x): x is string => x !== undefined) : [];
  return lines.length ? { name, address: lines } : { name };
}

/** Parse ePhyto XML back into our certificate model. Throws 400 invalid_ephyto when it is not one of ours / malformed. */
export function parseEphytoXml(xml: string | Buffer): { content: CertificateContent; signature?: Signature } {
  let tree: Node;
  try {
    tree = parser.parse(typeof xml === 'string' ? xml : xml.toString('utf8')) as Node;
  } catch (e) {
    return fail(`not well-formed XML: ${(e as Error).message}`);
  }
  const root = obj(tree.SPSCertificate);
  if (!tree.SPSCertificate) fail('root element is not SPSCertificate');
  const d = obj(root.SPSExchangedDocument);
  const k = obj(root.SPSConsignment);
  const notes = new Map<string, string[]>();
  for (const n of list(d.IncludedSPSNote)) {
    const subj = txt(obj(n).Subject);
    if (subj === undefined) continue;
    const contents = list(obj(n).Content).map((c) => txt(c) ?? '');
    notes.set(subj, [...(notes.get(subj) ?? []), ...contents]);
  }
  const one = (s: string) => notes.get(s)?.join('\n');

  const typeCode = txt(d.TypeCode);
  const type = typeCode === TYPE_CODE.export ? 'export' : typeCode === TYPE_CODE.reexport ? 'reexport' : fail(`unsupported TypeCode ${typeCode}`);
  const sa = obj(d.SignatorySPSAuthentication);
  const clause = obj(sa.IncludedSPSClause);
  const imp = obj(k.ImportSPSCountry);
  const poe = obj(k.UnloadingBaseportSPSLocation);
  const mc = obj(k.MainCarriageSPSTransportMovement);
  const li = obj(obj(k.IncludedSPSConsignmentItem).IncludedSPSTradeLineItem);
  const commonNames = list(li.CommonName);
  const en = commonNames.find((c) => attr(c, 'languageID') !== 'zh');
  const zh = commonNames.find((c) => attr(c, 'languageID') === 'zh');
  const classes = list(li.ApplicableSPSClassification).map(obj);
  const cls = (sys: string) => classes.find((c) => txt(c.SystemName) === sys);
  const pk = obj(li.PhysicalSPSPackage);
  const orig = obj(li.OriginSPSCountry);

  const content: CertificateContent = {
    schema: CERTIFICATE_SCHEMA,
    number: must(txt(d.ID), 'SPSExchangedDocument/ID'),
    type,
    issuingOffice: must(one(NOTE.office), `note ${NOTE.office}`),
    exportingNppo: must(txt(obj(d.IssuerSPSParty).Name), 'IssuerSPSParty/Name'),
    exportCountry: must(txt(obj(k.ExportSPSCountry).ID), 'ExportSPSCountry/ID'),
    importCountry: must(txt(imp.ID), 'ImportSPSCountry/ID'),
    importCountryName: txt(imp.Name),
    exporter: parseParty(k.ConsignorSPSParty, 'ConsignorSPSParty'),
    consignee: parseParty(k.ConsigneeSPSParty, 'ConsigneeSPSParty'),
    commodity: {
      description: must(txt(li.Description), 'Description'),
      commonName: must(txt(en), 'CommonName'),
      commonNameZh: txt(zh),
      scientificName: must(txt(li.ScientificName), 'ScientificName'),
      eppoCode: txt(cls('EPPO')?.ClassCode),
      hsCode: txt(cls('HS')?.ClassCode),
      condition: txt(cls('IPPCPCC')?.ClassName),
      netWeightKg: num(txt(li.NetWeightMeasure), 'NetWeightMeasure'),
    },
    packages: { count: num(txt(pk.ItemQuantity), 'PhysicalSPSPackage/ItemQuantity'), typeCode: must(txt(pk.TypeCode), 'PhysicalSPSPackage/TypeCode') },
    distinguishingMarks: one(NOTE.distinguishingMarks),
    placeOfOrigin: { country: must(txt(orig.ID), 'OriginSPSCountry/ID'), subdivision: txt(obj(orig.SubordinateSPSCountrySubDivision).Name) },
    conveyance: { modeCode: num(txt(mc.ModeCode), 'ModeCode'), name: txt(obj(mc.UsedSPSTransportMeans).Name) },
    pointOfEntry: { locode: txt(poe.ID), name: must(txt(poe.Name), 'UnloadingBaseportSPSLocation/Name') },
    additionalDeclaration: one(NOTE.additionalDeclaration),
    certifyingStatement: must(txt(clause.Content), 'IncludedSPSClause/Content'),
    issue: {
      place: must(txt(obj(sa.IssueSPSLocation).Name), 'IssueSPSLocation/Name'),
      date: must(txt(obj(d.IssueDateTime).DateTimeString), 'IssueDateTime'),
      officer: must(txt(obj(obj(sa.ProviderSPSParty).SpecifiedSPSPerson).Name), 'SpecifiedSPSPerson/Name'),
    },
    validUntil: must(one(NOTE.validUntil), `note ${NOTE.validUntil}`),
  };
  if (li.AppliedSPSProcess) {
    const ap = obj(li.AppliedSPSProcess);
    const t: Partial<Treatment> = {};
    const date = txt(obj(obj(ap.CompletionSPSPeriod).StartDateTime).DateTimeString);
    if (date !== undefined) t.date = date;
    for (const ch of list(ap.ApplicableSPSProcessCharacteristic).map(obj)) {
      const code = txt(ch.TypeCode);
      const field = (Object.keys(TREATMENT_CHAR) as Array<keyof typeof TREATMENT_CHAR>).find((f) => TREATMENT_CHAR[f] === code);
      if (field) t[field] = txt(ch.Description) ?? '';
    }
    content.treatment = { treatment: must(t.treatment, 'treatment TTFT'), ...t };
  }
  if (notes.has(NOTE.replacedNumber)) {
    content.replaces = { number: one(NOTE.replacedNumber)!, reason: one(NOTE.replacedReason) ?? '', date: one(NOTE.replacedDate) ?? '' };
  }
  if (notes.has(NOTE.reexportOriginal)) {
    content.reexport = { originalCertificateNumber: one(NOTE.reexportOriginal)!, originCountry: one(NOTE.reexportOrigin) ?? '' };
  }
  if (notes.has(NOTE.lockId) || notes.has(NOTE.tripId)) {
    content.sealChain = { lockId: one(NOTE.lockId) ?? '', tripId: one(NOTE.tripId) ?? '' };
  }
  let signature: Signature | undefined;
  const sig = one(NOTE.signature);
  if (sig !== undefined) {
    const m = /^(Ed25519):([0-9a-f]+):([A-Za-z0-9+/=]+)$/.exec(sig);
    if (!m) fail('malformed ONELOCK-SIG note');
    signature = { alg: 'Ed25519', keyId: m![2], value: m![3] };
  }
  return { content: stripUndefined(content), signature };
}

/** Drop undefined members so parsed content deep-equals the issued content. */
function stripUndefined<T>(v: T): T {
  if (Array.isArray(v)) return v.map(stripUndefined) as T;
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [key, val] of Object.entries(v)) if (val !== undefined) o[key] = stripUndefined(val);
    return o as T;
  }
  return v;
}
