export type {
  DoseLimits,
  DoseRule,
  FixedDeviceDoseRule,
  InductionPlan,
  LevelPair,
  PreSessionRules,
  ProtocolDefinition,
  ThresholdSet,
  VitalsSchedule,
  WeightBasedDoseRule,
} from './protocol-definition.js';
export { ProtocolVersion } from './protocol.entity.js';
export { ProtocolsService, type ProtocolChanges } from './protocols.service.js';
export { mergeThresholds, thresholdOrderProblems, thresholdProblems, type ThresholdOverrides } from './threshold-rules.js';
export { decodeKeyCursor, toKeyPage } from './list-cursor.js';
