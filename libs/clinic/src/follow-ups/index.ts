export * from './follow-up.entity.js';
export * from './follow-ups.service.js';
