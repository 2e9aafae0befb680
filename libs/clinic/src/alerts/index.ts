export {
  Alert,
  ALERT_EVENT_TYPES,
  ALERT_LEVELS,
  ALERT_MEASURES,
  ALERT_STATUSES,
  AlertEvent,
  AlertReading,
  SESSION_EVENT_TYPES,
  type AlertEventType,
  type AlertLevel,
  type AlertMeasure,
  type AlertStatus,
} from './alert.entity.js';
export { STREAM_END_REASONS, type StreamEndReason } from './alert-stream-owner.js';
export { ALERT_EVENTS_CHANNEL, alertView, AlertsService, type AlertView, type RaiseAlert } from './alerts.service.js';
export { AlertStreamService } from './alert-stream.service.js';
export { RiskAlerts } from './risk-alerts.js';
export { AlertEscalationService } from './alert-escalation.service.js';
