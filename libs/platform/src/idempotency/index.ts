export { IdempotencyKey } from './idempotency-key.entity.js';
export { IDEMPOTENCY_KEY, IdempotencyService, type IdempotentCall } from './idempotency.service.js';
