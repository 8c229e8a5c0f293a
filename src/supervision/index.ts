/** The pure supervision core: corridor, geofences, per-trip rules, synthetic tracks. */
export * from './types.ts';
export { buildCorridor, corridorFromGeoJSON, locate, pointAt, corridorDistance, type CorridorIndex, type Located, type LonLat } from './corridor.ts';
export { circleFence, polygonFence, fenceFromPlace, inFence, inAnyFence, fenceSignedDistance, type Fence, type PlaceGeometry } from './geofence.ts';
export { initTripState, evaluate, evaluateBatch, sortFixes, checkSignal, checkOverdue, resolveAlert } from './trip-rules.ts';
