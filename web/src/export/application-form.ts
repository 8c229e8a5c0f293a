/**
 * The inspection application form: its fields as typed, what the browser can check before sending
 * (the server re-checks everything and alone knows the facility registrations), and the request body.
 */
export const PACKAGE_TYPES = ['BX', 'CT', 'CR', 'BG', 'PK'];
/** UN Rec 19 transport modes offered for fresh fruit leaving Fujian. */
export const CONVEYANCE_MODES = [1, 3, 4, 2];

export const blankApplication = {
  commodity: 'ponkan', destination: '', quantityKg: '', packageCount: '', packageType: 'BX',
  consigneeName: '', consigneeAddress: '', exporterAddress: '', orchardRegNo: '', packingHouseRegNo: '',
  conveyanceMode: '1', conveyanceName: '', importPermitNo: '', pointOfEntryName: '', pointOfEntryLocode: '',
};
export type ApplicationFormValues = typeof blankApplication;

export interface RequirementFlags { registeredOrchardRequired: boolean; registeredPackingHouseRequired: boolean; importPermitRequired: boolean }

const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);

/** Field → message key; empty when the form may be sent. */
export function validateApplication(f: ApplicationFormValues, req: RequirementFlags | undefined): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.commodity) e.commodity = 'required';
  if (!/^[A-Z]{2}$/.test(f.destination)) e.destination = 'required';
  if (!/^\d+(\.\d{1,3})?$/.test(f.quantityKg.trim()) || !(Number(f.quantityKg) > 0)) e.quantityKg = 'x.v.kg';
  else if (Number(f.quantityKg) > 2_147_483) e.quantityKg = 'x.v.tooMuch';
  if (!/^\d+$/.test(f.packageCount.trim()) || !(Number(f.packageCount) > 0)) e.packageCount = 'x.v.wholeCount';
  if (!f.consigneeName.trim()) e.consigneeName = 'required';
  if (lines(f.consigneeAddress).length > 5) e.consigneeAddress = 'x.v.fiveLines';
  if (lines(f.exporterAddress).length > 5) e.exporterAddress = 'x.v.fiveLines';
  if (req?.registeredOrchardRequired && !f.orchardRegNo.trim()) e.orchardRegNo = 'x.v.orchardRequired';
  if (req?.registeredPackingHouseRequired && !f.packingHouseRegNo.trim()) e.packingHouseRegNo = 'x.v.packingHouseRequired';
  if (req?.importPermitRequired && !f.importPermitNo.trim()) e.importPermitNo = 'x.v.permitRequired';
  if (f.pointOfEntryLocode.trim() && !/^[A-Z]{2}[A-Z0-9]{3}$/.test(f.pointOfEntryLocode.trim().toUpperCase())) e.pointOfEntryLocode = 'x.v.locode';
  if (f.pointOfEntryLocode.trim() && !f.pointOfEntryName.trim()) e.pointOfEntryName = 'required';
  return e;
}

export function applicationBody(f: ApplicationFormValues) {
  const opt = (s: string) => (s.trim() ? s.trim() : undefined);
  const consigneeAddress = lines(f.consigneeAddress), exporterAddress = lines(f.exporterAddress);
  return {
    commodity: f.commodity, quantityKg: Number(f.quantityKg), packages: { count: Number(f.packageCount), typeCode: f.packageType }, destination: f.destination,
    consignee: { name: f.consigneeName.trim(), ...(consigneeAddress.length ? { address: consigneeAddress } : {}) },
    ...(exporterAddress.length ? { exporterAddress } : {}),
    orchardRegNo: opt(f.orchardRegNo), packingHouseRegNo: opt(f.packingHouseRegNo),
    conveyance: { modeCode: Number(f.conveyanceMode), ...(opt(f.conveyanceName) ? { name: opt(f.conveyanceName) } : {}) },
    importPermitNo: opt(f.importPermitNo),
    ...(opt(f.pointOfEntryName) ? { pointOfEntry: { name: opt(f.pointOfEntryName)!, ...(opt(f.pointOfEntryLocode) ? { locode: opt(f.pointOfEntryLocode)!.toUpperCase() } : {}) } } : {}),
  };
}
