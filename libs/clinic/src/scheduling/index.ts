export * from './scheduling.entity.js';
export * from './scheduling.service.js';
export * from './series-plan.js';
