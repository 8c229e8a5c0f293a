/** Test fixtures shared by the certificate tests and the benchmark. */
import { buildContent, type CertificateDraft } from './model.ts';

export const PONKAN_DRAFT: CertificateDraft = {
  type: 'export',
  issuingOffice: 'CN-QZ',
  exportingNppo: 'General Administration of Customs P.R. China (Quanzhou Customs)',
  exportCountry: 'CN',
  importCountry: 'MY',
  importCountryName: 'Malaysia',
  exporter: { name: '永春县桃城果蔬进出口有限公司 Yongchun Taocheng Fruit Import & Export Co., Ltd.', address: ['Taocheng Town, Yongchun County', 'Quanzhou, Fujian, China'] },
  consignee: { name: 'Importer Sdn Bhd', address: ['Lot 12, Jalan Pelabuhan', 'Port Klang, Selangor, Malaysia'] },
  commodity: {
    description: 'Fresh mandarins (ponkan)',
    commonName: 'Ponkan',
    commonNameZh: '芦柑',
    scientificName: 'Citrus reticulata',
    eppoCode: 'CIDRE',
    hsCode: '080521',
    condition: 'Fresh',
    netWeightKg: 26000,
  },
  packages: { count: 2600, typeCode: 'BX' },
  distinguishingMarks: 'Orchard QZ-OR-001 / container CSQU3054383, seal EL-0001',
  placeOfOrigin: { country: 'CN', subdivision: 'Fujian, Yongchun' },
  conveyance: { modeCode: 1, name: 'MV Kota Ratu V.026S' },
  pointOfEntry: { locode: 'MYPKG', name: 'Port Klang' },
  additionalDeclaration: 'Import Permit No. MAQIS-2026-00123. The consignment is free from fruit flies and Liberobacter asiaticum / africanum.',
  treatment: { date: '2026-01-18', treatment: 'Cold treatment', durationAndTemperature: '≤2 °C for 16 days', additionalInfo: 'in transit' },
  sealChain: { lockId: 'EL-0001', tripId: 'TRIP-2026-0042' },
};

export const ISSUED_AT = Date.parse('2026-01-20T10:00:00+08:00');

export const ponkanContent = (number = 'CN-QZ-2026-000123') =>
  buildContent(PONKAN_DRAFT, { number, issuedAt: ISSUED_AT, place: 'Quanzhou 泉州', officer: 'Lin Wei 林伟' });
