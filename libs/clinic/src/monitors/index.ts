export { DeviceCodeMap, DeviceUnitMap } from './device-maps.entity.js';
export { Monitor } from './monitor.entity.js';
export {
  FeedMessage,
  Hl7Gateway,
  MESSAGE_OUTCOMES,
  UNBOUND_REASONS,
  UNBOUND_STATUSES,
  UnboundReading,
  type MessageOutcome,
  type UnboundReason,
  type UnboundStatus,
} from './feed.entity.js';
export { monitorView, type MonitorInput, type MonitorView } from './monitor-view.js';
export { MonitorsService } from './monitors.service.js';
export { Hl7FeedService, type FeedAnswer } from './feed.service.js';
export { FeedLogService, type FeedMessageView } from './feed-log-view.service.js';
export { UnboundReadingsService, unboundView, type UnboundReadingView } from './unbound-readings.service.js';
export { Hl7GatewaysService, type GatewayView } from './gateways.service.js';
export {
  GatewayMapsService,
  STORED_UNITS,
  type CodeMapInput,
  type CodeMapView,
  type UnitMapInput,
  type UnitMapView,
} from './gateway-maps.service.js';
export { FeedLogRetention, HL7_LOG_SWEEP_SUBJECT, purgeFeedLog } from './feed-log-retention.js';
export { CLOCK_DRIFT_LIMIT_MIN, CLOCK_DRIFT_MESSAGES } from './clock-drift.js';
