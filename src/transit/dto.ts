import type { DeclarationRow, TripRow, SealSessionRow, TripTransitionRow } from '../platform/db/schema.ts';

export const declarationDto = (r: DeclarationRow) => ({
  id: r.id, enterpriseId: r.enterprise_id, direction: r.direction, vehicleId: r.vehicle_id, driverId: r.driver_id,
  containerNo: r.container_no, originPlaceId: r.origin_place_id, destinationPlaceId: r.destination_place_id, routeId: r.route_id,
  timeLimitMin: r.time_limit_min, goods: JSON.parse(r.goods), state: r.state, reasons: JSON.parse(r.reasons), tripId: r.trip_id,
  version: r.version, createdAt: r.created_at, updatedAt: r.updated_at,
});

export const tripDto = (r: TripRow) => ({
  id: r.id, declarationId: r.declaration_id, enterpriseId: r.enterprise_id, vehicleId: r.vehicle_id, driverId: r.driver_id,
  deviceId: r.device_id, routeId: r.route_id, originPlaceId: r.origin_place_id, destinationPlaceId: r.destination_place_id,
  direction: r.direction, state: r.state, resumeState: r.resume_state, deadlineAt: r.deadline_at, timeLimitMin: r.time_limit_min,
  discharge: r.discharge ? JSON.parse(r.discharge) : null, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at,
});

export const sealSessionDto = (r: SealSessionRow) => ({
  id: r.id, tripId: r.trip_id, deviceId: r.device_id, jurisdiction: r.jurisdiction, openedAt: r.opened_at, openedBy: r.opened_by,
  closedAt: r.closed_at, closedBy: r.closed_by, closeReason: r.close_reason,
});

export const transitionDto = (r: TripTransitionRow) => ({ id: r.id, from: r.from_state, to: r.to_state, action: r.action, actor: r.actor, reason: r.reason, at: r.at });
