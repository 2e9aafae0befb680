export { ClinicSettings, type OpeningHours, type Weekday } from './clinic-settings.entity.js';
export { ClinicSettingsService } from './clinic-settings.service.js';
