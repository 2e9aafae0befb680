export * from './evaluate.js';
export * from './plausibility.js';
export * from './vital-reading.entity.js';
export * from './vitals.service.js';
