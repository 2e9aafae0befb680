export { ClinicSettings, WEEKDAYS, type EscalationSettings, type OpeningHours, type Weekday } from './clinic-settings.entity.js';
export { ClinicSettingsService, type ClinicSettingsChanges } from './clinic-settings.service.js';
