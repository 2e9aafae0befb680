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
