export { DOSE_ROUTES, DOSE_RULE_KINDS, OBSERVATION_STARTS } from './protocol-definition.js';
export type {
  DoseLimits,
  DoseRoute,
  DoseRule,
  FixedDeviceDoseRule,
  InductionPlan,
  LevelPair,
  ObservationStart,
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
