export * from './patient.entity.js';
export * from './weight.entity.js';
export * from './screening.entity.js';
export * from './screening-items.js';
export * from './search-text.js';
export * from './patients.service.js';
export * from './care.service.js';
export * from './screening.service.js';
