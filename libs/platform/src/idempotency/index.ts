export * from './idempotency-key.entity.js';
export * from './idempotency.service.js';
