export * from './clinic-settings.entity.js';
export * from './clinic-settings.service.js';
