export * from './notification.entity.js';
export * from './notification-outbox.service.js';
