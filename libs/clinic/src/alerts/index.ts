export * from './alert.entity.js';
export * from './alerts.service.js';
export * from './alert-stream.service.js';
