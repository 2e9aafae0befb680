export * from './notification.entity.js';
export * from './notification-outbox.service.js';
export * from './notification-delivery.service.js';
