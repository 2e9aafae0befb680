export {
  Alert,
  ALERT_MEASURES,
  AlertEvent,
  AlertReading,
  type AlertEventType,
  type AlertMeasure,
  type AlertStatus,
} from './alert.entity.js';
export { ALERT_EVENTS_CHANNEL, alertView, AlertsService, type AlertView, type RaiseAlert } from './alerts.service.js';
export { AlertStreamService } from './alert-stream.service.js';
export { RiskAlerts } from './risk-alerts.js';
export { AlertEscalationService } from './alert-escalation.service.js';
