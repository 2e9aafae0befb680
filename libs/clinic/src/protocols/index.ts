export type {
  DoseLimits,
  DoseRoute,
  DoseRule,
  FixedDeviceDoseRule,
  InductionPlan,
  LevelPair,
  MaintenancePlan,
  PreSessionRules,
  ProtocolDefinition,
  ThresholdSet,
  VitalsSchedule,
  WeightBasedDoseRule,
} from './protocol-definition.js';
export { ProtocolVersion } from './protocol.entity.js';
export { ProtocolsService, type ProtocolChanges, type ProtocolPage } from './protocols.service.js';
export { mergeThresholds, thresholdProblems, type ThresholdOverrides } from './threshold-rules.js';
export { decodeKeyCursor, encodeKeyCursor, toKeyPage } from './list-cursor.js';
