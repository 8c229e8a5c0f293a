/**
 * Row types of the export-inspection and certificate tables (migration 005_inspection).
 * Same conventions as platform/db/schema.ts: ISO text timestamps, JSON text, 0/1 booleans,
 * quantities in whole grams so SQL arithmetic and the ledger code agree exactly.
 */
export interface RequirementRow {
  id: string; country: string; commodity: string; data: string; version: number; created_at: string; updated_at: string;
}
export interface RequirementVersionRow {
  id: string; requirement_id: string; version: number; data: string; changed_by: string; reason: string | null; changed_at: string;
}
/** Shared by orchards and packing_houses. */
export interface FacilityRow {
  id: string; reg_no: string; name: string; enterprise_id: string; location: string; status: 'active' | 'suspended' | 'revoked';
  approved_destinations: string; commodities: string; pesticide_records: string; valid_until: string | null;
  version: number; created_at: string; updated_at: string;
}
export interface InspectionApplicationRow {
  id: string; enterprise_id: string; commodity: string; destination: string; data: string; warnings: string; state: string;
  version: number; created_at: string; updated_at: string;
}
export interface InspectionSiteRow {
  id: string; name: string; office: string; capacity_per_slot: number; slot_minutes: number; perishable_reserve: number;
  min_lead_minutes: number; utc_offset_minutes: number; version: number; created_at: string; updated_at: string;
}
/** Capacity counter per slot: the guarded UPDATE on this row is what keeps a slot from over-filling. */
export interface SlotLoadRow { site_id: string; slot_start: string; total: number; perishable: number }
export interface AppointmentRow {
  id: string; site_id: string; slot_start: string; slot_end: string; perishable: number; state: string; application_id: string | null;
  enterprise_id: string | null; rescheduled_to: string | null; rescheduled_from: string | null; version: number; created_at: string; updated_at: string;
}
export interface InspectionBatchRow {
  id: string; application_id: string; enterprise_id: string; commodity: string; destination: string;
  quantity_g: number; remaining_g: number; state: 'pending' | 'passed' | 'failed' | 'exhausted';
  expires_at: string; inspection: string | null; failure_reasons: string; version: number; created_at: string; updated_at: string;
}
export interface BatchWriteOffRow {
  id: string; batch_id: string; quantity_g: number; remaining_after_g: number; shipment_ref: string | null; certificate_id: string | null;
  created_by: string; created_at: string;
}
export interface LabResultRow {
  id: string; batch_id: string; lab: string; sample_id: string | null; residues: string; assessment: string; pass: number; created_by: string; created_at: string;
}
export interface CertificateCounterRow { office: string; year: number; seq: number }
export interface CertificateRow {
  id: string; number: string; office: string; batch_id: string | null; application_id: string | null; enterprise_id: string;
  content: string; signature: string; status: 'issued' | 'replaced' | 'cancelled'; valid_until: string;
  replaced_by: string | null; replaces: string | null; replace_reason: string | null; cancelled: string | null;
  trip_id: string | null; lock_id: string | null; write_off_id: string | null; xml: string; pdf_base64: string;
  issued_by: string; version: number; created_at: string; updated_at: string;
}

export interface InspectionTables {
  requirements: RequirementRow;
  requirement_versions: RequirementVersionRow;
  orchards: FacilityRow;
  packing_houses: FacilityRow;
  inspection_applications: InspectionApplicationRow;
  inspection_sites: InspectionSiteRow;
  slot_loads: SlotLoadRow;
  appointments: AppointmentRow;
  inspection_batches: InspectionBatchRow;
  batch_write_offs: BatchWriteOffRow;
  lab_results: LabResultRow;
  certificate_counters: CertificateCounterRow;
  certificates: CertificateRow;
}
