export * from './discharge-criteria.js';
export * from './observation.entity.js';
export * from './observation.service.js';
